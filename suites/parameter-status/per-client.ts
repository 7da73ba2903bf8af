import { defineScenario, step } from '../../harness/scenario/define.ts';
import type { Capability } from '../../harness/drivers/session.ts';
import type { ScenarioSpec, StepSpec } from '../../harness/scenario/model.ts';

// A reported parameter belongs to the session that set it: one client's SET changes neither
// another client's setting (SHOW) nor the ParameterStatus that client's driver holds.
// https://www.postgresql.org/docs/current/sql-set.html
// b's own value depends on its driver's StartupMessage, so b reads it first and keeps it.
const DOCS = 'https://www.postgresql.org/docs/current/sql-set.html';

const LATIN1_IN_EFFECT =
  "DO $$ BEGIN IF pg_client_encoding() <> 'LATIN1' THEN RAISE EXCEPTION 'client_encoding is %', pg_client_encoding(); END IF; END $$";

interface PerClient {
  readonly name: string;
  readonly param: string;
  /** The value a sets, exactly as SHOW and ParameterStatus report it. */
  readonly value: string;
  readonly set: string;
  /** A query whose answer shows a's setting in effect, and that answer (none: it must succeed). */
  readonly probe: string;
  readonly probeRow?: string;
  /** How a reads its own setting at the end, if not with SHOW (a statement that must succeed). */
  readonly recheck?: string;
  readonly why: string;
  readonly docs?: string;
  readonly needs?: readonly Capability[];
}

function perClient(c: PerClient): ScenarioSpec {
  const steps: StepSpec[] = [
    step('b', `SHOW ${c.param}`, { save: 'b0' }),
    step('a', c.set, { expect: { parameterStatus: { [c.param]: c.value } } }),
    step('a', c.probe, { expect: c.probeRow === undefined ? undefined : { rows: [[c.probeRow]] } }),
    step('b', `SHOW ${c.param}`, { expect: { rows: [['$b0']], parameterStatus: { [c.param]: '$b0' } } }),
    c.recheck
      ? step('a', c.recheck, { expect: { parameterStatus: { [c.param]: c.value } } })
      : step('a', `SHOW ${c.param}`, { expect: { rows: [[c.value]], parameterStatus: { [c.param]: c.value } } }),
  ];
  return defineScenario({
    id: `parameter-status/${c.name}-kept-per-client`,
    category: 'parameter-status',
    pool: 'single',
    why: c.why,
    docs: c.docs ?? DOCS,
    needs: c.needs,
    sessions: { a: {}, b: {} },
    steps,
  });
}

export default [
  perClient({
    name: 'datestyle',
    param: 'DateStyle',
    // Still ISO output (drivers such as pgjdbc insist on it); only the input order changes.
    value: 'ISO, DMY',
    set: "SET DateStyle = 'ISO, DMY'",
    probe: "SELECT '03/02/2001'::date::text",
    probeRow: '2001-02-03',
    why: "Another client's DateStyle must not change how this client's date literals are read ('03/02/2001' silently becomes 3 February).",
    docs: 'https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-DATESTYLE',
  }),
  perClient({
    name: 'timezone',
    param: 'TimeZone',
    value: 'Pacific/Chatham',
    set: "SET TimeZone = 'Pacific/Chatham'",
    probe: "SELECT '2001-02-03 04:05:06+00'::timestamptz::text",
    probeRow: '2001-02-03 17:50:06+13:45',
    why: "Another client's TimeZone must not shift this client's timestamps (now() and timestamptz output change by hours).",
    docs: 'https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-TIMEZONE',
  }),
  perClient({
    name: 'intervalstyle',
    param: 'IntervalStyle',
    value: 'iso_8601',
    set: "SET IntervalStyle = 'iso_8601'",
    probe: "SELECT interval '1 day 2 hours'::text",
    probeRow: 'P1DT2H',
    why: "Another client's IntervalStyle must not change the interval text this client parses ('P1DT2H' instead of '1 day 02:00:00').",
    docs: 'https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-INTERVALSTYLE',
  }),
  perClient({
    name: 'client-encoding',
    param: 'client_encoding',
    value: 'LATIN1',
    set: "SET client_encoding = 'LATIN1'",
    // No rows come back to a once it is LATIN1 (some drivers decode text as UTF-8 only): the
    // check is a statement that fails unless the encoding is in effect.
    probe: LATIN1_IN_EFFECT,
    recheck: LATIN1_IN_EFFECT,
    needs: ['anyClientEncoding'],
    why: "Another client's client_encoding must not change the bytes this client receives (its UTF-8 text would arrive as LATIN1 or fail to convert).",
    docs: 'https://www.postgresql.org/docs/current/multibyte.html#MULTIBYTE-AUTOMATIC-CONVERSION',
  }),
  perClient({
    name: 'standard-conforming-strings',
    param: 'standard_conforming_strings',
    value: 'off',
    set: 'SET standard_conforming_strings = off',
    // With it off, a backslash in an ordinary literal is an escape: 'a\\b' is three characters.
    probe: "SELECT length('a\\\\b')",
    probeRow: '3',
    why: "Another client's standard_conforming_strings must not change how this client's backslashes are read (escaping done for one setting becomes injectable under the other).",
    docs: 'https://www.postgresql.org/docs/current/runtime-config-compatible.html#GUC-STANDARD-CONFORMING-STRINGS',
  }),
];
