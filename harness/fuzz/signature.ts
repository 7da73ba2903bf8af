// One defect, one report: a divergence of a generated program is named by its signature, the
// divergence kind, the family of the action at the step that diverged (what the client did:
// read a setting, execute a prepared statement...) and the SQLSTATE where one came. Programs
// that meet the same defect differ in everything else, so they share a signature.
//
// Profiles document divergences by scenario id, and a generated program has none the profile
// names: a signature is documented where the profile documents that same divergence for a
// catalogue scenario about that family (REPRESENTATIVES), as the run's judge would find it on
// the target (mode, release, settings, driver; the scenario's traits and known issues): the
// entry's reason is then the class it belongs to.
import type { Divergence } from '../kernel/divergence.ts';
import type { ProfileEntry } from '../poolers/profile.ts';
import type { StepSpec } from '../scenario/model.ts';

export const FAMILIES = [
  'setting',
  'sql-prepared',
  'protocol-prepared',
  'temp-table',
  'cursor',
  'advisory-lock',
  'sequence',
  'listen-notify',
  'discard',
  'transaction',
  'error',
  'disconnect',
  'other',
] as const;
export type Family = (typeof FAMILIES)[number];

/** By the first that matches: the most specific words first (EXECUTE names a statement, not a setting). */
const SQL_FAMILIES: ReadonlyArray<readonly [Family, RegExp]> = [
  ['sql-prepared', /^\s*(PREPARE|EXECUTE|DEALLOCATE)\b/i],
  ['advisory-lock', /advisory/i],
  ['sequence', /\b(nextval|currval|lastval|setval)\s*\(/i],
  ['cursor', /^\s*(DECLARE|FETCH|CLOSE|MOVE)\b/i],
  ['temp-table', /\bTEMP(ORARY)?\b|\bfz_t\d\b/i],
  ['listen-notify', /^\s*(LISTEN|UNLISTEN|NOTIFY)\b|pg_notify/i],
  ['discard', /^\s*DISCARD\b/i],
  ['setting', /^\s*(SET|RESET|SHOW)\b|set_config|current_setting/i],
  ['transaction', /^\s*(BEGIN|START|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|ABORT)\b/i],
  ['error', /\b1\s*\/\s*0\b|fz_missing/],
];

/** What kind of action a step is, as a signature names it. */
export function actionFamily(st: StepSpec | undefined): Family {
  if (!st) return 'other';
  if (st.named !== undefined || st.messages !== undefined) return 'protocol-prepared';
  if (st.waitNotification !== undefined) return 'listen-notify';
  if (st.disconnect !== undefined) return 'disconnect';
  if (st.sql === undefined) return 'other';
  return SQL_FAMILIES.find(([, re]) => re.test(st.sql))?.[0] ?? 'other';
}

export interface Signature {
  readonly kind: Divergence['kind'];
  readonly family: Family;
  readonly sqlstate?: string;
}

/** `rows:setting`, `no-error:sql-prepared`, `error:protocol-prepared:42P05`. */
export const signatureText = (s: Signature): string => [s.kind, s.family, ...(s.sqlstate ? [s.sqlstate] : [])].join(':');

/** The signature of a divergence at a step of these steps (its `step` counts from 1). */
export function signatureOf(d: Divergence, steps: readonly StepSpec[]): Signature {
  return { kind: d.kind, family: actionFamily(steps[d.step - 1]), ...(d.sqlstate ? { sqlstate: d.sqlstate } : {}) };
}

/**
 * Catalogue scenarios about each family, whose profile entries say what a pooler documents for
 * it (the catalogue test checks that each id exists).
 */
export const REPRESENTATIVES: Readonly<Record<Family, readonly string[]>> = {
  setting: [
    'session-state/set-visible-to-next-client',
    'session-state/custom-setting-visible-to-next-client',
    'session-state/search-path-visible-to-next-client',
    'session-state/reset-all-by-other-client',
    'parameter-status/extra-float-digits-kept-per-client',
  ],
  'sql-prepared': [
    'prepared-statements/sql-execute-from-other-client',
    'prepared-statements/sql-prepare-same-name-in-two-clients',
    'prepared-statements/deallocate-name-of-other-clients-sql-statement',
  ],
  'protocol-prepared': [
    'prepared-statements/named-same-name-in-two-clients',
    'prepared-statements/named-statement-invisible-to-other-client',
    'prepared-statements/unnamed-statement-survives-sync',
  ],
  'temp-table': ['session-state/temp-table-visible-to-next-client', 'session-state/temp-table-collides-with-next-client'],
  cursor: ['session-objects/cursor-with-hold-invisible-to-other-client', 'session-objects/cursor-with-hold-same-name-in-two-clients'],
  'advisory-lock': ['session-state/advisory-lock-held-against-other-client', 'session-state/advisory-lock-unlock-by-other-client'],
  sequence: [
    'sequences/currval-sees-other-clients-nextval',
    'sequences/currval-before-nextval-fails',
    'sequences/lastval-sees-other-clients-nextval',
  ],
  'listen-notify': ['session-state/notify-reaches-listener', 'session-state/listen-survives-between-transactions'],
  discard: ['session-state/discard-all-by-other-client'],
  transaction: [],
  error: [],
  disconnect: [],
  other: [],
};

/**
 * The entry of the target's profile documenting one of these divergences for a catalogue
 * scenario, as the run's judge finds it (report/judge.ts Judge.documenting), on the target and
 * with the driver at hand.
 */
export type Documenting = (scenario: string, divergences: readonly Divergence[]) => ProfileEntry | undefined;

/**
 * The profile entry documenting this divergence for a catalogue scenario of the same family on
 * this target (its reason names the class), or undefined: a new divergence.
 */
export function documentingEntry(d: Divergence, steps: readonly StepSpec[], documenting: Documenting): ProfileEntry | undefined {
  // Another client's state read where PostgreSQL has none (a setting this client never set:
  // 42704 on PostgreSQL) is the leak the catalogue documents as other rows: the same class.
  const alike: Divergence[] = d.kind === 'no-error' ? [d, { ...d, kind: 'rows', sqlstate: undefined }] : [d];
  for (const scenario of REPRESENTATIVES[actionFamily(steps[d.step - 1])]) {
    const entry = documenting(scenario, alike);
    if (entry) return entry;
  }
  return undefined;
}
