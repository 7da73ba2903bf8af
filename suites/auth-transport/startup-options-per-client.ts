// The `options` startup parameter sets run-time parameters for that session alone, at its start:
// every -c in it is in effect in the session, whatever the parameter, and two clients with
// different options each keep their own for as long as they are connected.
// https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-OPTIONS
//
// A pooler that passes `options` to the server connection it opens, and hands that server to a
// client with other options, or replays only the parameters it tracks, gives a client another
// client's settings, or the server's defaults.
import { defineScenario, step } from '../../harness/scenario/define.ts';
import type { StepSpec } from '../../harness/scenario/model.ts';

const OPTIONS = 'https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-OPTIONS';

const THREE = "SELECT current_setting('IntervalStyle'), current_setting('jit'), current_setting('statement_timeout')";

/** Each client reads its own three settings, one after the other, three times over. */
const alternate: StepSpec[] = [1, 2, 3].flatMap(() => [
  step('a', THREE, { expect: { rows: [['iso_8601', 'on', '3s']] } }),
  step('b', THREE, { expect: { rows: [['sql_standard', 'off', '3001ms']] } }),
]);

/**
 * Session parameters a client may set at startup, each with a value other than its default, and
 * how SHOW reports it (a duration without a unit is in milliseconds).
 */
const COMMON: readonly (readonly [string, string, string])[] = [
  ['IntervalStyle', 'sql_standard', 'sql_standard'],
  ['search_path', 'test', 'test'],
  ['default_transaction_isolation', 'serializable', 'serializable'],
  ['geqo', 'off', 'off'],
  ['statement_timeout', '999', '999ms'],
  ['lock_timeout', '999', '999ms'],
  ['idle_in_transaction_session_timeout', '999', '999ms'],
  ['default_statistics_target', '200', '200'],
  ['standard_conforming_strings', 'off', 'off'],
  ['check_function_bodies', 'off', 'off'],
  ['default_transaction_read_only', 'on', 'on'],
  ['default_transaction_deferrable', 'on', 'on'],
  ['default_tablespace', 'pg_default', 'pg_default'],
  ['temp_tablespaces', 'pg_default', 'pg_default'],
];

export default [
  defineScenario({
    id: 'auth-transport/options-two-clients-each-keep-their-own',
    category: 'auth-transport',
    pool: 'single',
    why: "Two services connecting with different options (IntervalStyle, jit, statement_timeout) must each keep their own settings query after query; a pooler that puts both on one server connection gives one the other's timeout or interval format.",
    docs: OPTIONS,
    sessions: {
      a: { startupParams: { options: '-c intervalstyle=iso_8601 -c jit=on -c statement_timeout=3s' } },
      b: { startupParams: { options: '-c intervalstyle=sql_standard -c jit=off -c statement_timeout=3001ms' } },
    },
    steps: alternate,
  }),
  defineScenario({
    id: 'auth-transport/options-common-settings-each-applied',
    category: 'auth-transport',
    pool: 'wide',
    why: 'Applications set their session defaults in the connection string (isolation level, read-only, timeouts, search_path, planner settings); every one of them must be in effect in the session, not only those a pooler tracks.',
    docs: OPTIONS,
    sessions: { a: { startupParams: { options: COMMON.map(([name, value]) => `-c ${name}=${value}`).join(' ') } } },
    steps: [
      step('a', `SELECT ${COMMON.map(([name]) => `current_setting('${name}')`).join(', ')}`, {
        expect: { rows: [COMMON.map(([, , shown]) => shown)] },
      }),
    ],
  }),
];
