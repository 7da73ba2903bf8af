// The last step of a plan (poolcheck run's and fuzz's), as it may install packages, which only a
// plan that holds together should do: the drivers' packages and, for the local provider, the
// postgres user its servers run as.
import { ensureDriverPrerequisites } from '../drivers/prerequisites.ts';
import { ensureServerUser } from '../targets/server-user.ts';
import type { ChosenProvider } from './run-plan.ts';

export interface InstallChoice {
  /** Not --no-install. */
  readonly allowInstall: boolean;
  /** The drivers were named (--drivers): one that cannot run here is refused, not left out. */
  readonly named: boolean;
}

/** The drivers that can run (installing what they need where allowed), and a line for each left out. */
export function ensureRunPrerequisites(
  driverIds: readonly string[],
  chosen: ChosenProvider,
  install: InstallChoice,
): { readonly usable: string[]; readonly leftOut: string[] } {
  const drivers = ensureDriverPrerequisites(driverIds, install);
  if (chosen.provider.id === 'local') ensureServerUser(install.allowInstall);
  return drivers;
}
