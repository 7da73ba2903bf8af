// The `options` startup parameter is split into command-line switches at whitespace, a
// backslash taking the next character literally (`\ ` a space, `\\` a backslash); each
// `-c name=value`, `-cname=value` or `--name=value` sets a run-time parameter for the session,
// a dash in the name standing for an underscore, and a later setting of the same name wins.
// The value is never SQL: a semicolon in it is a character of the value.
// https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-OPTIONS
// https://www.postgresql.org/docs/current/app-postgres.html (-c name=value, --name=value)
//
// Poolers that parse `options` themselves (to track the parameters or replay them on another
// server connection) have to read it the same way. The forms below use parameters poolers
// track per client (TimeZone, DateStyle, IntervalStyle, standard_conforming_strings), so a pooler
// that takes `options` at all shows how it reads them; the other settings are a scenario of their
// own. Not application_name: drivers send their own as a startup parameter, which PostgreSQL
// applies after `options`.
import { defineScenario, observe, step } from '../../harness/scenario/define.ts';

const OPTIONS = 'https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-OPTIONS';
const SETTINGS =
  "SELECT current_setting('TimeZone'), current_setting('DateStyle'), current_setting('IntervalStyle'), current_setting('standard_conforming_strings')";

/** The name a buggy replay of `options` as SQL would create; fixed, as startup parameters take no templates. */
const INJECTED = 'pc_options_injected';

export default [
  defineScenario({
    id: 'auth-transport/options-c-switch-forms',
    category: 'auth-transport',
    pool: 'wide',
    why: 'Connection strings spell options as -c name=value, -cname=value or --name=value, with runs of spaces; a pooler that reads only one spelling refuses the login or drops the setting.',
    docs: OPTIONS,
    sessions: {
      a: {
        startupParams: { options: '  -c   TimeZone=Asia/Tokyo  -cDateStyle=SQL,DMY   --IntervalStyle=iso_8601 -c standard_conforming_strings=off  ' },
      },
    },
    steps: [step('a', SETTINGS, { expect: { rows: [['Asia/Tokyo', 'SQL, DMY', 'iso_8601', 'off']] } })],
  }),
  defineScenario({
    id: 'auth-transport/options-dashes-for-underscores',
    category: 'auth-transport',
    pool: 'wide',
    why: 'PGOPTIONS=--standard-conforming-strings=off is how command-line users write settings; a dash in the name stands for the underscore and case does not matter, and a pooler that looks the name up as written refuses it.',
    docs: 'https://www.postgresql.org/docs/current/app-postgres.html',
    sessions: { a: { startupParams: { options: '--standard-conforming-strings=off -c intervalstyle=sql_standard' } } },
    steps: [
      step('a', "SELECT current_setting('standard_conforming_strings'), current_setting('IntervalStyle')", {
        expect: { rows: [['off', 'sql_standard']] },
      }),
    ],
  }),
  defineScenario({
    id: 'auth-transport/options-backslash-escapes',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A value with a space (DateStyle "ISO, DMY") is written with \\ before the space; a pooler that splits there refuses the login or sets a truncated value.',
    docs: OPTIONS,
    sessions: { a: { startupParams: { options: '-c DateStyle=ISO,\\ DMY -c Time\\Zone=Europe/\\Lisbon --Interval\\Style=sql_standard' } } },
    steps: [step('a', SETTINGS, { expect: { rows: [['Europe/Lisbon', 'ISO, DMY', 'sql_standard', 'on']] } })],
  }),
  defineScenario({
    id: 'auth-transport/options-repeated-setting-last-wins',
    category: 'auth-transport',
    pool: 'wide',
    why: 'Tools append their own -c to a PGOPTIONS the user already set; the last setting of a name is the one PostgreSQL applies, and a pooler that keeps the first runs the session in another time zone.',
    docs: OPTIONS,
    sessions: {
      a: { startupParams: { options: '-c TimeZone=Asia/Tokyo -c IntervalStyle=iso_8601 --TimeZone=Europe/Lisbon -cIntervalStyle=sql_standard' } },
    },
    steps: [
      step('a', "SELECT current_setting('TimeZone'), current_setting('IntervalStyle')", { expect: { rows: [['Europe/Lisbon', 'sql_standard']] } }),
    ],
  }),
  defineScenario({
    id: 'auth-transport/options-any-run-time-setting',
    category: 'auth-transport',
    pool: 'wide',
    why: 'Applications set statement_timeout, work_mem or lock_timeout for their sessions in the connection string; a pooler that accepts only the parameters it tracks refuses them at login.',
    docs: OPTIONS,
    sessions: { a: { startupParams: { options: '-c statement_timeout=5min --work-mem=765MB -c lock-timeout=7s' } } },
    steps: [
      step('a', "SELECT current_setting('statement_timeout'), current_setting('work_mem'), current_setting('lock_timeout')", {
        expect: { rows: [['5min', '765MB', '7s']] },
      }),
    ],
  }),
  defineScenario({
    id: 'auth-transport/options-role-is-the-next-clients-no-more',
    category: 'auth-transport',
    pool: 'single',
    why: "options=-c role=... starts a session with a role's privileges; they must be that session's only, not the next client's on the same server connection.",
    docs: 'https://www.postgresql.org/docs/current/runtime-config-client.html',
    sessions: { a: { startupParams: { options: '-c role=pc_other' } }, b: {} },
    steps: [
      step('a', 'SELECT current_user', { expect: { rows: [['pc_other']] } }),
      step('a', "SELECT current_setting('role')", { expect: { rows: [['pc_other']] } }),
      { session: 'a', disconnect: 'terminate' },
      step('b', 'SELECT current_user = session_user', { expect: { rows: [['t']] } }),
    ],
  }),
  defineScenario({
    id: 'auth-transport/options-search-path-kept-as-written',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A search_path given in options, quoted "$user" and all, must be the session\'s exactly; a pooler that re-quotes it makes the first entry a schema named "$user" and resolves names elsewhere.',
    docs: 'https://www.postgresql.org/docs/current/ddl-schemas.html#DDL-SCHEMAS-PATH',
    sessions: { a: { startupParams: { options: '--search-path="$user",public,pc_no_such_schema' } } },
    steps: [
      step('a', 'SHOW search_path', { expect: { rows: [['"$user",public,pc_no_such_schema']] } }),
      step('a', 'SELECT current_schemas(false)', { expect: { rows: [['{public}']] } }),
    ],
  }),
  defineScenario({
    id: 'auth-transport/options-value-is-not-sql',
    category: 'auth-transport',
    pool: 'wide',
    why: 'A value in options is a value: a pooler that replays options as SQL text (SET search_path = <value>) runs whatever a connection string carries, a CREATE TABLE behind a semicolon.',
    docs: OPTIONS,
    teardown: [`DROP TABLE IF EXISTS public.${INJECTED}`],
    sessions: { a: { startupParams: { options: `--search-path=public;create/**/table/**/${INJECTED}()` } } },
    steps: [
      step('a', 'SHOW search_path', { expect: { rows: [[`public;create/**/table/**/${INJECTED}()`]] } }),
      step('a', 'SELECT 1', { expect: { rows: [['1']] } }),
      observe(`SELECT to_regclass('public.${INJECTED}') IS NULL`, { label: 'no table was created', expect: { rows: [['t']] } }),
    ],
  }),
];
