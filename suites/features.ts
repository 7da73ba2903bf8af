// The rows of the feature map: what an application may depend on, each a named group of
// scenarios (ids or globs). Rows follow pgbouncer's "SQL feature map for pooling modes"
// (https://www.pgbouncer.org/features.html) and add what poolcheck measures beyond it.
import type { Feature } from '../harness/scenario/feature.ts';

export const features: readonly Feature[] = [
  {
    id: 'startup-parameters', title: 'Startup parameters (tracked: client_encoding, DateStyle, IntervalStyle, TimeZone, standard_conforming_strings, application_name)',
    scenarios: [
      'parameter-status/datestyle-kept-per-client', 'parameter-status/timezone-kept-per-client',
      'parameter-status/client-encoding-kept-per-client', 'parameter-status/standard-conforming-strings-kept-per-client',
      'parameter-status/client-parameters-agree-with-show', 'parameter-status/server-parameters-agree-with-show',
      'session-state/application-name-*', 'parameter-status/application-name-*', 'parameter-status/reset-all-restores-startup-application-name',
    ],
  },
  { id: 'other-startup-parameters', title: 'Other startup parameters (options, extra_float_digits, custom settings)', scenarios: ['auth-transport/startup-*', 'auth-transport/options-*', 'auth-transport/warning-during-login-*'] },
  {
    id: 'set-reset', title: 'SET/RESET',
    scenarios: [
      'session-state/set-*', 'session-state/reset-*', 'session-state/search-path-*', 'session-state/two-sets-*', 'session-state/quoted-search-path-*', 'session-state/custom-setting-*', 'session-state/discard-all-*',
      'parameter-status/statement-timeout-*', 'parameter-status/extra-float-digits-*', 'parameter-status/intervalstyle-kept-per-client',
      'parameter-status/reset-reported', 'parameter-status/reset-all-reported', 'parameter-status/discard-all-reported', 'parameter-status/set-*',
      'abnormal-exits/abrupt-close-after-set*',
    ],
  },
  {
    id: 'listen', title: 'LISTEN',
    scenarios: [
      'session-state/notify-reaches-listener', 'session-state/listen-survives-between-transactions', 'session-state/notify-not-delivered-to-non-listener',
      'session-objects/unlisten-*', 'session-objects/listen-*', 'backend-pid/notification-pid-is-notifiers-backend', 'backend-pid/self-notification-pid-is-own-backend',
      'abnormal-exits/abrupt-close-ends-listen',
    ],
  },
  { id: 'role-settings', title: 'Role and database settings (ALTER ROLE / DATABASE SET)', scenarios: ['parameter-status/alter-role-*', 'parameter-status/alter-database-*', 'session-state/role-and-database-settings-*'] },
  { id: 'notify', title: 'NOTIFY', scenarios: ['session-objects/notify-*'] },
  {
    id: 'cursors-without-hold', title: 'WITHOUT HOLD cursors (and protocol-level portals)',
    scenarios: ['session-objects/cursor-fetches-in-steps-inside-transaction', 'session-objects/cursor-without-hold-*', 'prepared-statements/*portal*'],
  },
  { id: 'cursors-with-hold', title: 'WITH HOLD cursors', scenarios: ['session-objects/cursor-with-hold-*', 'abnormal-exits/abrupt-close-closes-holdable-cursor'] },
  {
    id: 'protocol-prepared-statements', title: 'Protocol-level prepared statements',
    scenarios: [
      'prepared-statements/named-statement-*', 'prepared-statements/named-same-*', 'prepared-statements/named-reused-*', 'prepared-statements/named-survives-*',
      'prepared-statements/unnamed-*', 'prepared-statements/describe-then-*', 'prepared-statements/describe-other-*', 'prepared-statements/close-*',
      'prepared-statements/deallocate-*-protocol-statement', 'prepared-statements/bind-wrong-parameter-count',
      'prepared-statements/parse-same-name-*', 'prepared-statements/protocol-statement-visible-to-sql', 'prepared-statements/sql-prepared-bound-over-protocol',
      'prepared-statements/more-named-statements-*', 'prepared-statements/same-name-other-text-*',
      'prepared-statements/own-*', 'prepared-statements/failed-*', 'prepared-statements/skipped-*', 'prepared-statements/error-in-one-*',
    ],
  },
  {
    id: 'sql-prepare', title: 'PREPARE / DEALLOCATE',
    scenarios: ['prepared-statements/sql-*', 'prepared-statements/two-sql-*', 'prepared-statements/deallocate-*-sql-statement', 'abnormal-exits/abrupt-close-drops-sql-prepared-statement'],
  },
  { id: 'temp-tables-on-commit-drop', title: 'ON COMMIT DROP temp tables', scenarios: ['session-objects/temp-table-on-commit-drop', 'transactions/pipeline-is-one-implicit-transaction'] },
  {
    id: 'temp-tables-preserve-delete-rows', title: 'PRESERVE/DELETE ROWS temp tables',
    scenarios: ['session-state/temp-table-*', 'session-objects/temp-table-on-commit-delete-rows', 'session-objects/temp-table-*-rows-*', 'session-objects/temp-table-shadow*', 'abnormal-exits/abrupt-close-drops-temp-table'],
  },
  { id: 'cached-plan-reset', title: 'Cached plan reset', scenarios: ['session-state/cached-plan-*', 'session-state/prepared-plan-*', 'prepared-statements/cached-plan-*'] },
  { id: 'load', title: 'LOAD statement', scenarios: ['session-objects/load-*'] },
  {
    id: 'session-advisory-locks', title: 'Session-level advisory locks',
    scenarios: ['session-state/advisory-lock-*', 'session-objects/session-advisory-lock-*', 'abnormal-exits/abrupt-close-releases-session-advisory-lock'],
  },
  { id: 'transaction-advisory-locks', title: 'Transaction-level advisory locks', scenarios: ['session-objects/xact-advisory-lock-*'] },
  { id: 'currval-lastval', title: 'currval / lastval / setval', scenarios: ['sequences/*'] },
  { id: 'transactions', title: 'Transaction blocks, savepoints, implicit transactions', scenarios: ['transactions/*', 'session-state/set-local-*'] },
  { id: 'two-phase-commit', title: 'Two-phase commit', scenarios: ['transactions/prepared-transaction-*', 'abnormal-exits/abrupt-close-keeps-prepared-transaction'] },
  { id: 'cancel', title: 'Query cancel', scenarios: ['cancel/*'] },
  { id: 'backend-pid', title: 'Backend pid (BackendKeyData, pg_backend_pid)', scenarios: ['backend-pid/*'] },
  { id: 'copy', title: 'COPY', scenarios: ['protocol-framing/copy-*'] },
  {
    id: 'protocol-framing', title: 'Pipelining and message framing',
    scenarios: ['protocol-framing/many-*', 'protocol-framing/flush-*', 'protocol-framing/error-mid-*', 'protocol-framing/portal-*', 'protocol-framing/empty-query', 'protocol-framing/messages-split-*', 'protocol-framing/message-larger-*', 'protocol-framing/terminate-*', 'protocol-framing/notice-*', 'protocol-framing/parameter-status-inside-*',
      'protocol-framing/large-*', 'protocol-framing/statement-name-*', 'protocol-framing/pipelined-*', 'protocol-framing/simple-*', 'protocol-framing/query-function-*',
      'protocol-framing/function-call-*', 'protocol-framing/binary-*', 'protocol-framing/message-too-*', 'protocol-framing/message-length-*', 'protocol-framing/unknown-*',
    ],
  },
  { id: 'authentication', title: 'Authentication (SCRAM, md5, trust, refusal)', scenarios: ['auth-transport/*-login', 'auth-transport/wrong-password-refused', 'auth-transport/login-*'] },
  {
    id: 'roles-and-databases', title: 'Roles and databases changed under the pool (role changes at the next login, DROP / RENAME DATABASE)',
    scenarios: ['auth-transport/role-*', 'auth-transport/database-*'],
  },
  { id: 'protocol-version', title: 'Protocol version negotiation (3.2, _pq_ options)', scenarios: ['auth-transport/protocol-*'] },
  { id: 'tls', title: 'TLS to the pooler', scenarios: ['auth-transport/tls-*'] },
  { id: 'client-certificate', title: 'Login with a client certificate (cert)', scenarios: ['auth-transport/client-certificate-*'] },
  { id: 'ipv6-loopback', title: 'Listening on the IPv6 loopback (::1)', scenarios: ['auth-transport/ipv6-*'] },
  { id: 'client-exit-cleanup', title: 'Cleanup after a client exits mid-session', scenarios: ['abnormal-exits/*'] },
  { id: 'server-ended-sessions', title: 'Sessions PostgreSQL ends (timeouts, pg_terminate_backend), and dead server connections kept from the next client', scenarios: ['abnormal-exits/server-*'] },
  {
    id: 'driver-statement-caches', title: 'Drivers\' own prepared statements (statement caches, prepare thresholds)',
    scenarios: ['drivers/statement-cache-*', 'drivers/driver-prepares-past-its-threshold', 'drivers/cancel-prepared-query-keeps-statement'],
  },
  {
    id: 'driver-session-view', title: 'What a driver holds about its session (reported backend pid, cached ParameterStatus)',
    scenarios: ['drivers/reported-pid-*', 'drivers/terminate-by-reported-pid-*', 'drivers/cached-*'],
  },
  { id: 'isolation-under-load', title: 'Session state kept apart with hundreds of clients at once (opt-in: --scenarios stress)', scenarios: ['stress/session-state-*'] },
  { id: 'pinning', title: 'Another client served while one holds session state (the pinning map; opt-in: --scenarios stress)', scenarios: ['stress/pinning-after-*'] },
  { id: 'many-pools', title: 'Many pools: hundreds of roles logging in, some then dropped (opt-in: --scenarios stress)', scenarios: ['stress/many-pools-*'] },
];
