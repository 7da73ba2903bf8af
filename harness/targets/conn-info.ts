import type { Endpoint } from '../wire/connection.ts';

/** Where and as whom a client connects. The password never leaves the process (see redact). */
export interface ConnInfo extends Endpoint {
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

