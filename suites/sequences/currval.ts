import { defineScenario, step } from '../../harness/scenario/define.ts';

// currval() returns the value most recently obtained by nextval() for this sequence in the
// current session, and fails (55000) if nextval() was never called for it in this session.
const DOCS = 'https://www.postgresql.org/docs/current/functions-sequence.html';
const SEQ = { setup: ['CREATE SEQUENCE {{seq}}'], teardown: ['DROP SEQUENCE IF EXISTS {{seq}}'] };

export default [
  defineScenario({
    id: 'sequences/currval-sees-other-clients-nextval',
    category: 'sequences',
    pool: 'single',
    why: "currval() must return this session's last nextval(); through a transaction pooler another client's nextval can show up.",
    docs: DOCS,
    ...SEQ,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "SELECT nextval('{{seq}}')", { save: 'va' }),
      step('b', "SELECT nextval('{{seq}}')", { save: 'vb' }),
      step('a', "SELECT currval('{{seq}}')", { expect: { rows: [['$va']] } }),
    ],
  }),
  defineScenario({
    id: 'sequences/currval-in-later-transaction',
    category: 'sequences',
    pool: 'single',
    why: 'The id a client just generated with nextval() must still be what currval() returns in its next statement (insert parent, then child rows).',
    docs: DOCS,
    ...SEQ,
    sessions: { a: {} },
    steps: [
      step('a', "SELECT nextval('{{seq}}')", { save: 'v' }),
      step('a', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('a', "SELECT currval('{{seq}}')", { expect: { rows: [['$v']] } }),
    ],
  }),
  defineScenario({
    id: 'sequences/currval-before-nextval-fails',
    category: 'sequences',
    pool: 'single',
    why: "currval() before this session's first nextval() must fail, not quietly return an id another client generated.",
    docs: DOCS,
    ...SEQ,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('b', "SELECT nextval('{{seq}}')", { save: 'vb' }),
      step('a', "SELECT currval('{{seq}}')", { expect: { error: '55000' } }),
    ],
  }),
  defineScenario({
    id: 'sequences/currval-after-commit',
    category: 'sequences',
    pool: 'single',
    why: 'An id drawn with nextval() inside a transaction must still be returned by currval() after COMMIT.',
    docs: DOCS,
    ...SEQ,
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', "SELECT nextval('{{seq}}')", { save: 'v' }),
      step('a', 'COMMIT'),
      step('a', "SELECT currval('{{seq}}')", { expect: { rows: [['$v']] } }),
    ],
  }),
];
