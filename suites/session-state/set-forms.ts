// SET in the forms applications send it, as PostgreSQL runs it: a SET with an invalid value fails
// itself (22023) and changes nothing; several statements in one Query string run in order, SETs
// among them; SET TIME ZONE takes an interval; RESET and set_config() are transactional like SET,
// so a rollback undoes them. Poolers that parse SQL to track settings (and replay them on the
// server a client gets next) meet every one of these forms.
// https://www.postgresql.org/docs/current/sql-set.html
// https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-SET
//
// Where a scenario has b run on the single pool between a's statements, b takes a's server
// connection in transaction pooling: a pooler that tracks settings has to give a back what a's
// statements left, rolled back or not.
import { defineScenario, step } from '../../harness/scenario/define.ts';

const SET = 'https://www.postgresql.org/docs/current/sql-set.html';
const MULTI = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT';
/** SET TIME ZONE INTERVAL '+05:30' HOUR TO MINUTE as PostgreSQL names the zone: a POSIX spec, UTC+5:30. */
const PLUS_0530 = '<+05:30>-05:30';

export default [
  defineScenario({
    id: 'session-state/set-invalid-value-fails-at-the-set',
    category: 'session-state',
    pool: 'single',
    why: 'A SET with an invalid value must fail there (22023) and change nothing; a pooler that takes the SET and replays it later fails an innocent later query instead, as pgdog did.',
    docs: SET,
    sessions: { a: {} },
    steps: [
      step('a', 'SELECT $1::int', { params: ['7'], expect: { rows: [['7']] } }),
      step('a', 'SHOW lock_timeout', { save: 'orig' }),
      step('a', "SET lock_timeout TO 'sdfs'", { expect: { error: '22023' } }),
      step('a', "SET statement_timeout TO '41s'"),
      step('a', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('a', "SELECT current_setting('lock_timeout'), current_setting('statement_timeout')", { expect: { rows: [['$orig', '41s']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/two-sets-in-one-query-string',
    category: 'session-state',
    pool: 'single',
    why: 'ORMs (Sequelize, sqlx) send their session settings as one string of SETs; each must take effect, and inside a transaction a ROLLBACK must undo them all.',
    docs: MULTI,
    sessions: { a: {} },
    steps: [
      step('a', "SELECT current_setting('statement_timeout'), current_setting('lock_timeout')", { save: 'orig' }),
      step('a', "SET statement_timeout TO '31s'; SET lock_timeout TO '11s'"),
      step('a', "SELECT current_setting('statement_timeout'), current_setting('lock_timeout')", { expect: { rows: [['31s', '11s']] } }),
      step('a', 'BEGIN'),
      step('a', "SET statement_timeout TO '32s'; SET lock_timeout TO '12s'"),
      step('a', "SELECT current_setting('statement_timeout'), current_setting('lock_timeout')", { expect: { rows: [['32s', '12s']] } }),
      step('a', 'ROLLBACK'),
      step('a', "SELECT current_setting('statement_timeout'), current_setting('lock_timeout')", { expect: { rows: [['31s', '11s']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/set-and-select-in-one-query-string',
    category: 'session-state',
    pool: 'single',
    why: 'A Query string that sets something and then reads runs both statements; a pooler that refuses to mix SET with other statements breaks applications that send them together.',
    docs: MULTI,
    sessions: { a: {} },
    steps: [
      step('a', "SET statement_timeout TO '12s'; SELECT 1"),
      step('a', 'SHOW statement_timeout', { expect: { rows: [['12s']] } }),
      step('a', "DO $$ BEGIN END $$; SET lock_timeout TO '13s'"),
      step('a', 'SHOW lock_timeout', { expect: { rows: [['13s']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/set-time-zone-interval',
    category: 'session-state',
    pool: 'single',
    why: 'SET TIME ZONE INTERVAL (sent by Sequelize and others) sets a zone PostgreSQL names <+05:30>-05:30; a pooler that tracks TimeZone must keep that for the client, not lose it or hand it to the next client.',
    docs: SET,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "SET client_min_messages TO warning;SET TIME ZONE INTERVAL '+05:30' HOUR TO MINUTE", {
        expect: { parameterStatus: { TimeZone: PLUS_0530 } },
      }),
      step('a', "SELECT current_setting('TimeZone'), current_setting('client_min_messages')", { expect: { rows: [[PLUS_0530, 'warning']] } }),
      step('b', 'SHOW TimeZone', { expect: { notEquals: PLUS_0530 } }),
      step('a', "SELECT current_setting('TimeZone'), '2000-01-01 00:00:00+00'::timestamptz::text", {
        expect: { rows: [[PLUS_0530, '2000-01-01 05:30:00+05:30']] },
      }),
    ],
  }),
  defineScenario({
    id: 'session-state/reset-undone-by-rollback',
    category: 'session-state',
    pool: 'single',
    why: 'A RESET inside a transaction that rolls back is undone: the SET from before is back, and a pooler that tracks settings must not keep the reset value for the client.',
    docs: 'https://www.postgresql.org/docs/current/sql-reset.html',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SHOW TimeZone', { save: 'orig' }),
      step('a', "SET TimeZone TO 'Asia/Tokyo'", { expect: { parameterStatus: { TimeZone: 'Asia/Tokyo' } } }),
      step('a', 'BEGIN'),
      step('a', 'RESET TimeZone', { expect: { parameterStatus: { TimeZone: '$orig' } } }),
      step('a', 'SHOW TimeZone', { expect: { rows: [['$orig']] } }),
      step('a', 'ROLLBACK', { expect: { parameterStatus: { TimeZone: 'Asia/Tokyo' } } }),
      step('b', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('a', 'SHOW TimeZone', { expect: { rows: [['Asia/Tokyo']], parameterStatus: { TimeZone: 'Asia/Tokyo' } } }),
    ],
  }),
  defineScenario({
    id: 'session-state/set-config-undone-by-rollback',
    category: 'session-state',
    pool: 'single',
    why: 'set_config(..., false) is a SET written as a function call: undone by ROLLBACK, kept after COMMIT; a pooler that parses only SET statements loses it, or keeps the rolled-back value.',
    docs: 'https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-SET',
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SHOW TimeZone', { save: 'orig' }),
      step('a', 'BEGIN'),
      step('a', "SELECT set_config('TimeZone', 'Asia/Tokyo', false)", { expect: { rows: [['Asia/Tokyo']] } }),
      step('a', 'ROLLBACK', { expect: { parameterStatus: { TimeZone: '$orig' } } }),
      step('a', 'SHOW TimeZone', { expect: { rows: [['$orig']] } }),
      step('a', "SELECT set_config('TimeZone', 'Europe/Lisbon', false)", {
        expect: { rows: [['Europe/Lisbon']], parameterStatus: { TimeZone: 'Europe/Lisbon' } },
      }),
      step('b', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('a', 'SHOW TimeZone', { expect: { rows: [['Europe/Lisbon']] } }),
    ],
  }),
];
