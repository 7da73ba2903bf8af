// TLS between client and pooler (sslmode=require: encrypted, certificate not verified).
// https://www.postgresql.org/docs/current/ssl-tcp.html
import { defineScenario, step } from '../../harness/scenario/define.ts';

export default [
  defineScenario({
    id: 'auth-transport/tls-required',
    category: 'auth-transport',
    pool: 'wide',
    why: 'Clients configured with sslmode=require refuse a server that does not offer TLS; a pooler without it cuts them off.',
    docs: 'https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION',
    sessions: { a: { tls: true } },
    steps: [step('a', 'SELECT 1', { expect: { rows: [['1']] } })],
  }),
  defineScenario({
    id: 'auth-transport/tls-and-plain-clients-together',
    category: 'auth-transport',
    pool: 'single',
    why: 'An encrypted client and a plain one sharing a server connection must both get their own answers.',
    docs: 'https://www.postgresql.org/docs/current/ssl-tcp.html',
    sessions: { a: { tls: true }, b: {} },
    steps: [
      step('a', "SELECT 'encrypted'", { expect: { rows: [['encrypted']] } }),
      step('b', "SELECT 'plain'", { expect: { rows: [['plain']] } }),
      step('a', "SELECT 'encrypted again'", { expect: { rows: [['encrypted again']] } }),
    ],
  }),
];
