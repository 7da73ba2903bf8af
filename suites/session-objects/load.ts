// LOAD loads a shared library into the session that runs it; its configuration parameters are
// known from then on, for that session only. A new session has not loaded it, so on
// PostgreSQL 15 SHOW of one of its parameters fails with 42704 there (auto_explain is not in
// shared_preload_libraries on the test clusters).
// https://www.postgresql.org/docs/current/sql-load.html
// https://www.postgresql.org/docs/current/auto-explain.html
import { defineScenario, step } from '../../harness/scenario/define.ts';

const DOCS = 'https://www.postgresql.org/docs/current/sql-load.html';
const SHOW = 'SHOW auto_explain.log_min_duration';

export default [
  defineScenario({
    id: 'session-objects/load-makes-module-settings-known',
    category: 'session-objects',
    pool: 'single',
    why: "After LOAD 'auto_explain' a client can set and read the module's parameters, and the module checks the values it is given.",
    docs: 'https://www.postgresql.org/docs/current/auto-explain.html',
    sessions: { a: {} },
    steps: [
      step('a', SHOW, { label: 'before LOAD the parameter is unknown', expect: { error: '42704' } }),
      step('a', "LOAD 'auto_explain'"),
      step('a', SHOW, { expect: { rows: [['-1']] } }),
      step('a', "SET auto_explain.log_min_duration = '250ms'"),
      step('a', SHOW, { expect: { rows: [['250ms']] } }),
      step('a', "SET auto_explain.log_min_duration = 'soon'", {
        label: 'the loaded module rejects a value that is not a duration',
        expect: { error: '22023' },
      }),
    ],
  }),
  defineScenario({
    id: 'session-objects/load-invisible-to-other-client',
    category: 'session-objects',
    pool: 'single',
    why: "A module LOADed by one client must not be active in another client's session (auto_explain would start logging its plans).",
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [step('a', "LOAD 'auto_explain'"), step('a', SHOW, { expect: { rows: [['-1']] } }), step('b', SHOW, { expect: { error: '42704' } })],
  }),
  defineScenario({
    id: 'session-objects/load-not-inherited-after-disconnect',
    category: 'session-objects',
    pool: 'single',
    why: 'A module LOADed by a client that has disconnected must not be active for the next client (a library cannot be unloaded, so a reused server keeps it).',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [step('a', "LOAD 'auto_explain'"), { session: 'a', disconnect: 'terminate' }, step('b', SHOW, { expect: { error: '42704' } })],
  }),
  defineScenario({
    id: 'session-objects/load-kept-by-its-client-while-others-come-and-go',
    category: 'session-objects',
    pool: 'single',
    why: 'A client that LOADed a module (passwordcheck, auto_explain) keeps it for its whole session while other clients connect and leave around it; none of them may have it, and it must not lose it when they do.',
    docs: DOCS,
    sessions: { a: {}, b: {}, c: {}, d: {} },
    steps: [
      step('a', "LOAD 'auto_explain'"),
      step('a', "SET auto_explain.log_min_duration = '250ms'"),
      ...['b', 'c', 'd'].flatMap((other) => [
        step(other, SHOW, { label: `${other} comes: it has not loaded the module`, expect: { error: '42704' } }),
        { session: other, disconnect: 'terminate' as const },
        step('a', SHOW, { label: 'a still has the module and its setting', expect: { rows: [['250ms']] } }),
      ]),
    ],
  }),
];
