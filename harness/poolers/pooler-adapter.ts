import type { ConnInfo } from '../targets/conn-info.ts';
import type { Profile } from './profile.ts';

export type PoolKind = 'single' | 'wide';

/** What the local provider needs to run one pooler in one mode in front of one database. */
export interface PoolerLaunch {
  /** File name -> contents, written into the target's folder. */
  readonly files: Readonly<Record<string, string>>;
  readonly args: readonly string[];
  /** Database name a client uses for each pool. */
  readonly databases: Readonly<Record<PoolKind, string>>;
  /** Database name of the pooler's admin console. */
  readonly adminDatabase: string;
}

/** A pooler's administration interface, reached through its own listener. */
export interface AdminConsole {
  /** Runs commands (one simple Query each, sent together) and returns the error, if any. */
  run(commands: readonly string[]): Promise<void>;
}

export interface PoolerAdapter {
  readonly id: string;
  readonly title: string;
  readonly modes: readonly string[];
  readonly docs: string;
  readonly binary: { readonly program: string; readonly aptPackage: string; readonly candidates: readonly string[] };
  /** Parses the version out of the binary's --version line. */
  parseVersion(versionLine: string): string;
  /**
   * Renders config for `mode`: a single-server pool (the next client lands on the same
   * backend) and a wide pool (for concurrency), both over the same database.
   */
  render(opts: { mode: string; port: number; backend: ConnInfo; dir: string }): PoolerLaunch;
  readonly stopSignal: NodeJS.Signals;
  /**
   * Makes the pooler drop its server connections once they are idle, so that the next
   * scenario starts on fresh backends and no state leaks from one scenario into the next.
   */
  resetServers(admin: AdminConsole, databases: Readonly<Record<PoolKind, string>>): Promise<void>;
  readonly profile: Profile;
}
