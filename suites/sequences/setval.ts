import { defineScenario, step } from '../../harness/scenario/define.ts';

// setval(seq, n) (is_called true) also makes n this session's currval(); with is_called false
// it changes only what the next nextval() returns and leaves currval() as it was.
const DOCS = 'https://www.postgresql.org/docs/current/functions-sequence.html';
const SEQ = { setup: ['CREATE SEQUENCE {{seq}}'], teardown: ['DROP SEQUENCE IF EXISTS {{seq}}'] };

export default [
  defineScenario({
    id: 'sequences/setval-then-currval',
    category: 'sequences',
    pool: 'single',
    why: "After setval() a client's currval() must be the value it set and its next nextval() the one after it.",
    docs: DOCS,
    ...SEQ,
    sessions: { a: {} },
    steps: [
      step('a', "SELECT setval('{{seq}}', 42)", { expect: { rows: [['42']] } }),
      step('a', "SELECT currval('{{seq}}')", { expect: { rows: [['42']] } }),
      step('a', "SELECT nextval('{{seq}}')", { expect: { rows: [['43']] } }),
    ],
  }),
  defineScenario({
    id: 'sequences/setval-currval-after-other-client-nextval',
    category: 'sequences',
    pool: 'single',
    why: 'A client that set a sequence with setval() must keep that value as its currval() when another client then draws from the sequence.',
    docs: DOCS,
    ...SEQ,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "SELECT setval('{{seq}}', 42)", { expect: { rows: [['42']] } }),
      step('b', "SELECT nextval('{{seq}}')", { expect: { rows: [['43']] } }),
      step('a', "SELECT currval('{{seq}}')", { expect: { rows: [['42']] } }),
    ],
  }),
  defineScenario({
    id: 'sequences/setval-uncalled-leaves-currval-undefined',
    category: 'sequences',
    pool: 'single',
    why: "setval(..., false) does not define currval(); a client must get an error there, not another client's value.",
    docs: DOCS,
    ...SEQ,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT 1', { expect: { rows: [['1']] } }),
      step('b', "SELECT nextval('{{seq}}')", { expect: { rows: [['1']] } }),
      step('a', "SELECT setval('{{seq}}', 42, false)", { expect: { rows: [['42']] } }),
      step('a', "SELECT currval('{{seq}}')", { expect: { error: '55000' } }),
      step('a', "SELECT nextval('{{seq}}')", { expect: { rows: [['42']] } }),
    ],
  }),
];
