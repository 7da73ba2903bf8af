import { defineScenario, step } from '../../harness/scenario/define.ts';

// A custom setting (a name with a dot, such as myapp.tenant) is created by the first SET or
// set_config() in a session and belongs to that session; current_setting(name, true) returns
// NULL in a session where it was never set. Applications keep per-request state there, often
// read by row-level security policies.
// https://www.postgresql.org/docs/current/runtime-config-custom.html
const CUSTOM = 'https://www.postgresql.org/docs/current/runtime-config-custom.html';
const READ = "SELECT current_setting('{{ns}}.tenant', true)";

export default [
  defineScenario({
    id: 'session-state/custom-setting-visible-to-next-client',
    category: 'session-state',
    pool: 'single',
    why: "A tenant id one client stores in a custom setting must not be read by the next client: row-level security policies built on it would show that client another tenant's rows.",
    docs: CUSTOM,
    sessions: { a: {}, b: {} },
    steps: [
      step('b', READ, { expect: { rows: [[null]] } }),
      step('a', "SET {{ns}}.tenant = 'tenant-a'"),
      step('a', "SELECT current_setting('{{ns}}.tenant')", { expect: { rows: [['tenant-a']] } }),
      step('b', READ, { expect: { rows: [[null]] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/custom-setting-local-leaves-nothing-for-next-client',
    category: 'session-state',
    pool: 'single',
    why: "A transaction-local set_config() (the per-request pattern meant for pooled connections) must leave the next client's current_setting(name, true) NULL, not ''; a cast of '' to an id fails.",
    docs: 'https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-SET',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', "SELECT set_config('{{ns}}.tenant', 'tenant-a', true)", { expect: { rows: [['tenant-a']] } }),
      step('a', "SELECT current_setting('{{ns}}.tenant')", { expect: { rows: [['tenant-a']] } }),
      step('a', 'COMMIT'),
      // In a's own session the name now exists, with the empty value it has outside the transaction.
      step('a', READ, { expect: { rows: [['']] } }),
      step('b', READ, { expect: { rows: [[null]] } }),
    ],
  }),
];
