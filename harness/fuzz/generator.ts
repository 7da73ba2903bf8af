// Random multi-session programs in poolcheck's own scenario model, drawn from what the catalogue
// exercises: settings (SET, SET LOCAL, RESET, SHOW), SQL prepared statements, transactions and
// savepoints, errors on purpose, temporary tables, cursors with and without HOLD, advisory locks,
// LISTEN/NOTIFY, sequences, DISCARD ALL, disconnects and the next client, protocol-level named
// statements. Two or three clients of the `single` pool (and the observer) act in turn; a
// program is reproducible from its seed and index alone.
//
// What a generated step answers is not known here: the first run on PostgreSQL records it
// (program-scenario.ts). The generator only keeps programs runnable through a pool of one
// server connection: a client's transaction block is written as consecutive steps, so no other
// client waits behind it for the one server, and every object name is either per session
// (statements, cursors, temp tables: shared names on purpose, so that clients meet each
// other's) or unique to the run ({{sq}}, {{lk1}}, {{ch}}).
import type { ScenarioSpec, StepSpec } from '../scenario/model.ts';
import type { FrontendMessage } from '../wire/messages.ts';
import { Random } from './random.ts';

export const FUZZ_CATEGORY = 'session-state';
/** A waitNotification's deadline: PostgreSQL delivers at once; a pooler that loses it is waited out this long. */
export const NOTIFY_WAIT_MS = 800;

/** Settings and values to SET; DateStyle and TimeZone are ones a pooler tracks per client, the rest are not. */
const SETTINGS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['statement_timeout', ["'4321s'", "'17min'", '0']],
  ['lock_timeout', ["'1234ms'", "'5s'"]],
  ['work_mem', ["'8MB'", "'64kB'"]],
  ['search_path', ['pg_catalog', 'public, pg_temp']],
  ['extra_float_digits', ['1', '3']],
  ['DateStyle', ["'German'", "'SQL, DMY'"]],
  ['TimeZone', ["'Asia/Tokyo'", "'UTC'"]],
  ['fz.opt', ["'v1'", "'v2'"]],
];
const PREPARED = ['p1', 'p2'];
const CURSORS = ['c1', 'c2'];
const TEMP_TABLES = ['fz_t1', 'fz_t2'];
const LOCKS = ['lk1', 'lk2'];
const SESSIONS = ['a', 'b', 'c'];

/** What a program is about, by weight; and the theme of each family of actions. */
const THEMES: ReadonlyArray<readonly [string, number]> = [
  ['settings', 4],
  ['sql-prepared', 2],
  ['temp', 2],
  ['cursor', 2],
  ['lock', 2],
  ['sequence', 2],
  ['listen', 1],
  ['named', 2],
  ['protocol', 2],
  ['discard', 1],
];
const THEME_OF: Readonly<Record<string, string>> = {
  set: 'settings',
  show: 'settings',
  reset: 'settings',
  'set-local': 'settings',
  prepare: 'sql-prepared',
  execute: 'sql-prepared',
  deallocate: 'sql-prepared',
  temp: 'temp',
  cursor: 'cursor',
  lock: 'lock',
  'xact-lock': 'lock',
  sequence: 'sequence',
  listen: 'listen',
  named: 'named',
  protocol: 'protocol',
  discard: 'discard',
};

const lockKey = (k: string) => `hashtext('{{${k}}}')`;
/** The observer's count of the session-level advisory locks held on a key (objid: its low 32 bits). */
export const heldLocks = (k: string) =>
  `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND objid::bigint = (${lockKey(k)}::bigint & 4294967295)`;

/** What the driver can send, so that no program is made of steps it would skip. */
export interface Can {
  /** Protocol-level named statements (namedPrepare). */
  readonly namedPrepare: boolean;
  /** Raw message lists (protocol). */
  readonly protocol: boolean;
}
const EVERYTHING: Can = { namedPrepare: true, protocol: true };

interface SessionState {
  readonly name: string;
  gone: boolean;
}

/** One client's program state as the generator sees it: who is there, what the run uses. */
class Writer {
  readonly steps: StepSpec[] = [];
  readonly sessions: SessionState[] = [];
  usesSequence = false;
  private successors = 0;
  /** Sessions that ran LISTEN: only they wait for a notification (a wait nothing can end is waited out). */
  private readonly listening = new Set<string>();
  /** The families this program is about: drawn far more often than the rest, so clients meet each other's state. */
  private readonly themes: ReadonlySet<string>;
  /** The settings this program touches (two of them), so a SHOW reads what a SET wrote. */
  private readonly settings: ReadonlyArray<readonly [string, readonly string[]]>;

  constructor(
    readonly r: Random,
    count: number,
    readonly can: Can,
  ) {
    for (const name of SESSIONS.slice(0, count)) this.sessions.push({ name, gone: false });
    const themes = THEMES.map(([t]) => t);
    const first = r.weighted(THEMES);
    this.themes = new Set([first, r.pick(themes)]);
    const a = r.pick(SETTINGS);
    this.settings = [a, r.pick(SETTINGS.filter((x) => x !== a))];
  }

  /** A family's weight: its own, many times over where it is one of the program's themes. */
  private weigh(choices: ReadonlyArray<readonly [string, number]>): string {
    return this.r.weighted(choices.map(([f, w]) => [f, THEME_OF[f] && this.themes.has(THEME_OF[f]) ? w * 8 : w] as const));
  }

  private setting(): readonly [string, readonly string[]] {
    return this.r.chance(0.85) ? this.r.pick(this.settings) : this.r.pick(SETTINGS);
  }

  live(): SessionState[] {
    return this.sessions.filter((s) => !s.gone);
  }

  sql(session: string, sql: string): void {
    this.steps.push({ session, sql });
  }

  /** A statement one client runs on its own (outside a transaction block). */
  single(s: string): void {
    const r = this.r;
    const family = this.weigh([
      ['set', 4],
      ['show', 5],
      ['reset', 1],
      ['prepare', 2],
      ['execute', 3],
      ['deallocate', 1],
      ['temp', 3],
      ['cursor', 2],
      ['lock', 3],
      ['sequence', 3],
      ['listen', 2],
      ['discard', 1],
      ['error', 1],
      ['named', 2],
      ['protocol', 2],
      ['block', 3],
    ]);
    switch (family) {
      case 'set': {
        const [name, values] = this.setting();
        if (name.includes('.') && r.chance(0.5)) this.sql(s, `SELECT set_config('${name}', ${r.pick(values)}, false)`);
        else this.sql(s, `SET ${name} = ${r.pick(values)}`);
        return;
      }
      case 'show':
        return this.show(s);
      case 'reset':
        this.sql(s, r.chance(0.3) ? 'RESET ALL' : `RESET ${this.setting()[0]}`);
        return;
      case 'prepare': {
        const name = r.pick(PREPARED);
        this.sql(s, name === 'p1' ? `PREPARE p1 AS SELECT ${r.int(1, 9)}` : 'PREPARE p2(int) AS SELECT $1 + 1');
        return;
      }
      case 'execute': {
        const name = r.pick(PREPARED);
        this.sql(s, name === 'p1' ? 'EXECUTE p1' : `EXECUTE p2(${r.int(10, 99)})`);
        return;
      }
      case 'deallocate':
        this.sql(s, r.chance(0.3) ? 'DEALLOCATE ALL' : `DEALLOCATE ${r.pick(PREPARED)}`);
        return;
      case 'temp':
        return this.temp(s);
      case 'cursor': {
        const c = r.pick(CURSORS);
        const what = r.weighted<string>([
          ['declare', 2],
          ['fetch', 3],
          ['close', 1],
        ]);
        if (what === 'declare') this.sql(s, `DECLARE ${c} CURSOR WITH HOLD FOR SELECT g FROM generate_series(1, 4) g`);
        else this.sql(s, what === 'fetch' ? `FETCH 1 FROM ${c}` : `CLOSE ${c}`);
        return;
      }
      case 'lock': {
        const k = r.chance(0.8) ? LOCKS[0] : r.pick(LOCKS);
        const what = r.weighted<string>([
          ['try', 3],
          ['unlock', 2],
          ['observe', 2],
        ]);
        if (what === 'observe') this.steps.push({ session: 'observer', sql: heldLocks(k) });
        else this.sql(s, what === 'try' ? `SELECT pg_try_advisory_lock(${lockKey(k)})` : `SELECT pg_advisory_unlock(${lockKey(k)})`);
        return;
      }
      case 'sequence':
        return this.sequence(s);
      case 'listen': {
        const what = r.weighted<string>([
          ['listen', 2],
          ['notify', 2],
          ['wait', 2],
          ['unlisten', 1],
        ]);
        if (what === 'wait' && this.listening.has(s)) this.steps.push({ session: s, waitNotification: 'ch', timeoutMs: NOTIFY_WAIT_MS });
        else if (what === 'listen' || what === 'wait') {
          this.sql(s, 'LISTEN {{ch}}');
          this.listening.add(s);
        } else this.sql(s, what === 'unlisten' ? 'UNLISTEN *' : `NOTIFY {{ch}}, 'm${r.int(1, 9)}'`);
        return;
      }
      case 'discard':
        this.sql(s, 'DISCARD ALL');
        return;
      case 'error':
        this.sql(s, r.chance(0.5) ? 'SELECT 1/0' : 'SELECT * FROM fz_missing');
        return;
      case 'protocol':
        return this.protocol(s);
      case 'named': {
        // A protocol-level named statement, prepared on this connection at its first use.
        if (!this.can.namedPrepare) return this.show(s);
        const name = r.pick(['s1', 's2']);
        this.steps.push({ session: s, named: { name, sql: name === 's1' ? 'SELECT 1' : "SELECT 'two'" } });
        return;
      }
      default:
        return this.block(s);
    }
  }

  /**
   * Raw extended-protocol messages, each list ending in Sync: named and unnamed statements and
   * portals, Describe, Close, Flush. A client with no raw protocol reads a setting instead.
   */
  protocol(s: string): void {
    const r = this.r;
    if (!this.can.protocol) return this.show(s);
    const name = r.chance(0.5) ? 'ps1' : '';
    const sql = r.pick(['SELECT 1', "SELECT 'two'", 'SELECT g FROM generate_series(1, 3) g']);
    const portal = r.chance(0.3) ? 'pt1' : '';
    const lists: FrontendMessage[][] = [
      [{ type: 'Parse', name, sql }, { type: 'Sync' }],
      [
        { type: 'Parse', name, sql },
        { type: 'Bind', statement: name, params: [], portal },
        { type: 'Execute', portal, maxRows: 0 },
        { type: 'Sync' },
      ],
      [{ type: 'Bind', statement: name, params: [], portal }, { type: 'Execute', portal, maxRows: r.pick([0, 1]) }, { type: 'Sync' }],
      [{ type: 'Describe', kind: 'S', name }, { type: 'Sync' }],
      [{ type: 'Close', kind: 'S', name }, { type: 'Sync' }],
      [
        { type: 'Parse', name, sql },
        { type: 'Flush' },
        { type: 'Bind', statement: name, params: [], portal },
        { type: 'Describe', kind: 'P', name: portal },
        { type: 'Execute', portal, maxRows: 0 },
        { type: 'Sync' },
      ],
    ];
    this.steps.push({ session: s, messages: r.pick(lists) });
  }

  show(s: string): void {
    const [name] = this.setting();
    if (name.includes('.')) this.sql(s, this.r.chance(0.5) ? `SELECT current_setting('${name}', true)` : `SHOW ${name}`);
    else this.sql(s, `SHOW ${name}`);
  }

  temp(s: string): void {
    const r = this.r;
    const t = r.pick(TEMP_TABLES);
    const what = r.weighted<string>([
      ['create', 2],
      ['insert', 2],
      ['count', 3],
      ['drop', 1],
    ]);
    if (what === 'create') this.sql(s, `CREATE TEMP TABLE ${t} (x int)${r.chance(0.3) ? ' ON COMMIT DELETE ROWS' : ''}`);
    else if (what === 'insert') this.sql(s, `INSERT INTO ${t} VALUES (${r.int(1, 9)})`);
    else this.sql(s, what === 'count' ? `SELECT count(*) FROM ${t}` : `DROP TABLE ${t}`);
  }

  sequence(s: string): void {
    this.usesSequence = true;
    this.sql(
      s,
      this.r.weighted<string>([
        ["SELECT nextval('{{sq}}')", 3],
        ["SELECT currval('{{sq}}')", 3],
        ['SELECT lastval()', 1],
        [`SELECT setval('{{sq}}', ${this.r.int(20, 40)})`, 1],
      ]),
    );
  }

  /** A transaction block of one client, its steps consecutive. */
  block(s: string): void {
    const r = this.r;
    this.sql(s, r.chance(0.8) ? 'BEGIN' : 'START TRANSACTION');
    const inner = r.int(1, 3);
    let cursor: string | undefined;
    for (let i = 0; i < inner; i++) {
      const what = this.weigh([
        ['set-local', 3],
        ['set', 2],
        ['show', 2],
        ['cursor', 2],
        ['savepoint', 2],
        ['error', 1],
        ['temp', 2],
        ['sequence', 1],
        ['xact-lock', 1],
        ['prepare', 1],
      ]);
      const [name, values] = this.setting();
      switch (what) {
        case 'set-local':
          this.sql(s, `SET LOCAL ${name} = ${r.pick(values)}`);
          break;
        case 'set':
          this.sql(s, `SET ${name} = ${r.pick(values)}`);
          break;
        case 'show':
          this.show(s);
          break;
        case 'cursor':
          if (cursor) {
            this.sql(s, `FETCH 1 FROM ${cursor}`);
            break;
          }
          cursor = r.pick(CURSORS);
          this.sql(s, `DECLARE ${cursor} CURSOR${r.chance(0.5) ? ' WITH HOLD' : ''} FOR SELECT g FROM generate_series(1, 4) g`);
          break;
        case 'savepoint':
          this.sql(s, 'SAVEPOINT fz_sp');
          if (r.chance(0.5)) {
            this.sql(s, 'SELECT 1/0');
            this.sql(s, 'ROLLBACK TO SAVEPOINT fz_sp');
          }
          break;
        case 'error':
          this.sql(s, 'SELECT 1/0');
          break;
        case 'temp':
          this.temp(s);
          break;
        case 'sequence':
          this.sequence(s);
          break;
        case 'xact-lock':
          this.sql(s, `SELECT pg_try_advisory_xact_lock(${lockKey(r.pick(LOCKS))})`);
          break;
        default:
          this.sql(s, `PREPARE ${r.pick(PREPARED)} AS SELECT ${r.int(1, 9)}`);
      }
    }
    this.sql(s, r.chance(0.7) ? 'COMMIT' : 'ROLLBACK');
  }

  /** A client leaves; maybe the next client takes its place (a new session of the same pool). */
  leave(s: SessionState): void {
    this.steps.push({ session: s.name, disconnect: this.r.chance(0.8) ? 'terminate' : 'abrupt' });
    s.gone = true;
    if (this.successors < 2 && this.r.chance(0.7)) this.sessions.push({ name: `n${++this.successors}`, gone: false });
  }
}

/** The scenario id of program `index` of a seed: lower-case, as ids are. */
export function programId(seed: string, index: number): string {
  const slug =
    seed
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'seed';
  return `${FUZZ_CATEGORY}/fuzz-${slug}-${index}`;
}

/** Program `index` of `seed`: the same pair (and driver capabilities) gives the same program, every time. */
export function generateProgram(seed: string, index: number, can: Can = EVERYTHING): ScenarioSpec {
  const r = new Random(`${seed}#${index}`);
  const w = new Writer(r, r.int(2, 3), can);
  const length = r.int(5, 12);
  while (w.steps.length < length) {
    const live = w.live();
    if (!live.length) break;
    // Mostly another client than the last one: what one leaves, the next meets.
    const last = w.steps.at(-1)?.session;
    const others = live.filter((x) => x.name !== last);
    const s = others.length && r.chance(0.7) ? r.pick(others) : r.pick(live);
    if (w.steps.some((st) => st.session === s.name) && r.chance(0.06)) w.leave(s);
    else w.single(s.name);
  }
  const used = new Set(w.steps.map((st) => st.session));
  const sessions = Object.fromEntries(w.sessions.filter((s) => used.has(s.name)).map((s) => [s.name, {}]));
  return {
    id: programId(seed, index),
    category: FUZZ_CATEGORY,
    pool: 'single',
    why: `a program poolcheck fuzz generated (seed ${JSON.stringify(seed)}, program ${index}): clients of one pool meet each other's session state`,
    ...(w.usesSequence ? { setup: ['CREATE SEQUENCE {{sq}}'], teardown: ['DROP SEQUENCE IF EXISTS {{sq}}'] } : {}),
    sessions,
    steps: w.steps,
  };
}
