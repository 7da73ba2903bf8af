// PostgreSQL throws away a cached plan when an object it uses changes, in every session: the
// row "Cached plan reset" of pgbouncer's feature map ("Yes" in session and transaction pooling).
// https://www.postgresql.org/docs/current/plpgsql-implementation.html#PLPGSQL-PLAN-CACHING
import { defineScenario, step } from '../../harness/scenario/define.ts';

const PLAN_CACHING = 'https://www.postgresql.org/docs/current/plpgsql-implementation.html#PLPGSQL-PLAN-CACHING';

export default [
  defineScenario({
    id: 'session-state/cached-plan-replanned-after-other-clients-ddl',
    category: 'session-state',
    pool: 'single',
    why: 'A function whose plan a session cached must see a table another client dropped and created again; a server that kept the old plan fails with "relation ... does not exist" or counts the old table.',
    docs: PLAN_CACHING,
    setup: [
      'CREATE TABLE {{t}} (v int)',
      'INSERT INTO {{t}} VALUES (1)',
      'CREATE FUNCTION {{f}}() RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RETURN (SELECT count(*) FROM {{t}}); END $$',
    ],
    teardown: ['DROP FUNCTION IF EXISTS {{f}}()', 'DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT {{f}}()', { expect: { rows: [['1']] } }),
      // One explicit transaction: the change is committed for every driver, even where a pooler
      // wraps a lone write in a BEGIN of its own (pgpool before 4.7).
      step('b', 'BEGIN'),
      step('b', 'DROP TABLE {{t}}'),
      step('b', 'CREATE TABLE {{t}} (v int, w text)'),
      step('b', "INSERT INTO {{t}} VALUES (1, 'x'), (2, 'y')"),
      step('b', 'COMMIT'),
      step('a', 'SELECT {{f}}()', { expect: { rows: [['2']] } }),
    ],
  }),

  defineScenario({
    id: 'session-state/prepared-plan-replanned-after-other-clients-ddl',
    category: 'session-state',
    pool: 'single',
    why: 'A statement a session prepared must run against the table as it is now after another client replaced it; a pooler that hands the client a server with a stale plan fails the EXECUTE.',
    docs: 'https://www.postgresql.org/docs/current/sql-prepare.html',
    setup: ['CREATE TABLE {{t}} (v int)', 'INSERT INTO {{t}} VALUES (1)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'PREPARE {{st}} AS SELECT count(*) FROM {{t}}'),
      step('a', 'EXECUTE {{st}}', { expect: { rows: [['1']] } }),
      step('a', 'COMMIT'),
      step('b', 'BEGIN'),
      step('b', 'DROP TABLE {{t}}'),
      step('b', 'CREATE TABLE {{t}} (v int)'),
      step('b', 'INSERT INTO {{t}} VALUES (1), (2), (3)'),
      step('b', 'COMMIT'),
      step('a', 'EXECUTE {{st}}', { expect: { rows: [['3']] } }),
    ],
  }),
];
