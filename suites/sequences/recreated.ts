import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

// currval() and lastval() remember sequences by identity, not by name: after the sequence is
// dropped and created again under the same name (a migration), neither is defined for it until
// this session calls nextval() on the new one (55000).
// https://www.postgresql.org/docs/current/functions-sequence.html
const DOCS = 'https://www.postgresql.org/docs/current/functions-sequence.html';

export default [
  defineScenario({
    id: 'sequences/currval-after-sequence-recreated',
    category: 'sequences',
    pool: 'single',
    why: 'After a migration drops and recreates a sequence, currval() and lastval() must fail (55000) rather than return an id of the old sequence, and nextval() must start the new one.',
    docs: DOCS,
    setup: ['CREATE SEQUENCE {{seq}}'],
    teardown: ['DROP SEQUENCE IF EXISTS {{seq}}'],
    sessions: { a: {} },
    steps: [
      step('a', "SELECT nextval('{{seq}}')", { expect: { rows: [['1']] } }),
      observe('DROP SEQUENCE {{seq}}'),
      observe('CREATE SEQUENCE {{seq}} START 500'),
      step('a', "SELECT currval('{{seq}}')", { expect: { error: '55000' } }),
      step('a', 'SELECT lastval()', { expect: { error: '55000' } }),
      // A text not run before the sequence was recreated (drivers cache statements by text).
      step('a', "SELECT nextval('{{seq}}') AS from_new_sequence", { expect: { rows: [['500']] } }),
      step('a', "SELECT currval('{{seq}}') AS current_of_new", { expect: { rows: [['500']] } }),
    ],
  }),
];
