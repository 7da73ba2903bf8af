// repro.mjs: replay-script.mjs (a Node program with a wire client of its own, no dependencies)
// with the scenario written into it as data, so the file alone reproduces the finding against
// any pair of URLs. The template is kept as a real module beside this file, linted as such.
import { readFileSync } from 'node:fs';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { rawDriver } from '../drivers/raw.ts';
import { missingCapabilities } from '../scenario/capabilities.ts';
import type { Scenario, ScenarioSpec, Step, StepKind } from '../scenario/model.ts';
import { STEP_KINDS } from '../scenario/step-kinds.ts';
import { MD5_USER, TRUST_USER } from '../targets/postgres-cluster.ts';
import { stepText } from './step-text.ts';

const TEMPLATE = new URL('./replay-script.mjs', import.meta.url);
/** Where the template holds its scenario: `null` until written. */
const SLOT = '/*@scenario*/ null';

/**
 * A step as the script reads it: as written, tagged with its kind as the catalogue loaded it,
 * and in words as poolcheck describes it (templates unexpanded), so the script holds no list of
 * kinds or of their words that a new kind could miss.
 */
type ReplayStep = Step & { readonly described: string };

/** What the script replays: the scenario's own data, and the roles of sessions that log in as md5 or trust. */
export interface ReplayData {
  readonly id: string;
  readonly pool: ScenarioSpec['pool'];
  readonly sessions: ScenarioSpec['sessions'];
  readonly steps: readonly ReplayStep[];
  /** Why the script does not replay a kind, for each kind it does not (step-kinds.ts notReplayed). */
  readonly notReplayed: Readonly<Partial<Record<StepKind, string>>>;
  readonly setup?: readonly string[];
  readonly teardown?: readonly string[];
  /** The role names poolcheck's PostgreSQL has for `user: md5` and `user: trust` sessions. */
  readonly users: { readonly md5: string; readonly trust: string };
  readonly stepTimeoutMs: number;
  /** What the scenario needs of a client that poolcheck's raw driver (whose messages the script sends) lacks. */
  readonly rawLacks: readonly string[];
}

/** `spec` is the scenario as the case file writes it; `loaded` the same scenario as the catalogue loaded it, whose steps know their kinds. */
export const replayData = (spec: ScenarioSpec, loaded: Scenario): ReplayData => ({
  id: spec.id,
  pool: spec.pool,
  sessions: spec.sessions,
  steps: loaded.steps.map((st) => ({ ...st, described: stepText(st) })),
  notReplayed: Object.fromEntries(Object.entries(STEP_KINDS).flatMap(([k, def]) => (def.notReplayed ? [[k, def.notReplayed]] : []))),
  ...(spec.setup ? { setup: spec.setup } : {}),
  ...(spec.teardown ? { teardown: spec.teardown } : {}),
  users: { md5: MD5_USER, trust: TRUST_USER },
  stepTimeoutMs: TIMEOUT_MS.step,
  rawLacks: missingCapabilities(loaded, rawDriver),
});

/** The script: `header` as `//` comment lines on top, then the template with `data` in its slot. */
export function replayScript(data: ReplayData, header: readonly string[]): string {
  const template = readFileSync(TEMPLATE, 'utf8');
  if (!template.includes(SLOT)) throw new Error(`${TEMPLATE.pathname} has no ${SLOT}: the template and its writer disagree`);
  // JSON is a JavaScript expression; a function as replacement keeps `$` in the data literal.
  const body = template.replace(SLOT, () => JSON.stringify(data, null, 2));
  return `${header
    .flatMap((h) => h.split('\n'))
    .map((l) => `// ${l}`.trimEnd())
    .join('\n')}\n${body}`;
}
