// A login with a client certificate: PostgreSQL's `cert` method lets the role in whose name is
// the certificate's CN, if the certificate is signed by a CA it trusts (poolcheck's test CA,
// postgres-cluster.ts makeCertificate), with no password. A pooler terminates TLS: the
// certificate reaches the pooler, never PostgreSQL, and the pooler logs in to the server with
// credentials of its own; the profiles say what each does.
// https://www.postgresql.org/docs/current/auth-cert.html
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'auth-transport/client-certificate-login',
    category: 'auth-transport',
    pool: 'wide',
    why: 'Services that authenticate with a client certificate (hostssl ... cert) and hold no password must get a session as the role their certificate names; a pooler that cannot check the certificate or pass it on refuses them.',
    docs: 'https://www.postgresql.org/docs/current/auth-cert.html',
    sessions: { a: { user: 'cert' } },
    steps: [step('a', 'SELECT current_user', { expect: { rows: [['pc_cert']] } })],
  }),
];
