// LISTEN and UNLISTEN take effect when their transaction commits (a rolled-back LISTEN never
// registers); NOTIFY is delivered when the notifying transaction commits (never if it rolls
// back), in commit order, identical notifications of one transaction folded into one, and the
// payload as sent.
// https://www.postgresql.org/docs/current/sql-notify.html
//
// The notify-* scenarios are about NOTIFY, not about keeping a LISTEN registration: the
// listener sits inside a transaction while others notify (PostgreSQL then delivers at the end
// of that transaction, just before its ReadyForQuery), so it is never idle between its LISTEN
// and the delivery.
import { defineScenario, EVENTUALLY_MS, observe, step } from '../../harness/scenario/define.ts';
import type { StepSpec } from '../../harness/scenario/model.ts';

const NOTIFY = 'https://www.postgresql.org/docs/current/sql-notify.html';
/** a listens, then works inside a transaction while the others notify. */
const listenThenWork: StepSpec[] = [
  step('a', 'LISTEN {{ch}}'),
  step('a', 'BEGIN', { label: 'a works inside a transaction: notifications wait for its end' }),
];
const LISTENING = "SELECT count(*) FROM pg_listening_channels() c WHERE c = '{{ch}}'";

export default [
  defineScenario({
    id: 'session-objects/unlisten-stops-delivery',
    category: 'session-objects',
    pool: 'single',
    why: 'After UNLISTEN a client must get no more notifications on the channel; before it, it must get them even when sent while it was idle.',
    docs: 'https://www.postgresql.org/docs/current/sql-unlisten.html',
    sessions: { a: {} },
    steps: [
      step('a', 'LISTEN {{ch}}'),
      observe("NOTIFY {{ch}}, 'before-unlisten'"),
      { session: 'a', waitNotification: '{{ch}}', timeoutMs: EVENTUALLY_MS, expect: { notification: { payload: 'before-unlisten' } } },
      step('a', 'UNLISTEN {{ch}}'),
      step('a', LISTENING, { expect: { rows: [['0']] } }),
      observe("NOTIFY {{ch}}, 'after-unlisten'"),
      { session: 'a', waitNotification: '{{ch}}', timeoutMs: 200, expect: { notification: null } },
    ],
  }),
  defineScenario({
    id: 'session-objects/unlisten-all-clears-channels',
    category: 'session-objects',
    pool: 'single',
    why: 'UNLISTEN * must end every registration of the client (what a connection reset relies on), and pg_listening_channels() must say so.',
    docs: 'https://www.postgresql.org/docs/current/sql-unlisten.html',
    sessions: { a: {} },
    steps: [
      step('a', 'LISTEN {{ch}}'),
      step('a', 'LISTEN {{ch2}}'),
      step('a', "SELECT count(*) FROM pg_listening_channels() c WHERE c IN ('{{ch}}', '{{ch2}}')", { expect: { rows: [['2']] } }),
      step('a', 'UNLISTEN *'),
      step('a', "SELECT count(*) FROM pg_listening_channels() c WHERE c IN ('{{ch}}', '{{ch2}}')", { expect: { rows: [['0']] } }),
    ],
  }),
  defineScenario({
    id: 'session-objects/listen-in-rolled-back-transaction',
    category: 'session-objects',
    pool: 'single',
    why: 'A LISTEN inside a transaction that rolls back must not register: the client would otherwise receive notifications it believes it never asked for.',
    docs: 'https://www.postgresql.org/docs/current/sql-listen.html',
    sessions: { a: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', 'LISTEN {{ch}}'),
      step('a', 'ROLLBACK'),
      step('a', LISTENING, { expect: { rows: [['0']] } }),
      observe("NOTIFY {{ch}}, 'after-rollback'"),
      { session: 'a', waitNotification: '{{ch}}', timeoutMs: 200, expect: { notification: null } },
    ],
  }),
  defineScenario({
    id: 'session-objects/notify-in-rolled-back-transaction-not-delivered',
    category: 'session-objects',
    pool: 'wide',
    why: 'A NOTIFY whose transaction rolls back must never reach listeners (a job queue would run a job that was cancelled); a committed one must.',
    docs: NOTIFY,
    sessions: { a: {}, b: {} },
    steps: [
      ...listenThenWork,
      step('b', 'BEGIN'),
      step('b', "NOTIFY {{ch}}, 'rolled-back'"),
      step('b', 'ROLLBACK'),
      step('b', "NOTIFY {{ch}}, 'committed'"),
      step('a', 'COMMIT'),
      // Notifications arrive in commit order: the first one a takes must be the committed one.
      { session: 'a', waitNotification: '{{ch}}', timeoutMs: EVENTUALLY_MS, expect: { notification: { payload: 'committed' } } },
    ],
  }),
  defineScenario({
    id: 'session-objects/notify-delivered-in-commit-order',
    category: 'session-objects',
    pool: 'wide',
    why: 'A NOTIFY takes effect when its transaction commits, so listeners get notifications in commit order, never ahead of the data they announce.',
    docs: NOTIFY,
    sessions: { a: {}, b: {} },
    steps: [
      ...listenThenWork,
      step('b', 'BEGIN'),
      step('b', "NOTIFY {{ch}}, 'sent-first-committed-last'"),
      observe("NOTIFY {{ch}}, 'sent-last-committed-first'", { label: 'another session notifies and commits meanwhile' }),
      step('b', 'COMMIT'),
      step('a', 'COMMIT'),
      { session: 'a', waitNotification: '{{ch}}', timeoutMs: EVENTUALLY_MS, expect: { notification: { payload: 'sent-last-committed-first' } } },
      { session: 'a', waitNotification: '{{ch}}', timeoutMs: EVENTUALLY_MS, expect: { notification: { payload: 'sent-first-committed-last' } } },
    ],
  }),
  defineScenario({
    id: 'session-objects/notify-duplicates-folded-within-transaction',
    category: 'session-objects',
    pool: 'wide',
    why: 'Identical notifications sent in one transaction are delivered once, in order with the others; a listener counting events depends on it.',
    docs: NOTIFY,
    sessions: { a: {}, b: {} },
    steps: [
      ...listenThenWork,
      step('b', 'BEGIN'),
      step('b', "NOTIFY {{ch}}, 'same'"),
      step('b', "NOTIFY {{ch}}, 'same'"),
      step('b', "NOTIFY {{ch}}, 'last'"),
      step('b', 'COMMIT'),
      step('a', 'COMMIT'),
      { session: 'a', waitNotification: '{{ch}}', timeoutMs: EVENTUALLY_MS, expect: { notification: { payload: 'same' } } },
      // Delivery keeps the sending order, so a second 'same' would come before 'last'.
      { session: 'a', waitNotification: '{{ch}}', timeoutMs: EVENTUALLY_MS, expect: { notification: { payload: 'last' } } },
    ],
  }),
  defineScenario({
    id: 'session-objects/notify-payload-delivered-intact',
    category: 'session-objects',
    pool: 'wide',
    why: "A notification's payload (quotes, non-ASCII text, or none at all) must reach the listener exactly as sent.",
    docs: NOTIFY,
    sessions: { a: {}, b: {} },
    steps: [
      ...listenThenWork,
      step('b', "SELECT pg_notify('{{ch}}', 'it''s \"quoted\", ünïcødé ✓ and  two spaces')"),
      step('b', 'NOTIFY {{ch}}'),
      step('a', 'COMMIT'),
      {
        session: 'a',
        waitNotification: '{{ch}}',
        timeoutMs: EVENTUALLY_MS,
        expect: { notification: { payload: 'it\'s "quoted", ünïcødé ✓ and  two spaces' } },
      },
      { session: 'a', waitNotification: '{{ch}}', timeoutMs: EVENTUALLY_MS, expect: { notification: { payload: '' } } },
    ],
  }),
];
