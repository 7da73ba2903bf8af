// A CancelRequest whose secret key does not match the one the named backend handed out is
// ignored. https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';
import type { Step } from '../../harness/scenario/model.ts';

const CANCELING = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS';

const lock = "hashtext('{{lk}}')";
const blockOnLock = (session: string): Step[] => [
  observe(`SELECT pg_advisory_lock(${lock})`),
  step(session, `SELECT pg_advisory_xact_lock(${lock})`, { background: 'blocked', label: `${session} waits on the observer's advisory lock` }),
  {
    session: 'observer',
    waitFor: { sql: `SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%{{lk}}%' AND pid <> pg_backend_pid()`, rows: [['1']] },
  },
];
const unblock = (session: string): Step[] => [
  observe(`SELECT pg_advisory_unlock(${lock})`, { expect: { rows: [['t']] } }),
  { session, await: 'blocked', expect: { rowCount: 1 } },
];

export default [
  defineScenario({
    id: 'cancel/wrong-secret-ignored',
    category: 'cancel',
    pool: 'wide',
    why: 'A CancelRequest with the right pid but a wrong secret key must not cancel anything (anyone can guess a pid).',
    docs: CANCELING,
    teardown: ['SELECT pg_advisory_unlock_all()'],
    sessions: { a: {} },
    steps: [
      { session: 'a', connect: true, savePid: 'pa' },
      ...blockOnLock('a'),
      { session: 'a', cancel: { pid: '$pa', secret: 'wrong' }, label: 'CancelRequest for a\'s pid with a wrong secret' },
      ...unblock('a'),
    ],
  }),

  defineScenario({
    id: 'cancel/other-clients-pid-with-own-secret-ignored',
    category: 'cancel',
    pool: 'wide',
    why: 'A client pairing another client\'s pid with its own secret key must not be able to cancel that client\'s query.',
    docs: CANCELING,
    teardown: ['SELECT pg_advisory_unlock_all()'],
    sessions: { a: {}, b: {} },
    steps: [
      { session: 'a', connect: true },
      { session: 'b', connect: true, savePid: 'pb' },
      ...blockOnLock('b'),
      { session: 'a', cancel: { pid: '$pb', secret: 'own' }, label: 'a sends a CancelRequest for b\'s pid with a\'s own secret' },
      ...unblock('b'),
    ],
  }),
];
