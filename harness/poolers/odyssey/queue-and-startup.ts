// Odyssey's divergences in the catalogue's queue, pipeline, protocol-version, startup-options and
// SET-form scenarios (issue 18, items 6, 7, 15, 16, 17, 21, 25). Checked against 1.5.2 (sid,
// PostgreSQL 18).
import type { ProfileEntry } from '../profile.ts';

const POOLING = 'https://github.com/yandex/odyssey/blob/master/docs/features/pooling.md';
const ENQUOTING = 'https://github.com/yandex/odyssey/blob/master/docs/configuration/global.md#smart_search_path_enquoting';

const EVERY_MODE: readonly ProfileEntry[] = [
  {
    scenarios: ['auth-transport/protocol-3-2-accepted-with-long-cancel-key', 'auth-transport/protocol-3-3-negotiated-down'],
    versions: '<=1.5.2',
    reason:
      'Odyssey 1.5.2 closes the connection of a client whose StartupMessage asks for protocol 3.2 or 3.3, where PostgreSQL takes 3.2 (18) or answers NegotiateProtocolVersion; negotiation came after 1.5.2',
    link: 'https://github.com/yandex/odyssey/pull/1468',
    source: 'issue',
    divergence: { kind: 'closed' },
  },
  {
    scenarios: ['auth-transport/protocol-options-listed-in-negotiation'],
    versions: '<=1.5.2',
    reason:
      'Odyssey 1.5.2 takes a _pq_ protocol option it does not know without a word, where PostgreSQL lists it in NegotiateProtocolVersion, so the client believes the option is in effect; negotiation came after 1.5.2',
    link: 'https://github.com/yandex/odyssey/pull/1468',
    source: 'issue',
    divergence: { kind: 'messages' },
  },
  {
    scenarios: [
      'auth-transport/options-c-switch-forms',
      'auth-transport/options-dashes-for-underscores',
      'auth-transport/options-backslash-escapes',
      'auth-transport/options-repeated-setting-last-wins',
      'auth-transport/options-two-clients-each-keep-their-own',
      'auth-transport/options-common-settings-each-applied',
    ],
    reason:
      'Odyssey reads the options startup parameter itself and applies only part of it on the server: an IntervalStyle setting and one written -cname=value are not applied, nor the settings after such a switch (so of a repeated setting the first may stay); PostgreSQL applies every -c and -- setting, the last of a name winning',
    link: 'https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-OPTIONS',
    source: 'observed',
    divergence: { kind: 'rows' },
  },
  {
    // The pull request adds the two spqrguard.* names to Odyssey's list of known settings.
    scenarios: ['auth-transport/options-custom-dotted-settings'],
    reason:
      'Odyssey passes on to the server only the -c settings of the options parameter whose names are on its own list (search_path, statement_timeout, work_mem, lock_timeout, role, two spqrguard.* names and a few more); any other custom (dotted) setting is dropped without a word, so SHOW of it fails with 42704 where PostgreSQL returns the value',
    link: 'https://github.com/yandex/odyssey/pull/1316',
    source: 'observed',
    divergence: { kind: 'error', sqlstate: '42704' },
  },
  {
    scenarios: ['auth-transport/options-search-path-kept-as-written', 'auth-transport/options-value-is-not-sql'],
    reason:
      'Odyssey puts a search_path from the options parameter in double quotes as one identifier unless smart_search_path_enquoting is on (off by default): "$user",public,x becomes a single schema name; a value with a semicolon is kept from running as SQL that way, but is not the value given',
    link: ENQUOTING,
    divergence: { kind: 'rows' },
  },
  {
    // Odyssey's own test suite expects the server's login WARNING relayed (pg_regress startup_notice).
    // When Odyssey opens the server connection while the client's login waits, the WARNING does
    // come through (seen once with raw in transaction pooling, 1.5.2): whether it does is timing.
    scenarios: ['auth-transport/warning-during-login-reaches-the-client'],
    optional: true,
    reason:
      "Odyssey answers a client's login itself and logs in to the server on its own: a WARNING the server sends while that session starts (a role setting that no longer applies) does not reach the client",
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP',
    source: 'observed',
    divergence: { kind: 'notices' },
  },
];

/** Transaction pooling: the server is reset when each transaction ends. */
const TRANSACTION: readonly ProfileEntry[] = [
  {
    scenarios: [
      'session-state/set-invalid-value-fails-at-the-set',
      'session-state/two-sets-in-one-query-string',
      'session-state/set-and-select-in-one-query-string',
      'session-state/set-time-zone-interval',
      'auth-transport/role-refused-superuser-setting',
    ],
    reason:
      'transaction pooling "does not preserve session state between transactions": a SET (statement_timeout, lock_timeout, client_min_messages) is gone after its transaction; only the parameters Odyssey tracks (TimeZone among them) are re-applied',
    link: POOLING,
    divergence: { kind: 'rows' },
  },
  {
    scenarios: ['session-objects/temp-table-shadows-permanent-table', 'session-objects/temp-table-shadow-not-seen-by-next-client'],
    reason:
      'transaction pooling "does not preserve session state between transactions", "temporary tables are not supported": the reset drops the temporary table when its transaction ends, so the name means the permanent table again',
    link: POOLING,
    divergence: { kind: 'rows' },
  },
  {
    // PostgreSQL 18 reports search_path, which Odyssey then re-applies at every transaction;
    // before 18 it is lost with the transaction instead (SESSION_STATE_RESET's search-path entry).
    scenarios: ['session-state/quoted-search-path-same-text-across-transactions'],
    reason:
      "Odyssey re-applies the client's search_path on the server it gets in double quotes as one identifier (smart_search_path_enquoting is off by default), so a path with quoted entries reads back quoted once more, as one schema that does not exist",
    link: ENQUOTING,
    divergence: { kind: 'rows' },
  },
];

/** Prepared-statement support off: DISCARD ALL (pool_discard) when each transaction ends. */
const NOT_RESERVED: readonly ProfileEntry[] = [
  {
    scenarios: ['transactions/pipeline-execute-sent-past-ready-for-query'],
    settings: { pool_reserve_prepared_statement: 'no', pool_discard: 'yes' },
    reason:
      'without prepared-statement support "transaction pooling does not preserve session state between transactions": pool_discard runs DISCARD ALL at the ReadyForQuery that ends the pipeline\'s first transaction, so the Bind of the next one finds no unnamed statement (26000)',
    link: POOLING,
    divergence: [{ kind: 'messages' }, { kind: 'error', sqlstate: '26000' }, { kind: 'sqlstate', sqlstate: '26000' }],
  },
];

export const queueAndStartupEntries = {
  session: EVERY_MODE,
  transaction: [...EVERY_MODE, ...TRANSACTION, ...NOT_RESERVED],
} as const;
