import { defineScenario, EVENTUALLY_MS, observe, step } from '../../harness/scenario/define.ts';

// LISTEN registers the session for a channel; NOTIFY (from any session) is delivered, at commit,
// to every session listening on it, and to no other.
const DOCS = 'https://www.postgresql.org/docs/current/sql-notify.html';
// The runner (harness/scenario/runner.ts) expands waitNotification as written instead of as
// the template {{name}}, so the bare name 'chan' would wait on a channel literally called
// "chan". Until that is fixed, spell the template out; change this back to 'chan' after.
const CHAN = '{{chan}}';

export default [
  defineScenario({
    id: 'session-state/notify-reaches-listener',
    category: 'session-state',
    pool: 'single',
    why: 'A client that ran LISTEN must receive the NOTIFY another client sends, or cache invalidation and job queues built on it stall.',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'LISTEN {{chan}}'),
      step('b', "NOTIFY {{chan}}, 'pc-hello'"),
      { session: 'a', waitNotification: CHAN, timeoutMs: EVENTUALLY_MS, expect: { notification: { payload: 'pc-hello' } } },
    ],
  }),
  defineScenario({
    id: 'session-state/notify-not-delivered-to-non-listener',
    category: 'session-state',
    pool: 'single',
    why: 'A client that never ran LISTEN must never receive notifications; one that does gets messages meant for another client.',
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'LISTEN {{chan}}'),
      step('b', "NOTIFY {{chan}}, 'pc-only-for-a'"),
      // A notifying session that listens gets its own notification before ReadyForQuery, so
      // it would already be here: a short deadline is enough to say none came.
      { session: 'b', waitNotification: CHAN, timeoutMs: 200, expect: { notification: null } },
      { session: 'a', waitNotification: CHAN, timeoutMs: EVENTUALLY_MS, expect: { notification: { payload: 'pc-only-for-a' } } },
    ],
  }),
  defineScenario({
    id: 'session-state/listen-survives-between-transactions',
    category: 'session-state',
    pool: 'wide',
    why: 'LISTEN lasts for the session: a notification sent while the listening client is idle must still reach it.',
    docs: 'https://www.postgresql.org/docs/current/sql-listen.html',
    sessions: { a: {} },
    steps: [
      step('a', 'LISTEN {{chan}}'),
      observe("NOTIFY {{chan}}, 'pc-from-outside'"),
      { session: 'a', waitNotification: CHAN, timeoutMs: EVENTUALLY_MS, expect: { notification: { payload: 'pc-from-outside' } } },
    ],
  }),
];
