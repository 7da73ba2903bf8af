// pgpool-II's divergences in the catalogue's queue, pipeline, protocol-version, startup-options
// and SET-form scenarios (issue 18, items 6, 7, 15, 16, 17, 21, 25). Checked against 4.3.5
// (bookworm, PostgreSQL 15), 4.6.1 (trixie, 17) and 4.7.3 (sid, 18).
import type { ProfileEntry } from '../profile.ts';

const EVERY_MODE: readonly ProfileEntry[] = [
  {
    scenarios: [
      'auth-transport/protocol-3-2-accepted-with-long-cancel-key', 'auth-transport/protocol-3-3-negotiated-down',
      'auth-transport/protocol-options-listed-in-negotiation',
    ],
    versions: '<4.7',
    reason: 'pgpool-II before 4.7 refuses a StartupMessage asking for protocol 3.2 or 3.3, or carrying a _pq_ option, with XX000 "backend authentication failed", where PostgreSQL answers NegotiateProtocolVersion (or, 18, takes 3.2); 4.7.0 added protocol 3.2',
    link: 'https://www.pgpool.net/docs/47/en/html/release-4-7-0.html',
    divergence: { kind: 'messages' },
  },
  {
    scenarios: ['transactions/pipeline-execute-sent-past-ready-for-query'],
    versions: '<4.7',
    reason: 'pgpool-II reports the ReadyForQuery of a Sync as in a transaction block (T) when the client\'s next Bind/Execute came in the same write: the implicit transaction that Sync ended was committed, and PostgreSQL reports I; a driver then believes a BEGIN is open',
    link: 'https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-READYFORQUERY',
    source: 'observed',
    divergence: { kind: 'messages' },
  },
  {
    scenarios: ['auth-transport/warning-during-login-reaches-the-client'],
    versions: '4.6.1',
    reason: 'pgpool-II 4.6.1 refuses the login (XX000 "unable to get session context") when the server sends a WARNING while the backend session starts, where PostgreSQL gives the client the WARNING and the session; 4.3.5 and 4.7.3 relay it',
    link: 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP',
    source: 'observed',
    divergence: { kind: 'notices' },
  },
];

export const queueAndStartupEntries = { cache: EVERY_MODE } as const;
