// Startup parameters beyond user and database: PostgreSQL applies any run-time setting given
// in the StartupMessage, and `options` carries command-line style -c settings.
// https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-STARTUPMESSAGE
import { defineScenario, step } from '../../harness/scenario/define.ts';

const STARTUP = 'https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-STARTUPMESSAGE';

export default [
  defineScenario({
    id: 'auth-transport/startup-options-parameter',
    category: 'auth-transport',
    pool: 'wide',
    why: 'Connection strings with options=-c statement_timeout=... configure sessions at login; a pooler that refuses the parameter refuses the client.',
    docs: 'https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-OPTIONS',
    sessions: { a: { startupParams: { options: '-c statement_timeout=4242' } } },
    steps: [step('a', 'SHOW statement_timeout', { expect: { rows: [['4242ms']] } })],
  }),
  defineScenario({
    id: 'auth-transport/startup-extra-float-digits',
    category: 'auth-transport',
    pool: 'wide',
    why: 'pgjdbc and others send extra_float_digits at login; a pooler that refuses unknown startup parameters refuses these drivers.',
    docs: STARTUP,
    sessions: { a: { startupParams: { extra_float_digits: '2' } } },
    steps: [step('a', 'SHOW extra_float_digits', { expect: { rows: [['2']] } })],
  }),
  defineScenario({
    id: 'auth-transport/startup-custom-setting',
    category: 'auth-transport',
    pool: 'wide',
    why: 'Applications pass their own settings (app.tenant) at login for row-level security; a pooler that drops or refuses them breaks tenant isolation.',
    docs: 'https://www.postgresql.org/docs/current/runtime-config-custom.html',
    sessions: { a: { startupParams: { 'pc.tenant': 'acme' } } },
    steps: [step('a', "SELECT current_setting('pc.tenant')", { expect: { rows: [['acme']] } })],
  }),
];
