import type { ConnInfo } from '../kernel/conn-info.ts';
import { errorText } from '../kernel/errors.ts';
import { poll } from '../kernel/poll.ts';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';
import { WireConnection } from '../wire/connection.ts';
import { Transcript } from '../wire/transcript.ts';
import type { ManagedProcess } from './processes.ts';

/**
 * Ready means a real client connection (startup, authentication, ReadyForQuery) succeeds,
 * and a query answers. Polls until the deadline; stops early if the server process died.
 */
export async function waitUntilReady(
  what: string,
  conn: ConnInfo,
  procs: ReadonlyArray<Pick<ManagedProcess, 'exitReason'>>,
  deadlineMs: number = TIMEOUT_MS.localReady,
): Promise<void> {
  let last = 'no attempt yet';
  await poll(
    {
      what: `${what} to accept a connection to ${conn.host}:${conn.port}`,
      timeoutMs: deadlineMs,
      maxIntervalMs: 50,
      seen: () => last,
      abort: () => {
        const dead = procs.find((p) => p.exitReason())?.exitReason();
        return dead && `${what} did not start: ${dead}`;
      },
    },
    async () => {
      last = (await loginFails(conn, TIMEOUT_MS.readyProbe)) ?? '';
      return last ? undefined : true;
    },
  );
}

/** Why a new client logging in through `conn` gets no answer to SELECT 1, or undefined when it does. */
export async function loginFails(conn: ConnInfo, timeoutMs: number): Promise<string | undefined> {
  try {
    const c = await WireConnection.connect({ ...conn, label: 'probe', transcript: Transcript.none(), timeoutMs });
    try {
      const reply = await c.exchange([{ type: 'Query', sql: 'SELECT 1' }], { timeoutMs });
      const error = reply.find((m) => m.type === 'ErrorResponse');
      return error?.type === 'ErrorResponse' ? `${error.code}: ${error.message}` : undefined;
    } finally {
      await c.close().catch(() => undefined);
    }
  } catch (err) {
    return errorText(err).split('\n')[0];
  }
}
