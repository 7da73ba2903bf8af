// set_config(name, value, false) is SET written as a function call, and RESET inside a transaction
// is as transactional as SET: what COMMIT keeps, the session keeps. Poolers that parse SQL to
// track settings (and replay them on the server a client gets next) must read set_config calls
// whatever their arguments, and keep a committed RESET.
// https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-SET
// https://www.postgresql.org/docs/current/sql-reset.html
//
// b runs on the single pool between a's statements: in transaction pooling it takes a's server
// connection, so a pooler that tracks settings has to give a back what a's statements left.
import { defineScenario, step } from '../../harness/scenario/define.ts';

const SET_CONFIG = 'https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-SET';

export default [
  defineScenario({
    id: 'session-state/set-config-behaves-like-set',
    category: 'session-state',
    pool: 'single',
    why: "set_config(name, value, false) returns the value it applied and sets it for the session, as SET does; a NULL value resets the setting to its default. A pooler that does not track set_config gives the client's next transaction a server without the setting (or with an older one).",
    docs: SET_CONFIG,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "SELECT set_config('lock_timeout', '1000s', false)", { expect: { rows: [['1000s']] } }),
      step('b', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('a', 'SHOW lock_timeout', { expect: { rows: [['1000s']] } }),
      step('a', "SELECT set_config('lock_timeout', '500s', false), set_config('statement_timeout', '47s', false)", {
        expect: { rows: [['500s', '47s']] },
      }),
      step('b', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('a', "SELECT current_setting('lock_timeout'), current_setting('statement_timeout')", { expect: { rows: [['500s', '47s']] } }),
      step('a', "SELECT set_config('lock_timeout', NULL, false)", { expect: { rows: [['0']] } }),
      step('b', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('a', "SELECT current_setting('lock_timeout'), current_setting('statement_timeout')", { expect: { rows: [['0', '47s']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/set-config-value-from-subquery',
    category: 'session-state',
    pool: 'single',
    why: "set_config's value may be any expression, a subquery included: PostgreSQL evaluates it and sets the result. A pooler that tries to read the value from the SQL text must not refuse the call or lose the setting when it cannot.",
    docs: SET_CONFIG,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "SELECT set_config('lock_timeout', (SELECT '1'), false)", { expect: { rows: [['1ms']] } }),
      step('b', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('a', 'SHOW lock_timeout', { expect: { rows: [['1ms']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/reset-in-committed-transaction-persists',
    category: 'session-state',
    pool: 'single',
    why: 'A RESET inside a transaction that commits stays in effect after COMMIT; a pooler that tracks settings and replays the SET from before the transaction brings back a timeout the application removed.',
    docs: 'https://www.postgresql.org/docs/current/sql-reset.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SHOW statement_timeout', { save: 'orig' }),
      step('a', "SET statement_timeout TO '5000'"),
      step('a', 'SHOW statement_timeout', { expect: { rows: [['5s']] } }),
      step('a', 'BEGIN'),
      step('a', 'RESET statement_timeout'),
      step('a', 'SHOW statement_timeout', { expect: { rows: [['$orig']] } }),
      step('a', 'COMMIT'),
      step('b', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('a', 'SHOW statement_timeout', { expect: { rows: [['$orig']] } }),
    ],
  }),
];
