// `poolcheck repro`: one finding of an out folder written as a folder of reproducers: a case file
// that runs beside the catalogue, a pgproto data file per session, a standalone Node script, and
// REPORT.md for the pooler's issue tracker. The scenario comes from the catalogue as `run` loads
// it (with the same --cases folders); what the run saw comes from the out folder only.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { maskConnectionStrings } from '../kernel/connection-string-mask.ts';
import { UsageError } from '../kernel/errors.ts';
import { DIVERGENCE_KINDS } from '../kernel/divergence.ts';
import type { Catalog } from '../scenario/catalog.ts';
import type { Scenario } from '../scenario/model.ts';
import { reproSpec } from './case-spec.ts';
import { caseYaml } from './case-yaml.ts';
import { findingName, poolerText, readFinding, settingsText, type Finding } from './finding.ts';
import { pgprotoFiles } from './pgproto.ts';
import { replayData, replayScript } from './replay-script.ts';
import { reportMarkdown } from './report-md.ts';

export interface ReproRequest {
  /** The out folder of the run. */
  readonly from: string;
  /** SCENARIO@TARGET/DRIVER. */
  readonly result: string;
  /** The folder to write, absolute, and as the user named it (for the commands written into the files). */
  readonly to: string;
  readonly toShown: string;
  /** The catalogue as `run` loads it; asked for once the out folder and the result are known to be good. */
  readonly catalog: () => Promise<Pick<Catalog, 'scenarios' | 'broken'>>;
  readonly poolcheckVersion: string;
}

export interface ReproWritten {
  readonly reproId: string;
  /** Each file written, relative to the folder, in the order written. */
  readonly files: readonly string[];
}

export const SCRIPT_FILE = 'repro.mjs';
export const REPORT_FILE = 'REPORT.md';

/** The scenario of the finding, as the catalogue has it now. */
function scenarioOf(f: Finding, catalog: Pick<Catalog, 'scenarios' | 'broken'>): Scenario {
  const id = f.result.scenario;
  const found = catalog.scenarios.find((s) => s.id === id);
  if (found) return found;
  const broken = catalog.broken.find((b) => b.id === id);
  if (broken) throw new UsageError(`scenario ${id} does not load now: ${broken.problems[0] ?? 'invalid'}`);
  const where = f.result.definedAt ? ` (the run loaded it from ${f.result.definedAt})` : '';
  throw new UsageError(`scenario ${id}${where} is in no folder poolcheck loaded: give the --cases folder(s) the run used`);
}

/** A folder to write into: new, or empty, so no file of the user's is overwritten. */
function claim(to: string, shown: string): void {
  if (existsSync(to) && !statSync(to).isDirectory()) throw new UsageError(`--to ${shown} is a file: name a new or empty folder`);
  if (existsSync(to) && readdirSync(to).length)
    throw new UsageError(`--to ${shown} is not empty: name a new or empty folder (the reproducer's files would replace what is there)`);
  mkdirSync(to, { recursive: true });
}

/** `poolcheck run` arguments that run the reproducer on the finding's target and on direct. */
function runCommand(f: Finding, shown: string): string {
  const targets = `direct,${f.result.target}`;
  const quote = (s: string) => (/^[\w.,:/=+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  return `poolcheck run --targets ${quote(targets)} --drivers ${quote(f.result.driver)} --cases ${quote(shown)} --scenarios ${quote(`cases:${shown}`)}`;
}

/** What every artifact says on top: what it reproduces, where it was found, what diverged. */
function facts(f: Finding, s: Scenario, version: string): string[] {
  const t = f.target;
  const d = f.result.divergence;
  const driver = `${f.driver.id}${f.driver.library ? ` (${f.driver.library} ${f.driver.version ?? ''})`.replace(' )', ')') : ''}`;
  const moved = f.result.definedAt && f.result.definedAt !== s.source ? `; the run loaded it from ${f.result.definedAt}` : '';
  return [
    `poolcheck ${version} repro of ${findingName(f)}: ${s.why}`,
    `found by poolcheck ${f.run.poolcheckVersion}, run ${f.run.id}${f.run.startedAt ? ` of ${f.run.startedAt}` : ''}, with driver ${driver}; the scenario as defined in ${s.source}${moved}`,
    `target ${t.id}: ${poolerText(t)}, PostgreSQL ${t.postgresVersion ?? 'of unknown version'}${t.provider ? `, ${t.provider} provider` : ''}`,
    `pooler settings: ${settingsText(t).join(', ') || 'none'}`,
    d
      ? `divergence (${d.kind}: ${DIVERGENCE_KINDS[d.kind]}) at step ${d.step}, session ${d.session}: ${f.result.message ?? ''}`
      : `as reported: ${f.result.message ?? ''}`,
  ];
}

/** Function oids the run resolved by signature (`observer -- lo_creat(integer) is function 957` in a transcript). */
function functionOids(f: Finding): Map<string, number> {
  const text = `${f.transcripts.target ?? ''}\n${f.transcripts.direct ?? ''}`;
  return new Map([...text.matchAll(/^observer -- (.+) is function (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
}

/**
 * The finding with its run's words masked again (they were redacted in the out folder): a
 * connection string someone put into a setting or a message cannot leave with the files. A
 * setting that held one keeps `<redacted>` in the case, which then names the target to run.
 */
function masked(f: Finding): Finding {
  const values = (r: Readonly<Record<string, string>> | undefined) =>
    r && Object.fromEntries(Object.entries(r).map(([k, v]) => [k, maskConnectionStrings(v)]));
  return { ...f, target: { ...f.target, settings: values(f.target.settings), effectiveSettings: values(f.target.effectiveSettings) } };
}

export async function exportRepro(req: ReproRequest): Promise<ReproWritten> {
  const finding = masked(readFinding(req.from, req.result));
  const scenario = scenarioOf(finding, await req.catalog());
  claim(req.to, req.toShown);
  const head = facts(finding, scenario, req.poolcheckVersion).map(maskConnectionStrings);
  const spec = reproSpec(scenario, finding.target);
  const name = spec.id.slice(spec.id.indexOf('/') + 1);
  const caseFile = `${name}.yaml`;
  const command = runCommand(finding, req.toShown);
  const written: Array<[string, string]> = [];
  written.push([
    caseFile,
    caseYaml(spec, [
      ...head,
      '',
      'Run it beside the catalogue (it passes on direct, and diverges on the target as above where the pooler still behaves so):',
      `  ${command}`,
      'poolerSettings holds every setting the target ran: a target running other values skips the case and names the target to run.',
      "Say where the bug is known (the pooler, its releases, the issue's link) with `known:` once it is filed: docs/cases.md, section 7.",
    ]),
  ]);
  const pgproto = pgprotoFiles({
    scenario,
    functionOids: functionOids(finding),
    header: [
      ...head,
      'pgproto data file (pgpool-II): PGSSLMODE=disable pgproto -h HOST -p PORT -u USER -d DATABASE -f FILE, the password in PGPASSWORD',
      `object names {{name}} are written repro_name; see ${REPORT_FILE} for the order to run the files in`,
    ],
  });
  written.push(...pgproto);
  written.push([SCRIPT_FILE, replayScript(replayData(spec, scenario), [...head, ''])]);
  written.push([
    REPORT_FILE,
    maskConnectionStrings(
      reportMarkdown({
        finding,
        scenario,
        reproId: spec.id,
        caseFile,
        runCommand: command,
        pgproto: [...pgproto.keys()],
        poolcheckVersion: req.poolcheckVersion,
      }),
    ),
  ]);
  for (const [file, text] of written) writeFileSync(path.join(req.to, file), text);
  return { reproId: spec.id, files: written.map(([file]) => file) };
}
