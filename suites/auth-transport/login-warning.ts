// A login applies the settings stored for the role and database (ALTER ROLE ... IN DATABASE ...
// SET); one that no longer applies (a default_tablespace that was dropped) is reported with a
// WARNING (22023) during the login, and the session starts without it. The WARNING is an
// asynchronous NoticeResponse before ReadyForQuery.
// https://www.postgresql.org/docs/current/sql-alterrole.html
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC
//
// The setting is stored for the trust role in this lane's database only (other lanes share the
// cluster), and the lane has no server connection for that role when the scenario starts: a
// pooler opens one for this client, and the WARNING comes to it then.
import { defineScenario, step } from '../../harness/scenario/define.ts';

/** ALTER ROLE pc_trust IN DATABASE <this lane's> SET default_tablespace to a tablespace that does not exist. */
const ROLE_SETTING =
  "DO $$ BEGIN EXECUTE format('ALTER ROLE pc_trust IN DATABASE %I SET default_tablespace = %L', current_database(), 'pc_no_such_tablespace'); END $$";
const ROLE_RESET = "DO $$ BEGIN EXECUTE format('ALTER ROLE pc_trust IN DATABASE %I RESET default_tablespace', current_database()); END $$";

export default [
  defineScenario({
    id: 'auth-transport/warning-during-login-reaches-the-client',
    category: 'auth-transport',
    pool: 'single',
    why: 'A WARNING the server sends while a session starts (a role setting that no longer applies, a collation version mismatch) is the only sign of a misconfiguration; a pooler that opens the server connection for this client must relay it.',
    docs: 'https://www.postgresql.org/docs/current/sql-alterrole.html',
    setup: [ROLE_SETTING],
    teardown: [ROLE_RESET],
    // Drivers report a login's notices their own way (a log line, a callback set after connect) or
    // not at all: only the raw client's are read here.
    needs: ['protocol'],
    sessions: { a: { user: 'trust' } },
    steps: [
      { session: 'a', connect: true, expect: { notices: ['22023'] } },
      step('a', "SELECT current_setting('default_tablespace')", { expect: { rows: [['']] } }),
    ],
  }),
];
