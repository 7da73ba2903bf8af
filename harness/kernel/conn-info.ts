/** A server's address. Every server poolcheck starts listens on 127.0.0.1. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** Where and as whom a client connects. The password never leaves the process (see redact). */
export interface ConnInfo extends Endpoint {
  readonly database: string;
  readonly user: string;
  readonly password: string;
}
