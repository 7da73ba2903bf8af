// Isolation under load (harness/scenario/stress.ts): the session-state scenarios of the other
// categories, held by a few hundred clients at once instead of two, so that clients outnumber
// the pooler's servers and interleave as they do in production. Opt-in (--scenarios stress):
// it is load, not a check for every commit. --stress-clients sets the count (up to 1000).
import { defineScenario } from '../../harness/scenario/define.ts';

const STATES = ['setting', 'application_name', 'prepared statement', 'temporary table', 'advisory lock', 'currval'];

export default defineScenario({
  id: 'stress/session-state-under-load',
  category: 'stress',
  pool: 'wide',
  why: "Hundreds of clients at once, each with its own setting, named statement, temporary table, advisory lock, application_name and currval, must each only ever see their own, as with PostgreSQL, where every client has a backend of its own; a pooler that shares servers hands one client's state to another (a leak) or loses it.",
  docs: 'https://www.postgresql.org/docs/current/runtime-config-client.html',
  setup: ['CREATE SEQUENCE {{seq}}'],
  teardown: ['DROP SEQUENCE IF EXISTS {{seq}}'],
  sessions: { load: {} },
  steps: [
    {
      session: 'load',
      stress: { clients: 300, rounds: 5, sequence: '{{seq}}' },
      timeoutMs: 55_000,
      expect: {
        rows: [
          ...STATES.map((s) => [s, '0', '0']),
          ['clients unfinished', '0', '*'],
          ['checks, leak rate', '*', '*'],
          ['round ms p50 p95', '*', '*'],
          ['round ms p99 max', '*', '*'],
        ],
      },
    },
  ],
});
