// What exactly differed from PostgreSQL, as data: each diverging result records one, and a
// profile entry names the ones it documents.

export const DIVERGENCE_KINDS = {
  rows: 'the rows differ',
  error: 'an error where PostgreSQL had none',
  'no-error': 'no error where PostgreSQL had one',
  sqlstate: "another SQLSTATE than PostgreSQL's",
  closed: 'the connection was closed (with the FATAL SQLSTATE, when one came)',
  messages: 'extra, missing or other protocol messages',
  'parameter-status': 'a ParameterStatus value differs',
  notices: 'other notices',
  notification: 'a notification differs, or came where none should',
  'no-answer': 'no answer within the deadline where PostgreSQL answered',
  'ground-truth': 'the database never reached the state PostgreSQL reaches (seen from the observer)',
  crash: 'a PostgreSQL backend crashed (its log says so) where PostgreSQL alone did not',
} as const;
export type DivergenceKind = keyof typeof DIVERGENCE_KINDS;

/**
 * The expected side of a divergence the runner cannot word (the pooler closed the connection,
 * or did not answer): PostgreSQL's own answer at that step, which the baseline rule
 * (report/verdict.ts) writes in its place from the direct result of the same scenario and driver.
 */
export const POSTGRESQL_ANSWER = 'what PostgreSQL answers at this step';

export interface Divergence {
  /** The step that diverged, counted from 1. */
  readonly step: number;
  readonly session: string;
  readonly kind: DivergenceKind;
  /** The SQLSTATE the pooler's side got, where one came (error, sqlstate, closed). */
  readonly sqlstate?: string;
  /** The session had not finished logging in (startup, authentication, ReadyForQuery). */
  readonly atLogin?: true;
  /** What PostgreSQL behaviour was expected, in words. */
  readonly expected: string;
  /** What happened instead. */
  readonly observed: string;
}
