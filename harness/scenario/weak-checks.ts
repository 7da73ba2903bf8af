// Steps that load and run but check nothing a pooler could get wrong, so the scenario passes
// where the bug it was written for exists: a SHOW or SELECT whose answer no expectation reads
// (a case file's author forgot `expect:`), an expected row of `*` wildcards only. Each is a
// warning at load, with the place it is written; under --strict, an error.
import type { Problem } from '../kernel/schema.ts';
import type { Step, StepOf } from './model.ts';

/**
 * Functions a SELECT calls for what they do rather than for what they answer: locks, sleeps,
 * notifications, sequences moving on, settings, signals; and pg_backend_pid(), read so the
 * transcript shows which backend served the step (DESIGN.md, "Making leaks deterministic").
 */
const ACTING =
  /\b(?:pg_(?:try_)?advisory_\w+|pg_sleep\w*|pg_notify|nextval|setval|set_config|pg_terminate_backend|pg_cancel_backend|pg_backend_pid|txid_current|pg_current_xact_id|lo_\w+)\s*\(/i;

/** A statement read for its answer only: SHOW, or a query (SELECT, VALUES, TABLE). */
const QUERY = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(SHOW|SELECT|VALUES|TABLE)\b/i;

/** SELECT of literals only (`SELECT 1`): run for what running it does to the session (a login, a server handed over). */
const LITERALS = /^\s*SELECT\s+(?:\d+|'(?:[^']|'')*')(?:\s*,\s*(?:\d+|'(?:[^']|'')*'))*\s*;?\s*$/i;

const expects = (st: Step) => !!st.save || Object.values(st.expect ?? {}).some((v) => v !== undefined);

function unchecked(st: StepOf<'sql'>, awaited: Step | undefined): string | undefined {
  const kind = QUERY.exec(st.sql)?.[1]?.toUpperCase();
  if (!kind || ACTING.test(st.sql) || LITERALS.test(st.sql)) return undefined;
  // A background step's answer is the one its await step holds to an expectation.
  if (st.background ? awaited && expects(awaited) : expects(st)) return undefined;
  const where = st.background ? `its await step (${st.background})` : 'it';
  return `the answer of this ${kind} is checked by no expectation: a pooler that answers it wrongly passes; give ${where} \`expect\` (rows, equals...) or \`save\` the value for a later step`;
}

/** Every weak check of a loaded scenario's steps, each with the path of what it is about. */
export function weakChecks(steps: readonly Step[]): Problem[] {
  return steps.flatMap((st, i): Problem[] => {
    const out: Problem[] = [];
    if (st.kind === 'sql') {
      const awaited = st.background ? steps.find((x) => x.kind === 'await' && x.await === st.background) : undefined;
      const why = unchecked(st, awaited);
      if (why) out.push({ path: ['steps', i, 'sql'], message: why });
    }
    const rows = st.expect?.rows;
    if (rows?.length && rows.every((row) => row.every((cell) => cell === '*'))) {
      out.push({
        path: ['steps', i, 'expect', 'rows'],
        message:
          'expect.rows is made only of * wildcards: it checks how many rows and columns came, not what they hold; write the values PostgreSQL answers, or rowCount if only the count matters',
      });
    }
    return out;
  });
}
