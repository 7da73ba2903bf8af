// The shape of what other runs wrote and merge and diff read back (results.json, shard.json),
// derived from the report model: each table is typed as a Field for every key of its model
// interface, so a new field does not compile until it has a schema here. A file that does not
// fit is refused in one line naming the first place that does not, never half-read (a null
// result was a TypeError; garbage was "No change").
import { DIVERGENCE_KINDS, type Divergence } from '../kernel/divergence.ts';
import { jsonPath, validate, type Field, type FieldsOf, type Schema } from '../kernel/schema.ts';
import { ERROR_CAUSES, OUTCOMES, type Attempt, type StepRecord, type Timings } from '../scenario/result.ts';
import type { Feature } from './feature.ts';
import type { ResultsFileRow, ResultsFileTarget } from './results-file.ts';
import type { LoginLatency, ReportRow, RunReport } from './run-report.ts';
import type { ShardManifest } from './shard-manifest.ts';
import { EXPECTATIONS, VERDICTS } from './verdict.ts';
import { SCHEMA_VERSION } from './results-json.ts';

const text: Schema = { kind: 'string' };
const texts: Schema = { kind: 'list', of: text };
const whole = (min = 0): Schema => ({ kind: 'number', integer: true, min });
const ms: Schema = { kind: 'number', min: 0 };
const oneOf = (values: readonly string[]): Schema => ({ kind: 'string', oneOf: values });
const orNull = (s: Schema): Schema => ({
  kind: 'either',
  of: [s, { kind: 'literal', value: null }],
  describe: `${s.kind === 'string' ? 'a string' : 'a value'} or null`,
});
const req = (schema: Schema): Field => ({ schema, required: true });
const opt = (schema: Schema): Field => ({ schema });
const object = (fields: Readonly<Record<string, Field>>, rest?: Schema): Schema => ({ kind: 'object', fields, ...(rest ? { rest } : {}) });
const map = (of: Schema): Schema => ({ kind: 'object', fields: {}, rest: of });
/** Fields a reader does not use: any value. */
const ANY: Schema = { kind: 'any' };

/** A transcript's place in an out folder: under transcripts/, never outside it. */
const transcriptPath: Schema = {
  kind: 'string',
  check: (v) =>
    /^transcripts\/[^\\]*$/.test(v) && !v.split('/').some((s) => s === '..' || s === '') ? undefined : `"${v}" is not a path under transcripts/`,
};

const DIVERGENCE: FieldsOf<Divergence> = {
  step: req(whole(1)),
  session: req(text),
  kind: req(oneOf(Object.keys(DIVERGENCE_KINDS))),
  sqlstate: opt(text),
  atLogin: opt({ kind: 'literal', value: true }),
  expected: req(text),
  observed: req(text),
};
const divergence = object(DIVERGENCE);

/** A result as `poolcheck diff` reads it from results.json of any schema version (1 has no divergences). */
const RESULTS_ROW: FieldsOf<ResultsFileRow> = {
  scenario: req(text),
  target: req(text),
  driver: req(text),
  outcome: req(oneOf(OUTCOMES)),
  verdict: req(oneOf(VERDICTS)),
  expected: opt(oneOf(EXPECTATIONS)),
  reason: opt(orNull(text)),
  message: opt(orNull(text)),
  divergence: opt(orNull(divergence)),
  transcript: opt(orNull(transcriptPath)),
  definedAt: opt(orNull(text)),
};

const RESULTS_TARGET: FieldsOf<ResultsFileTarget> = {
  id: req(text),
  pooler: opt(orNull(text)),
  poolerVersion: opt(orNull(text)),
  postgresVersion: opt(orNull(text)),
  mode: opt(orNull(text)),
  provider: opt(text),
  settings: opt(map(text)),
  effectiveSettings: opt(map(text)),
};

export const RESULTS_FILE_SCHEMA: Schema = object(
  {
    schemaVersion: req({ kind: 'number', integer: true }),
    run: req(object({ id: req(text), poolcheckVersion: req(text), startedAt: opt(text) }, ANY)),
    targets: req({ kind: 'list', min: 1, of: object(RESULTS_TARGET, ANY) }),
    drivers: opt({ kind: 'list', of: object({ id: req(text), version: req(text), library: req(text) }, ANY) }),
    results: req({ kind: 'list', of: object(RESULTS_ROW, ANY) }),
  },
  ANY,
);

const STEP: FieldsOf<StepRecord> = { index: req(whole()), session: req(text), action: req(text), observed: opt(text), failure: opt(text) };
const ATTEMPT: FieldsOf<Attempt> = {
  outcome: req(oneOf(OUTCOMES)),
  cause: opt(oneOf(ERROR_CAUSES)),
  durationMs: req(ms),
  message: opt(text),
  divergence: opt(divergence),
};
const TIMINGS: FieldsOf<Timings> = { quiesceMs: req(ms), connectMs: req(ms), checkMs: req(ms), logins: opt({ kind: 'list', of: ms }) };
/** A result's timings in results.json: its logins are summed up per target (`loginMs`). */
const RESULTS_JSON_TIMINGS: FieldsOf<Omit<Timings, 'logins'>> = { quiesceMs: req(ms), connectMs: req(ms), checkMs: req(ms) };
const LOGIN_MS: FieldsOf<LoginLatency> = { p50: req(ms), p95: req(ms), p99: req(ms), count: req(whole(1)) };

/** A result as the writers read it (shard.json holds the shard's whole report). */
const REPORT_ROW: FieldsOf<ReportRow> = {
  scenario: req(text),
  category: req(text),
  target: req(text),
  driver: req(text),
  outcome: req(oneOf(OUTCOMES)),
  expected: req(oneOf(EXPECTATIONS)),
  verdict: req(oneOf(VERDICTS)),
  durationMs: req(ms),
  message: opt(text),
  cause: opt(oneOf(ERROR_CAUSES)),
  premise: opt(oneOf(['held', 'failed'])),
  serverLog: opt(texts),
  steps: req({ kind: 'list', of: object(STEP) }),
  failedStep: opt(whole()),
  divergence: opt(divergence),
  transcript: opt(text),
  attempts: opt({ kind: 'list', of: object(ATTEMPT) }),
  timings: opt(object(TIMINGS)),
  reason: opt(text),
  link: opt(text),
  source: opt(oneOf(['docs', 'issue', 'observed'])),
  documented: opt(text),
  defect: opt(text),
  transcriptPath: req(orNull(transcriptPath)),
  definedAt: opt(text),
};

type ReportTarget = RunReport['targets'][number];
const REPORT_TARGET: FieldsOf<ReportTarget> = {
  id: req(text),
  pooler: req(orNull(text)),
  mode: req(orNull(text)),
  provider: req(text),
  poolerVersion: req(orNull(text)),
  postgresVersion: req(orNull(text)),
  startMs: req(ms),
  error: opt(text),
  settings: req(map(text)),
  effectiveSettings: req(map(text)),
};

const REPORT: FieldsOf<RunReport> = {
  run: req(
    object({
      id: req(text),
      startedAt: req(text),
      finishedAt: req(text),
      durationMs: req(ms),
      poolcheckVersion: req(text),
      interrupted: opt(object({ reason: req(text), planned: req(whole()) })),
      shard: opt(object({ index: req(whole(1)), count: req(whole(1)) })),
    }),
  ),
  targets: req({ kind: 'list', min: 1, of: object(REPORT_TARGET) }),
  warnings: req(texts),
  drivers: req({ kind: 'list', of: object({ id: req(text), version: req(text), library: req(text) }) }),
  results: req({ kind: 'list', of: object(REPORT_ROW) }),
  // A shard's diff (--baseline) is not merged: merge diffs the whole run again.
  diff: opt(ANY),
};

/** results.json as results-json.ts writes it (the README's "results.json" section), for the JSON Schema the package ships. */
const RESULTS_JSON_ROW: Readonly<Record<string, Field>> = {
  scenario: req(text),
  category: req(text),
  target: req(text),
  driver: req(text),
  outcome: req(oneOf(OUTCOMES)),
  cause: opt(oneOf(ERROR_CAUSES)),
  expected: req(oneOf(EXPECTATIONS)),
  verdict: req(oneOf(VERDICTS)),
  durationMs: req(ms),
  message: req(orNull(text)),
  reason: req(orNull(text)),
  link: opt(text),
  source: opt(oneOf(['docs', 'issue', 'observed'])),
  documented: opt(text),
  divergence: req(orNull(divergence)),
  transcript: req(orNull(transcriptPath)),
  definedAt: req(orNull(text)),
  attempts: opt({ kind: 'list', of: object(ATTEMPT) }),
  timings: opt(object(RESULTS_JSON_TIMINGS)),
  premise: opt(oneOf(['held', 'failed'])),
};

export const RESULTS_JSON_SCHEMA: Schema = object({
  schemaVersion: req({ kind: 'literal', value: SCHEMA_VERSION }),
  run: REPORT.run,
  warnings: REPORT.warnings,
  targets: req({ kind: 'list', min: 1, of: object({ ...REPORT_TARGET, loginMs: opt(object(LOGIN_MS)) }) }),
  drivers: REPORT.drivers,
  results: req({ kind: 'list', of: object(RESULTS_JSON_ROW) }),
  summary: req(
    object({
      byVerdict: req(object(Object.fromEntries(VERDICTS.map((v) => [v, req(whole())])))),
      premise: req(map(object({ held: req(whole()), failed: req(whole()) }))),
    }),
  ),
  diff: opt(ANY),
});

const FEATURE: FieldsOf<Feature> = { id: req(text), title: req(text), scenarios: req(texts) };

const MANIFEST: FieldsOf<ShardManifest> = {
  format: req({ kind: 'number', integer: true }),
  shard: req(object({ index: req(whole(1)), count: req(whole(1)) })),
  plan: req(text),
  scenarios: req(texts),
  report: req(object(REPORT)),
  features: req({ kind: 'list', of: object(FEATURE) }),
  published: req(map(object({ link: req(text), cells: req(map(text)) }))),
};

export const SHARD_MANIFEST_SCHEMA: Schema = object(MANIFEST);

/** The first place `doc` does not fit `schema`, in one line ("results[3]: expected a mapping, got null"), and how many more there are. */
export function shapeProblem(doc: unknown, schema: Schema): string | undefined {
  const problems = validate(doc, schema);
  if (!problems.length) return undefined;
  const [first] = problems;
  const where = jsonPath(first.path);
  return `${where ? `${where}: ` : ''}${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : ''}`;
}
