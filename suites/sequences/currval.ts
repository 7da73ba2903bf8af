import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'sequences/currval-sees-other-clients-nextval',
    category: 'sequences',
    pool: 'single',
    why: 'currval() must return this session\'s last nextval(); through a transaction pooler another client\'s nextval can show up.',
    docs: 'https://www.postgresql.org/docs/current/functions-sequence.html',
    setup: ['CREATE SEQUENCE {{seq}}'],
    teardown: ['DROP SEQUENCE IF EXISTS {{seq}}'],
    sessions: { a: {}, b: {} },
    steps: [
      step('a', "SELECT nextval('{{seq}}')", { save: 'va' }),
      step('b', "SELECT nextval('{{seq}}')", { save: 'vb' }),
      step('a', "SELECT currval('{{seq}}')", { expect: { rows: [['$va']] } }),
    ],
  }),
];
