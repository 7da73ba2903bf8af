// An application_name sent empty at startup is a value like any other: the session starts with
// it empty, whatever the server connection was labelled before. A pooler that treats an empty
// value as "not sent" leaves the previous client's name on the server.
// https://www.postgresql.org/docs/current/runtime-config-logging.html#GUC-APPLICATION-NAME
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'session-state/application-name-empty-at-startup',
    category: 'session-state',
    pool: 'single',
    why: 'A client connecting with an empty application_name must see it empty, not the name the previous client of the server connection SET (monitoring blames the wrong application).',
    docs: 'https://www.postgresql.org/docs/current/runtime-config-logging.html#GUC-APPLICATION-NAME',
    needs: ['startupApplicationName'],
    sessions: { a: { applicationName: '' }, b: { applicationName: '' } },
    steps: [
      // postgres.js sends its own name in place of an empty one: the name a starts with is saved.
      step('a', 'SHOW application_name', { save: 'a0' }),
      step('a', "SET application_name = 'pc-set-by-a'"),
      step('a', 'SHOW application_name', { expect: { rows: [['pc-set-by-a']] } }),
      { session: 'a', disconnect: 'terminate' },
      step('b', 'SHOW application_name', { expect: { rows: [['$a0']] } }),
      step('b', "SET application_name = 'pc-set-by-b'"),
      step('b', 'SHOW application_name', { expect: { rows: [['pc-set-by-b']] } }),
    ],
  }),
];
