// Many pools (harness/scenario/many-roles.ts): a pooler keeps a pool per (database, role); a few
// hundred roles logging in make as many pools, each with a server connection and a cached
// secret. Then some roles are dropped. Opt-in (--scenarios stress): it is load, not a check for
// every commit. --stress-roles sets the count (up to 10,000; the deadline grows with it).
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  id: 'stress/many-pools-roles-dropped',
  category: 'stress',
  pool: 'wide',
  why: 'Hundreds of roles, a pool each: every login must succeed; after DROP ROLE a remaining role still logs in and a dropped one is refused, as PostgreSQL refuses it at once. A pooler that answers a dropped role from the secret it cached, or stops serving as its pools pile up, differs.',
  docs: 'https://www.postgresql.org/docs/current/sql-droprole.html',
  // The step drops its roles itself; this is for a step cut short.
  teardown: [
    "DO $$ DECLARE r text; BEGIN FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE '{{roles}}\\_%' LOOP EXECUTE format('DROP ROLE %I', r); END LOOP; END $$",
  ],
  sessions: { load: {} },
  steps: [
    {
      session: 'load',
      manyRoles: { roles: 300, drop: 30, prefix: '{{roles}}' },
      timeoutMs: 120_000,
      expect: {
        rows: [
          ['logins failed', '0', '*'],
          ['after the drop: remaining roles failed', '0', '*'],
          ['after the drop: dropped roles let in', '0', '*'],
          ['login ms p50 p95', '*', '*'],
          ['login ms p99 max', '*', '*'],
        ],
      },
    },
  ],
});
