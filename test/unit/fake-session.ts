// A driver whose sessions replay scripted answers, and a target whose observer does the same:
// the runner exercised without any server.
import type { Capability, Driver, QueryResult, Session, SessionOptions } from '../../harness/drivers/session.ts';
import { withDeadline } from '../../harness/kernel/poll.ts';
import { NotificationBox } from '../../harness/drivers/session.ts';
import type { RunContext } from '../../harness/scenario/runner.ts';
import type { Lane, StartedTarget } from '../../harness/targets/started-target.ts';
import type { ServerMessage } from '../../harness/wire/messages.ts';

/** What a fake session answers to a statement: a result, a thrown error, or a wait that never ends. */
export type Answer = QueryResult | Error | 'hang' | ((sql: string) => Promise<QueryResult>);

export const rows = (...r: (string | null)[][]): QueryResult => ({ rows: r, columns: r[0]?.map((_, i) => `c${i}`) ?? [], command: 'SELECT' });
export const sqlError = (code: string): QueryResult => ({ rows: [], columns: [], error: { code, message: `error ${code}` } });

export interface FakeScript {
  /** Per session name, per SQL text (after template expansion), the answers in order (the last repeats). */
  readonly answers?: Record<string, Record<string, Answer[]>>;
  /** Thrown by connect for this session. */
  readonly refuse?: Record<string, Error>;
  /** The observer's rows per SQL text (DataRow values), an ErrorResponse, or an error to throw (its connection failed). */
  readonly observer?: (sql: string) => readonly (readonly string[])[] | { readonly sqlstate: string; readonly message: string } | Error;
  readonly capabilities?: readonly Capability[];
  /** What the target says about a server that stopped on its own. */
  readonly targetFailure?: string;
  /** Per session name, the messages of its login (a raw driver's). */
  readonly login?: Record<string, readonly ServerMessage[]>;
}

class FakeSession implements Session {
  readonly log: string[] = [];
  private readonly box = new NotificationBox();
  closed = false;

  constructor(
    private readonly name: string,
    private readonly script: FakeScript,
  ) {}

  async query(sql: string, _params?: unknown, opts?: { timeoutMs?: number }): Promise<QueryResult> {
    this.log.push(sql);
    const list = this.script.answers?.[this.name]?.[sql];
    if (!list?.length) return rows();
    const answer = list.length > 1 ? list.shift()! : list[0];
    // A driver gives up at the step's deadline, as the real ones do.
    if (answer === 'hang') return withDeadline(new Promise<never>(() => undefined), opts?.timeoutMs ?? 200, `${this.name}: reply to ${sql}`);
    if (answer instanceof Error) throw answer;
    if (typeof answer === 'function') return answer(sql);
    return answer;
  }

  executeNamed(_name: string, sql: string): Promise<QueryResult> {
    return this.query(sql);
  }
  async cancel(): Promise<void> {
    this.log.push('cancel');
  }
  backendPid(): number {
    return this.name.charCodeAt(0);
  }
  parameterStatus(): string | undefined {
    return undefined;
  }
  loginMessages(): readonly ServerMessage[] {
    return this.script.login?.[this.name] ?? [];
  }
  waitNotification(channel: string, timeoutMs: number) {
    return this.box.take(channel, timeoutMs);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  destroy(): void {
    this.closed = true;
  }
}

export function fakeDriver(script: FakeScript, sessions: Map<string, FakeSession> = new Map()): Driver & { sessions: Map<string, FakeSession> } {
  return {
    id: 'fake',
    library: 'fake',
    version: '0',
    notes: 'replays answers',
    loginMs: 1,
    sessions,
    capabilities: new Set<Capability>(script.capabilities ?? ['cancel', 'backendPid', 'notifications']),
    async connect(opts: SessionOptions) {
      const refused = script.refuse?.[opts.label];
      if (refused) throw refused;
      const s = new FakeSession(opts.label, script);
      sessions.set(opts.label, s);
      return s;
    },
  };
}

const conn = { host: '127.0.0.1', port: 1, database: 'db', user: 'app', password: 'pw' };

export function fakeContext(script: FakeScript, stepTimeoutMs = 200): RunContext & { driver: ReturnType<typeof fakeDriver>; released: () => number } {
  let released = 0;
  const lane: Lane = {
    index: 0,
    direct: conn,
    pools: { single: conn, wide: conn },
    quiesce: async () => undefined,
    observer: {
      async query(sql) {
        const answer = script.observer?.(sql) ?? [];
        if (answer instanceof Error) throw answer;
        if ('sqlstate' in answer)
          return [
            { type: 'ErrorResponse', severity: 'ERROR', code: answer.sqlstate, message: answer.message },
            { type: 'ReadyForQuery', status: 'I' },
          ];
        const messages: ServerMessage[] = [
          { type: 'RowDescription', columns: ['c0'] },
          ...answer.map((values): ServerMessage => ({ type: 'DataRow', values })),
          { type: 'CommandComplete', tag: 'SELECT' },
          { type: 'ReadyForQuery', status: 'I' },
        ];
        return messages;
      },
      async release() {
        released++;
      },
    },
  };
  const target: StartedTarget = {
    spec: { id: 'direct', pooler: null, mode: null, settings: {} },
    provider: 'local',
    lanes: [lane],
    poolerVersion: null,
    postgresVersion: '15',
    facts: { mode: null, version: null, postgresVersion: '15', settings: {} },
    failure: () => script.targetFailure,
    stop: async () => undefined,
  };
  return { target, lane, driver: fakeDriver(script), namePrefix: 'pct_1', stepTimeoutMs, released: () => released };
}
