// The failures poolcheck tells apart. An outcome is decided from these types
// (scenario/outcome.ts), never from an error's wording: each driver turns its library's own
// signals into them at its boundary.

/** A wait that hit its deadline; the message names what was awaited. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

/**
 * The other end closed the connection, or the socket failed, while the client waited on it:
 * something the server (or the pooler in front of it) did, so it is behaviour, not a fault.
 */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';
  /** The SQLSTATE of the FATAL error that came before the close, when one did. */
  constructor(
    message: string,
    readonly sqlstate?: string,
  ) {
    super(message);
  }
}

/**
 * The server (or the pooler in front of it) sent bytes that break the protocol, as the driver
 * read them: a message whose contents disagree with its length, a message where none belongs.
 * Like a lost connection it is behaviour at that step, not a fault of the harness.
 */
export class ProtocolViolationError extends Error {
  override readonly name = 'ProtocolViolationError';
}

/** libpq's words for such bytes (fe-protocol3.c); psycopg, on libpq, reports them the same. */
export const LIBPQ_PROTOCOL_VIOLATION =
  /message contents do not agree with length in message type|lost synchronization with server|unexpected response from server; first received character|(insufficient|extraneous) data in "\w" message|message type 0x[0-9a-f]{2} arrived from server while idle/;

/** An ErrorResponse where a call cannot go on (a refused login), with its SQLSTATE. */
export class ServerError extends Error {
  override readonly name = 'ServerError';
  constructor(
    readonly code: string,
    message: string,
    readonly severity = 'ERROR',
  ) {
    super(message);
  }
}

/**
 * A login the server (or the pooler in front of it) ended with a FATAL error, through a driver
 * that keeps only its words, not its SQLSTATE (libpq and psycopg for a failed connection
 * attempt): the server's answer at login, as a ServerError is, with the code unknown.
 */
export class LoginRefusedError extends Error {
  override readonly name = 'LoginRefusedError';
}

/**
 * Drivers' words for a login the server answered with an error they keep no SQLSTATE of:
 * libpq's and psycopg's "... failed: FATAL:  ..." (or "failed: ERROR:  ...": Odyssey refuses a
 * login with severity ERROR, "frontend auth: failed to make auth query"), and pgx's SCRAM exchange meeting an
 * ErrorResponse where AuthenticationSASLFinal belongs (pgpool-II answers a wrong password so)
 * or where AuthenticationSASLContinue belongs (Odyssey refuses a role whose secret is md5 so).
 */
export const SERVER_FATAL_AT_LOGIN =
  /\bFATAL:\s|\bfailed: ERROR:\s|expected AuthenticationSASL(Final|Continue) message but received unexpected message|^(\w+: )?connect: unexpected message from server$/;

/**
 * Trouble with what poolcheck runs on or with poolcheck itself (a server that died, a helper
 * process that crashed, the observer's connection failing): `error`, never a verdict.
 */
export class InfrastructureError extends Error {
  override readonly name = 'InfrastructureError';
}

/** A scenario that cannot be run as written (found when the catalogue loads, or by its data at run time). */
export class InvalidScenarioError extends Error {
  override readonly name = 'InvalidScenarioError';
}

/** Bad input from the user (an option, a target, a file): one line naming it and the fix, exit 2, before anything starts. */
export class UsageError extends Error {}

/** `f()`, its failure a UsageError: a bad option or file the user named, not poolcheck's fault. */
export const asUsage = <T>(f: () => T): T => {
  try {
    return f();
  } catch (e) {
    throw new UsageError(errorText(e));
  }
};

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A SQLSTATE: five characters of digits and upper-case letters. */
export const isSqlState = (code: unknown): code is string => typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
