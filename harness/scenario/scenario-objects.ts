// The roles and databases a scenario creates for itself (model.ts `roles`, `databases`): made
// on the observer before its setup, with names unique to the run ({{key}}, as any object), and
// dropped after its teardown whatever happened, found again by oid (a scenario may rename them).
// A session logs in as such a role, or to such a database, through the pooler's entry for names
// its config does not list (poolers/scenario-reach.ts); a target that has none makes the
// scenario `skip`, with the adapter's reason.
import { createHash } from 'node:crypto';
import { InfrastructureError } from '../kernel/errors.ts';
import { inRange } from '../kernel/versions.ts';
import type { QueryResult } from '../drivers/session.ts';
import { unreachable, type ScenarioReach } from '../poolers/scenario-reach.ts';
import { scramSecret } from '../wire/scram.ts';
import type { Scenario, ScenarioSpec, SessionSpec } from './model.ts';
import type { Templates } from './templates.ts';

/** What a session that names no scenario object logs in with: its pool's connection, the fixed role chosen. */
export interface Login {
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

/** A login as one of the scenario's roles, or to one of its databases, where the session names them. */
export function sessionLogin(spec: SessionSpec, s: Pick<ScenarioSpec, 'roles'>, t: Templates, base: Login): Login {
  const role = spec.role === undefined ? undefined : s.roles?.[spec.role];
  const user = spec.role === undefined ? base.user : t.expand(`{{${spec.role}}}`);
  const password =
    spec.password === 'wrong'
      ? 'not-the-password'
      : spec.password
        ? t.expand(spec.password.text)
        : spec.role !== undefined
          ? rolePassword(spec.role, role?.password, t)
          : base.password;
  const database = spec.database === undefined ? base.database : t.expand(`{{${spec.database}}}`);
  return { user, password, database };
}

/** A role's password: its own, or one made from its name (a scenario's role is no secret). */
const rolePassword = (key: string, own: string | undefined, t: Templates) => (own === undefined ? t.expand(`{{${key}}}-password`) : t.expand(own));

/** Why the target cannot serve the scenario's roles or databases (its result is `skip`), or undefined. */
export function objectsSkipReason(s: Pick<Scenario, 'sessions'>, reach: ScenarioReach | undefined, version: string | null): string | undefined {
  if (!reach) return undefined;
  const specs = Object.values(s.sessions);
  const roles = specs.some((x) => x.role !== undefined) ? unreachable(reach.roles, version) : undefined;
  const databases = specs.some((x) => x.database !== undefined) ? unreachable(reach.databases, version) : undefined;
  const why = roles ?? databases;
  if (why) return `the scenario logs in ${roles ? 'as a role' : 'to a database'} it creates, and ${why}`;
  const ipv6 = specs.some((x) => x.ipv6) ? unreachable(reach.ipv6, version) : undefined;
  return ipv6 && `the scenario logs in over the IPv6 loopback (::1), and ${ipv6}`;
}

/** One SQL literal. */
const literal = (v: string) => `'${v.replace(/'/g, "''")}'`;

/** The observer, as the runner lends it: a Query whose error is in the result. */
type Observe = (sql: string) => Promise<QueryResult>;

/** The scenario's roles and databases while it runs: created, then dropped. */
export class ScenarioObjects {
  private readonly roleOids: string[] = [];
  private readonly databaseOids: string[] = [];

  /** `postgres`: the release of the PostgreSQL behind the target, which decides how a database is copied. */
  constructor(
    private readonly s: Pick<ScenarioSpec, 'roles' | 'databases'>,
    private readonly t: Templates,
    private readonly postgres: string | null = null,
  ) {}

  /** The statements that make them, in order (databases first: a setup may grant a role on them). */
  creation(): Array<{ readonly sql: string; readonly oid: string; readonly kind: 'role' | 'database' }> {
    const out: Array<{ sql: string; oid: string; kind: 'role' | 'database' }> = [];
    for (const [key, d] of Object.entries(this.s.databases ?? {})) {
      if (d.absent) continue;
      const name = this.t.expand(`{{${key}}}`);
      // From 15 the default copy (WAL_LOG) writes the whole template into the WAL: seconds on
      // a busy machine. FILE_COPY copies the files, as the cluster's own lane databases are made.
      const strategy = inRange(this.postgres, '>=15') ? ' STRATEGY = FILE_COPY' : '';
      out.push({ kind: 'database', sql: `CREATE DATABASE ${name}${strategy}`, oid: `SELECT oid FROM pg_database WHERE datname = ${literal(name)}` });
    }
    for (const [key, r] of Object.entries(this.s.roles ?? {})) {
      if (r.absent) continue;
      const name = this.t.expand(`{{${key}}}`);
      // A salt of its own per key, the same in every run, so that transcripts of two runs compare.
      const salt = createHash('sha256').update(`poolcheck role ${key}`).digest().subarray(0, 16);
      const secret = scramSecret(rolePassword(key, r.password, this.t), salt);
      const limit = r.connectionLimit === undefined ? '' : ` CONNECTION LIMIT ${r.connectionLimit}`;
      out.push({
        kind: 'role',
        sql: `CREATE ROLE ${name} ${r.login === false ? 'NOLOGIN' : 'LOGIN'}${limit} PASSWORD ${literal(secret)}`,
        oid: `SELECT oid FROM pg_roles WHERE rolname = ${literal(name)}`,
      });
    }
    return out;
  }

  /** Creates them; a failure is poolcheck's (the names are its own), never the pooler's. */
  /** Creates the scenario's roles and databases; returns their oids. */
  async create(observe: Observe): Promise<string[]> {
    for (const c of this.creation()) {
      const made = await observe(c.sql);
      if (made.error) throw new InfrastructureError(`creating the scenario's ${c.kind} failed: ${made.error.code} ${made.error.message}`);
      const oid = (await observe(c.oid)).rows[0]?.[0];
      if (typeof oid === 'string') (c.kind === 'role' ? this.roleOids : this.databaseOids).push(oid);
    }
    return [...this.roleOids, ...this.databaseOids];
  }

  /**
   * Drops what was created, under whatever name it has now: databases with FORCE (their
   * sessions, the pooler's idle servers among them, end with them), then each role's backends,
   * what it owns or was granted here, and the role. Returns why a drop failed, if one did.
   */
  async drop(observe: Observe): Promise<string | undefined> {
    let failed: string | undefined;
    const run = async (sql: string) => {
      const r = await observe(sql);
      if (r.error) failed ??= `dropping the scenario's objects failed: ${r.error.code} ${r.error.message}`;
      return r;
    };
    for (const oid of this.databaseOids.splice(0)) {
      const name = (await run(`SELECT quote_ident(datname) FROM pg_database WHERE oid = ${Number(oid)}`)).rows[0]?.[0];
      if (typeof name === 'string') await run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
    for (const oid of this.roleOids.splice(0)) {
      // No WARNING for a backend that exited between the scan and its pg_terminate_backend: timing.
      await run(`DO $$ DECLARE n text; BEGIN
  SELECT rolname INTO n FROM pg_roles WHERE oid = ${Number(oid)};
  IF n IS NULL THEN RETURN; END IF;
  PERFORM set_config('client_min_messages', 'error', true);
  PERFORM pg_terminate_backend(pid) FROM pg_stat_activity WHERE usesysid = ${Number(oid)} AND pid <> pg_backend_pid();
  EXECUTE format('DROP OWNED BY %I', n);
  EXECUTE format('DROP ROLE %I', n);
END $$`);
    }
    return failed;
  }
}
