// Errors nobody awaited: a driver's promise that rejects on its own, a socket without an
// 'error' listener, a helper that crashes. Such an error belongs to the scenario whose work
// raised it (found through async context) and makes that one result an `error` with its cause;
// the run goes on. One raised outside any scenario is reported and makes the run exit 2.
import { AsyncLocalStorage } from 'node:async_hooks';
import { errorText } from './errors.ts';

/** Where a scenario's stray errors are kept while it runs. */
export class StrayErrors {
  private readonly errors: unknown[] = [];
  add(err: unknown): void {
    this.errors.push(err);
  }
  /** The first one's text, if any came. */
  first(): string | undefined {
    return this.errors.length ? errorText(this.errors[0]) : undefined;
  }
}

const current = new AsyncLocalStorage<StrayErrors>();
const outside: string[] = [];
let installed = false;

/** Runs `work` so that stray errors raised by what it starts land in `strays`. */
export function collectingStrays<T>(strays: StrayErrors, work: () => Promise<T>): Promise<T> {
  return current.run(strays, work);
}

/** Where stray errors raised now would land: the scenario's collector, if any. */
export const currentStrays = (): StrayErrors | undefined => current.getStore();

/** Stray errors raised outside any scenario so far (the run then exits 2). */
export const straysOutsideScenarios = (): readonly string[] => outside;

/** Installs the process-wide handlers once: from then on a stray error never ends the process. */
export function catchStrayErrors(report: (line: string) => void): void {
  if (installed) return;
  installed = true;
  const handle = (err: unknown) => {
    const strays = current.getStore();
    if (strays) {
      strays.add(err);
      return;
    }
    const line = `an error outside any scenario: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
    outside.push(line.split('\n')[0]);
    report(line);
  };
  process.on('uncaughtException', handle);
  process.on('unhandledRejection', handle);
}
