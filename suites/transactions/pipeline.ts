// Without BEGIN, the extended-protocol messages up to a Sync run as one implicit transaction,
// committed at the Sync (or rolled back entirely if any of them fails); a simple Query string
// with several statements is likewise one transaction.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT
import { defineScenario, msg, observe, step } from '../../harness/scenario/define.ts';

const EXT_QUERY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY';
const MULTI = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT';
const TEMP_COUNT = "SELECT count(*) FROM pg_class WHERE relname = '{{t}}'";

/** Parse, Bind, Execute of one statement on the unnamed statement and portal. */
const run = (sql: string) => [msg.parse('', sql), msg.bind(), msg.execute()];

export default [
  defineScenario({
    id: 'transactions/pipeline-is-one-implicit-transaction',
    category: 'transactions',
    pool: 'single',
    why: 'A pipeline with one Sync is one transaction: a temp table ON COMMIT DROP created by its first statement must still exist for the second.',
    docs: EXT_QUERY,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'Parse/Bind/Execute CREATE TEMP TABLE ... ON COMMIT DROP, Parse/Bind/Execute SELECT count(*) from it, one Sync',
        messages: [...run('CREATE TEMP TABLE {{t}} (x int) ON COMMIT DROP'), ...run('SELECT count(*) FROM {{t}}'), msg.sync()],
        expect: {
          messages: [
            'ParseComplete',
            'BindComplete',
            'CommandComplete',
            'ParseComplete',
            'BindComplete',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery',
          ],
          rows: [['0']],
        },
      },
      step('a', TEMP_COUNT, { label: 'the table was dropped when the Sync committed', expect: { rows: [['0']] } }),
    ],
  }),
  defineScenario({
    id: 'transactions/pipeline-error-rolls-back-earlier-statement',
    category: 'transactions',
    pool: 'single',
    why: 'When a later statement of a one-Sync pipeline fails, the earlier ones must be rolled back too; a client that batches writes relies on all-or-nothing.',
    docs: EXT_QUERY,
    setup: ['CREATE TABLE {{t}} (x int PRIMARY KEY)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'INSERT 1, INSERT 2, INSERT 1 again (unique violation), one Sync',
        messages: [
          ...run('INSERT INTO {{t}} VALUES (1)'),
          ...run('INSERT INTO {{t}} VALUES (2)'),
          ...run('INSERT INTO {{t}} VALUES (1)'),
          msg.sync(),
        ],
        expect: {
          messages: [
            'ParseComplete',
            'BindComplete',
            'CommandComplete',
            'ParseComplete',
            'BindComplete',
            'CommandComplete',
            'ParseComplete',
            'BindComplete',
            'ErrorResponse:23505',
            'ReadyForQuery',
          ],
        },
      },
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
    ],
  }),
  defineScenario({
    id: 'transactions/sync-commits-pipeline-segment',
    category: 'transactions',
    pool: 'single',
    why: 'Each Sync commits the implicit transaction before it: an error after a Sync must not undo what the earlier segment wrote.',
    docs: EXT_QUERY,
    setup: ['CREATE TABLE {{t}} (x int PRIMARY KEY)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        label: 'INSERT 1, Sync, INSERT 1 again (unique violation), Sync',
        messages: [...run('INSERT INTO {{t}} VALUES (1)'), msg.sync(), ...run('INSERT INTO {{t}} VALUES (1)'), msg.sync()],
        expect: {
          messages: [
            'ParseComplete',
            'BindComplete',
            'CommandComplete',
            'ReadyForQuery',
            'ParseComplete',
            'BindComplete',
            'ErrorResponse:23505',
            'ReadyForQuery',
          ],
        },
      },
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['1']] } }),
    ],
  }),
  defineScenario({
    id: 'transactions/query-string-is-one-implicit-transaction',
    category: 'transactions',
    pool: 'single',
    why: 'Several statements in one simple Query run as one transaction: a temp table ON COMMIT DROP made by the first is usable by the last, then gone.',
    docs: MULTI,
    setup: ['CREATE TABLE {{log}} (n bigint)'],
    teardown: ['DROP TABLE IF EXISTS {{log}}'],
    sessions: { a: {} },
    steps: [
      step('a', 'CREATE TEMP TABLE {{t}} (x int) ON COMMIT DROP; INSERT INTO {{t}} VALUES (1), (2); INSERT INTO {{log}} SELECT count(*) FROM {{t}}'),
      observe('SELECT n FROM {{log}}', { expect: { rows: [['2']] } }),
      step('a', TEMP_COUNT, { expect: { rows: [['0']] } }),
    ],
  }),
  defineScenario({
    id: 'transactions/query-string-error-rolls-back-earlier-statements',
    category: 'transactions',
    pool: 'single',
    why: 'If a later statement of a multi-statement Query fails, the earlier ones must be rolled back with it (no half-applied batch).',
    docs: MULTI,
    setup: ['CREATE TABLE {{t}} (x int PRIMARY KEY)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      step('a', 'INSERT INTO {{t}} VALUES (1); INSERT INTO {{t}} VALUES (2); INSERT INTO {{t}} VALUES (1)', { expect: { error: '23505' } }),
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      step('a', 'SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
    ],
  }),
];
