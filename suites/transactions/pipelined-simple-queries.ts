// Simple Queries written back to back in one go, each a transaction command or a statement of
// its own (spqr's xproto TestSimpleQuery, TestDoubleBegin, TestSimpleAdvancedParsing).
// PostgreSQL answers each in turn, its ReadyForQuery giving the transaction state after it; a
// BEGIN inside a transaction and a ROLLBACK outside one are WARNINGs (25001, 25P01), not errors.
// https://www.postgresql.org/docs/current/sql-begin.html
import { defineScenario, msg, observe } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'transactions/redundant-begin-and-rollback-warn',
    category: 'transactions',
    pool: 'single',
    why: 'A second BEGIN inside a transaction and a ROLLBACK outside one only warn (25001, 25P01) and leave the transaction state as it was; a pooler that counts BEGINs and ROLLBACKs itself, or drops the WARNINGs, releases the server mid-transaction or keeps it after the transaction ended.',
    docs: 'https://www.postgresql.org/docs/current/sql-begin.html',
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'BEGIN, BEGIN, ROLLBACK, ROLLBACK as four Queries in one write',
        messages: [msg.query('BEGIN'), msg.query('BEGIN'), msg.query('ROLLBACK'), msg.query('ROLLBACK')],
        expect: {
          messages: [
            'CommandComplete',
            'ReadyForQuery:T',
            'CommandComplete',
            'ReadyForQuery:T',
            'CommandComplete',
            'ReadyForQuery:I',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
          notices: ['25001', '25P01'],
          commandTags: ['BEGIN', 'BEGIN', 'ROLLBACK', 'ROLLBACK'],
        },
      },
      {
        session: 'a',
        label: 'BEGIN, BEGIN, INSERT, COMMIT in one write: the second BEGIN does not end or restart the transaction',
        messages: [msg.query('BEGIN'), msg.query('BEGIN'), msg.query('INSERT INTO {{t}} VALUES (1)'), msg.query('COMMIT')],
        expect: {
          messages: [
            'CommandComplete',
            'ReadyForQuery:T',
            'CommandComplete',
            'ReadyForQuery:T',
            'CommandComplete',
            'ReadyForQuery:T',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
          notices: ['25001'],
          commandTags: ['BEGIN', 'BEGIN', 'INSERT 0 1', 'COMMIT'],
        },
      },
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['1']] } }),
      { session: 'b', sql: 'SELECT 1', expect: { rows: [['1']] } },
    ],
  }),

  defineScenario({
    id: 'transactions/pipelined-simple-queries-report-transaction-state',
    category: 'transactions',
    pool: 'single',
    why: 'A transaction written as separate Queries in one go (BEGIN, INSERT, SELECT, ROLLBACK) gets one reply per Query, each ReadyForQuery with the state after it, and the SELECT sees the uncommitted row; a pooler that forwards the Queries as they come but routes or counts them as one, or releases the server at the first ReadyForQuery, sends the INSERT and the SELECT to different servers.',
    docs: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SIMPLE-QUERY',
    setup: ['CREATE TABLE {{t}} (v int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      {
        session: 'a',
        label: 'BEGIN, INSERT, SELECT, ROLLBACK as four Queries in one write',
        messages: [
          msg.query('BEGIN'),
          msg.query('INSERT INTO {{t}} VALUES (1);'),
          msg.query('SELECT * FROM {{t}} WHERE v = 1;'),
          msg.query('ROLLBACK'),
        ],
        expect: {
          messages: [
            'CommandComplete',
            'ReadyForQuery:T',
            'CommandComplete',
            'ReadyForQuery:T',
            'RowDescription',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:T',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
          rows: [['1']],
          commandTags: ['BEGIN', 'INSERT 0 1', 'SELECT 1', 'ROLLBACK'],
        },
      },
      {
        session: 'a',
        label: 'BEGIN, SELECT 1 AS s, COMMIT in one write, twice over',
        messages: [
          msg.query('BEGIN'),
          msg.query('SELECT 1 AS s'),
          msg.query('COMMIT'),
          msg.query('BEGIN'),
          msg.query('SELECT 2 AS s'),
          msg.query('COMMIT'),
        ],
        expect: {
          messages: [
            'CommandComplete',
            'ReadyForQuery:T',
            'RowDescription',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:T',
            'CommandComplete',
            'ReadyForQuery:I',
            'CommandComplete',
            'ReadyForQuery:T',
            'RowDescription',
            'DataRow',
            'CommandComplete',
            'ReadyForQuery:T',
            'CommandComplete',
            'ReadyForQuery:I',
          ],
          rows: [['2']],
          commandTags: ['BEGIN', 'SELECT 1', 'COMMIT', 'BEGIN', 'SELECT 1', 'COMMIT'],
        },
      },
      observe('SELECT count(*) FROM {{t}}', { expect: { rows: [['0']] } }),
      { session: 'b', sql: 'SELECT 1', expect: { rows: [['1']] } },
    ],
  }),
];
