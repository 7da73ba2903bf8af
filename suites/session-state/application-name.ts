import { defineScenario, step } from '../../harness/scenario/define.ts';

// application_name is reported to the client with ParameterStatus whenever it changes, and
// RESET returns it to the value the client sent in its startup packet.
const DOCS = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC';

export default [
  defineScenario({
    id: 'session-state/application-name-set-reported',
    category: 'session-state',
    pool: 'single',
    why: 'After SET application_name the driver must be told the new value by ParameterStatus, or it reports a stale name to the application.',
    docs: DOCS,
    sessions: { a: {} },
    steps: [
      step('a', "SET application_name = 'pc-app-set'", { expect: { parameterStatus: { application_name: 'pc-app-set' } } }),
      step('a', 'SHOW application_name', { expect: { rows: [['pc-app-set']] } }),
    ],
  }),
  defineScenario({
    id: 'session-state/application-name-visible-to-next-client',
    category: 'session-state',
    pool: 'single',
    why: "An application_name set by one client must not relabel the next client's session (monitoring and logs blame the wrong application).",
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      // postgres.js sends its own default name at startup, the other drivers none: save it.
      // (So a pooler that only restores names sent at startup treats the drivers differently.)
      step('b', 'SHOW application_name', { save: 'b0' }),
      step('a', "SET application_name = 'pc-app-from-a'", { expect: { parameterStatus: { application_name: 'pc-app-from-a' } } }),
      step('b', 'SHOW application_name', { expect: { rows: [['$b0']], parameterStatus: { application_name: '$b0' } } }),
    ],
  }),
  defineScenario({
    id: 'session-state/application-name-kept-per-client',
    category: 'session-state',
    pool: 'single',
    why: 'Each client must keep its own application_name (from startup or its own SET), both in the server and in the ParameterStatus its driver holds.',
    docs: DOCS,
    sessions: { a: { applicationName: 'pc-start-a' }, b: { applicationName: 'pc-start-b' } },
    steps: [
      step('a', 'SHOW application_name', { expect: { rows: [['pc-start-a']], parameterStatus: { application_name: 'pc-start-a' } } }),
      step('a', "SET application_name = 'pc-app-from-a'"),
      step('b', 'SHOW application_name', { expect: { rows: [['pc-start-b']], parameterStatus: { application_name: 'pc-start-b' } } }),
      step('a', 'SHOW application_name', { expect: { rows: [['pc-app-from-a']], parameterStatus: { application_name: 'pc-app-from-a' } } }),
    ],
  }),
];
