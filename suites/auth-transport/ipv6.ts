// The IPv6 loopback: a client that resolves localhost to ::1 first (glibc with "::1 localhost"
// in /etc/hosts, every container with IPv6) reaches the pooler there. Every target poolcheck
// starts listens on 127.0.0.1 and ::1 (poolers/scenario-reach.ts `ipv6`); one that cannot
// (pgpool-II before 4.5, an external target) makes these `skip`, saying why.
// https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-LISTEN-ADDRESSES
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'auth-transport/ipv6-login-then-query',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A client whose localhost resolves to ::1 logs in over the IPv6 loopback; a pooler listening on 127.0.0.1 only refuses it where PostgreSQL answers.',
    docs: 'https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-LISTEN-ADDRESSES',
    sessions: { a: { ipv6: true } },
    steps: [step('a', "SELECT 'over ::1'", { expect: { rows: [['over ::1']] } })],
  }),
  defineScenario({
    id: 'auth-transport/ipv6-session-beside-ipv4-client',
    category: 'auth-transport',
    pool: 'single',
    why: 'A session over ::1 keeps its transaction and settings across statements, and a client over 127.0.0.1 sharing the server connection gets its own answers, as on PostgreSQL.',
    docs: 'https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-LISTEN-ADDRESSES',
    sessions: { a: { ipv6: true }, b: {} },
    steps: [
      step('a', 'BEGIN'),
      step('a', "SELECT set_config('pc.via', 'ipv6', true)", { expect: { rows: [['ipv6']] } }),
      step('a', "SELECT current_setting('pc.via')", { expect: { rows: [['ipv6']] } }),
      step('a', 'COMMIT'),
      step('b', "SELECT 'over 127.0.0.1'", { expect: { rows: [['over 127.0.0.1']] } }),
      step('a', "SELECT 'over ::1 again'", { expect: { rows: [['over ::1 again']] } }),
    ],
  }),
];
