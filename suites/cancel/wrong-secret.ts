// A CancelRequest whose secret key does not match the one the named backend handed out is
// ignored. https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS
import { releaseObserverLock, waitOnObserverLock } from '../../harness/scenario/blocking.ts';
import { defineScenario } from '../../harness/scenario/define.ts';

const CANCELING = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS';

const blockOnLock = (session: string) => waitOnObserverLock(session, 'blocked');
const unblock = (session: string) => releaseObserverLock(session, 'blocked', true);

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
      { session: 'a', cancel: { pid: '$pa', secret: 'wrong' }, label: "CancelRequest for a's pid with a wrong secret" },
      ...unblock('a'),
    ],
  }),

  defineScenario({
    id: 'cancel/other-clients-pid-with-own-secret-ignored',
    category: 'cancel',
    pool: 'wide',
    why: "A client pairing another client's pid with its own secret key must not be able to cancel that client's query.",
    docs: CANCELING,
    teardown: ['SELECT pg_advisory_unlock_all()'],
    sessions: { a: {}, b: {} },
    steps: [
      { session: 'a', connect: true },
      { session: 'b', connect: true, savePid: 'pb' },
      ...blockOnLock('b'),
      { session: 'a', cancel: { pid: '$pb', secret: 'own' }, label: "a sends a CancelRequest for b's pid with a's own secret" },
      ...unblock('b'),
    ],
  }),
];
