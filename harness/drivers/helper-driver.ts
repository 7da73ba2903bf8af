// Drivers of other languages: one helper process per library per run, started while the
// targets start (warmUp) and shared by the library's variants (their settings travel with each
// connect), started again after it died. The helper names the library and version it actually
// loaded; until then, the Debian package that provides the library says which is installed.
import { debianPackageVersion, upstreamVersion } from './debian-version.ts';
import { HelperProcess, type HelperCommand } from './helper-process.ts';
import { HelperSession, type HelperSessionConfig } from './helper-session.ts';
import type { Capability, Driver, Session, SessionOptions } from './session.ts';

/** The helper's answer to `hello`. */
export interface HelperHello {
  readonly library: string;
  readonly version: string;
}

export class SharedHelper {
  private current: Promise<HelperProcess> | undefined;
  private hello: HelperHello | undefined;
  private neverStarted: string | undefined;
  private sessions = 0;

  /**
   * `command` may build the helper first (compiled-helper.ts): that time is not counted in
   * `startTimeoutMs`, which is how long the started process has to answer `hello`.
   */
  constructor(
    private readonly command: () => HelperCommand | Promise<HelperCommand>,
    private readonly startTimeoutMs: number,
  ) {}

  /** The running helper, starting one if there is none or the last one died. */
  async get(): Promise<HelperProcess> {
    if (this.neverStarted) throw new Error(this.neverStarted);
    if (this.current) {
      const proc = await this.current.catch(() => undefined);
      if (proc && !proc.failure()) return proc;
      this.current = undefined;
    }
    this.current ??= this.start();
    return this.current;
  }

  private async start(): Promise<HelperProcess> {
    let cmd: HelperCommand;
    try {
      cmd = await this.command();
    } catch (err) {
      this.neverStarted = (err as Error).message;
      throw err;
    }
    const proc = HelperProcess.start(cmd);
    try {
      const r = await proc.request('hello', {}, this.startTimeoutMs, `${cmd.name} to start`);
      this.hello = { library: String(r.result.library), version: String(r.result.version) };
      return proc;
    } catch (err) {
      proc.kill();
      await proc.exited;
      const why = proc.failure() ?? (err as Error).message;
      // A helper that never answered its first request will not do better on the next
      // scenario (a missing package, a broken runtime): fail fast from now on.
      if (!this.hello) this.neverStarted = `${cmd.name} did not start: ${why}`;
      throw new Error(`${cmd.name} did not start: ${why}`);
    }
  }

  /** What the helper reported at its last start; undefined before the first start. */
  reported(): HelperHello | undefined {
    return this.hello;
  }

  /** Session ids are unique per helper library, across its restarts. */
  nextSessionId(prefix: string): string {
    return `${prefix}#${++this.sessions}`;
  }
}

export interface HelperDriverSpec extends HelperSessionConfig {
  readonly id: string;
  readonly helper: SharedHelper;
  /** Shown until the helper has started (and if it never does). */
  readonly library: string;
  readonly capabilities: readonly Capability[];
  readonly notes: string;
  readonly loginMs: Driver['loginMs'];
  /** The Debian package that provides the library, whose version is shown until the helper reports one. */
  readonly debianPackage: string;
  readonly sameWireAs?: Driver['sameWireAs'];
  readonly poolerSafe?: Driver['poolerSafe'];
}

function installedVersion(pkg: string): string {
  const v = debianPackageVersion(pkg);
  return v ? upstreamVersion(v) : `(not installed: Debian package ${pkg})`;
}

export function helperDriver(spec: HelperDriverSpec): Driver {
  return {
    id: spec.id,
    get library() {
      return spec.helper.reported()?.library ?? spec.library;
    },
    get version() {
      return spec.helper.reported()?.version ?? installedVersion(spec.debianPackage);
    },
    capabilities: new Set(spec.capabilities),
    notes: spec.notes,
    loginMs: spec.loginMs,
    sameWireAs: spec.sameWireAs,
    poolerSafe: spec.poolerSafe,
    async warmUp() {
      await spec.helper.get().catch(() => undefined);
    },
    async connect(opts: SessionOptions): Promise<Session> {
      const proc = await spec.helper.get();
      return HelperSession.connect(proc, spec.helper.nextSessionId(spec.id), opts, spec);
    },
  };
}
