import { defineScenario, step } from '../../harness/scenario/define.ts';

// lastval() returns the value most recently returned by nextval() in the current session, for
// any sequence, and fails (55000) if nextval() has not yet been called in this session.
const DOCS = 'https://www.postgresql.org/docs/current/functions-sequence.html';

export default [
  defineScenario({
    id: 'sequences/lastval-in-later-transaction',
    category: 'sequences',
    pool: 'single',
    why: 'lastval() must return the id this client just generated, in its following statement.',
    docs: DOCS,
    setup: ['CREATE SEQUENCE {{seq}}'],
    teardown: ['DROP SEQUENCE IF EXISTS {{seq}}'],
    sessions: { a: {} },
    steps: [
      step('a', "SELECT nextval('{{seq}}')", { save: 'v' }),
      step('a', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('a', 'SELECT lastval()', { expect: { rows: [['$v']] } }),
    ],
  }),
  defineScenario({
    id: 'sequences/lastval-sees-other-clients-nextval',
    category: 'sequences',
    pool: 'single',
    why: "lastval() must not return an id another client drew, even from another sequence (a child row would point at someone else's parent).",
    docs: DOCS,
    // Distinct ranges, so a value from the wrong sequence cannot pass for the right one.
    setup: ['CREATE SEQUENCE {{seq}}', 'CREATE SEQUENCE {{other}} START 1000'],
    teardown: ['DROP SEQUENCE IF EXISTS {{seq}}', 'DROP SEQUENCE IF EXISTS {{other}}'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "SELECT nextval('{{seq}}')", { save: 'va' }),
      step('b', "SELECT nextval('{{other}}')", { expect: { rows: [['1000']] } }),
      step('a', 'SELECT lastval()', { expect: { rows: [['$va']] } }),
    ],
  }),
  defineScenario({
    id: 'sequences/lastval-before-nextval-fails',
    category: 'sequences',
    pool: 'single',
    why: 'lastval() in a session that never called nextval() must fail, not return an id another client generated.',
    docs: DOCS,
    setup: ['CREATE SEQUENCE {{seq}}'],
    teardown: ['DROP SEQUENCE IF EXISTS {{seq}}'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('b', "SELECT nextval('{{seq}}')", { save: 'vb' }),
      step('a', 'SELECT lastval()', { expect: { error: '55000' } }),
    ],
  }),
];
