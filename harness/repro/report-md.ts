// REPORT.md: a finding written for the pooler's issue tracker, to paste as it is: what differs
// from PostgreSQL and where, the releases and settings, how to reproduce it with each of the
// three artifacts, and the two transcripts. Text from the run goes through markdown-text.ts, so
// a server's message reads as text, never as Markdown or HTML.
import { DIVERGENCE_KINDS } from '../kernel/divergence.ts';
import { markdownCode, markdownText } from '../report/markdown-text.ts';
import type { Scenario } from '../scenario/model.ts';
import { poolerText, postgresAnswer, settingsText, type Finding } from './finding.ts';
import { stepText } from './step-text.ts';

export interface ReportInput {
  readonly finding: Finding;
  /** The scenario as the catalogue loaded it. */
  readonly scenario: Scenario;
  /** The reproducer's own id, its case file's name and the folder it was written to (as the user named it). */
  readonly reproId: string;
  readonly caseFile: string;
  /** The `poolcheck run` command that runs the case file on direct and the target. */
  readonly runCommand: string;
  /** The pgproto files, in the order to run them. */
  readonly pgproto: readonly string[];
  readonly poolcheckVersion: string;
}

/** Lines that say the same in every login (the parameters, the authentication exchange), left out of a step's excerpt. */
const LOGIN_NOISE = /^\S+ (?:<= BE (?:ParameterStatus|Authentication)|FE=> (?:SASL|PasswordMessage))/;

/** A fenced block holding `text` as written, a line each: the fence longer than any run of backticks in it. */
function codeBlock(text: string): string[] {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return [fence, ...text.replace(/\n+$/, '').split('\n'), fence];
}

/** A block inside a numbered list item: indented as the item's text. */
const inItem = (lines: readonly string[]): string[] => lines.map((l) => `   ${l}`);

/**
 * What a transcript holds for step `n`: from its `-- step n:` line to the next step's (or the
 * scenario's end), without the login's parameters and authentication.
 */
export function stepExcerpt(transcript: string, n: number): string | undefined {
  const lines = transcript.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\S+ -- step ${n}: `).test(l));
  if (start < 0) return undefined;
  const next = lines.findIndex((l, i) => i > start && /^\S+ -- step \d+: /.test(l));
  const end = next < 0 ? lines.findIndex((l, i) => i > start && / -- closed at the end of the scenario$/.test(l)) : next;
  const excerpt = lines.slice(start, end < 0 ? undefined : end).filter((l) => !LOGIN_NOISE.test(l));
  // After the last step, the sessions' Terminates are the scenario's end, not the step's.
  if (next < 0) while (excerpt.length > 1 && / FE=> Terminate$/.test(excerpt[excerpt.length - 1])) excerpt.pop();
  return excerpt.join('\n');
}

/** The steps as a numbered list: session, what it does, what it expects; the diverging one marked. */
function stepList(s: Scenario, diverged: number): string[] {
  return s.steps.map((st, i) => {
    const what = stepText(st);
    const extra = [
      st.background ? `in the background as ${st.background}` : '',
      st.save ? `saves $${st.save}` : '',
      st.savePid ? `saves its pid as $${st.savePid}` : '',
    ].filter(Boolean);
    const expects = st.expect ? `, expects ${markdownCode(JSON.stringify(st.expect))}` : '';
    const mark = i + 1 === diverged ? ' **← differs here**' : '';
    return `${i + 1}. ${markdownText(st.session)}: ${markdownCode(what)}${extra.length ? ` (${markdownText(extra.join('; '))})` : ''}${expects}${mark}`;
  });
}

function whatDiffers(input: ReportInput): string[] {
  const { finding: f, scenario: s } = input;
  const d = f.result.divergence;
  const pooler = f.target.pooler ?? f.target.id;
  const out = ['## What differs', ''];
  if (d) {
    const step = s.steps[d.step - 1];
    out.push(
      `At step ${d.step} (session ${markdownText(d.session)}${step ? `: ${markdownCode(stepText(step))}` : ''}), ${markdownText(DIVERGENCE_KINDS[d.kind])}${d.sqlstate ? ` (SQLSTATE ${markdownText(d.sqlstate)})` : ''}${d.atLogin ? ', while logging in' : ''}:`,
      '',
      `- PostgreSQL: ${markdownCode(postgresAnswer(f) ?? d.expected)}`,
      `- ${markdownText(pooler)}: ${markdownCode(d.observed)}`,
      `- the scenario expects: ${markdownCode(d.expected.replace(/^expected /, ''))}`,
      '',
    );
  }
  out.push(`poolcheck's words: ${markdownCode(f.result.message ?? '')}`, '');
  if (f.result.verdict === 'flaky') out.push("The result was flaky: its attempts did not all agree (see results.json's attempts).", '');
  const here = d ? stepExcerpt(f.transcripts.direct ?? '', d.step) : undefined;
  const there = d ? stepExcerpt(f.transcripts.target ?? '', d.step) : undefined;
  if (here) out.push('PostgreSQL (direct), that step:', '', ...codeBlock(here), '');
  if (there) out.push(`${markdownText(f.result.target)}, that step:`, '', ...codeBlock(there), '');
  return out;
}

function versions(input: ReportInput): string[] {
  const { finding: f } = input;
  const t = f.target;
  const driver = f.driver.library ? `${f.driver.id} (${f.driver.library} ${f.driver.version ?? ''})`.replace(' )', ')') : f.driver.id;
  const rows: Array<[string, string]> = [
    ['target', t.id],
    ['pooler', poolerText(t)],
    ['PostgreSQL', t.postgresVersion ?? 'unknown'],
    ['pooler settings', settingsText(t).join(', ') || "none named; the release's defaults"],
    ['client', driver],
    [
      'found by',
      `poolcheck ${f.run.poolcheckVersion}, run ${f.run.id}${f.run.startedAt ? ` of ${f.run.startedAt}` : ''}${t.provider ? `, ${t.provider} provider` : ''}`,
    ],
  ];
  return ['## Versions and settings', '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${markdownText(v)} |`), ''];
}

function howTo(input: ReportInput): string[] {
  const { finding: f } = input;
  const out = [
    '## How to reproduce',
    '',
    input.scenario.pool === 'single'
      ? "The scenario's clients take turns on one server connection (its pool is `single`): point the pooled side at a pool of one server connection, as poolcheck's single pool is."
      : "The scenario's clients run at once (its pool is `wide`): point the pooled side at a pool of several server connections.",
    '',
    `1. With poolcheck (the case file ${markdownCode(input.caseFile)}): it passes on PostgreSQL and differs on the target as above.`,
    '',
    ...inItem(codeBlock(`npx ${input.runCommand}`)),
    '',
    '2. With Node alone (`repro.mjs`, no dependencies), the password in `PGPASSWORD`: it runs the sessions against PostgreSQL, then through the pooler, prints both transcripts and exits 1 where the pooler differs.',
    '',
    ...inItem(codeBlock('node repro.mjs postgres://USER@HOST:5432/DATABASE postgres://USER@HOST:6432/DATABASE')),
    '',
    `3. With pgpool-II's pgproto, one data file per session, run in the order of the steps (comment lines in each file say where another session's step comes between): ${input.pgproto.map(markdownCode).join(', ')}. pgproto writes to libpq's socket itself, so the connection must not use TLS; the password is in \`PGPASSWORD\`.`,
    '',
    ...inItem(
      codeBlock(
        input.pgproto
          .filter((p) => !p.startsWith('observer.'))
          .map((p) => `PGSSLMODE=disable pgproto -h HOST -p 6432 -u USER -d DATABASE -f ${p}`)
          .join('\n'),
      ),
    ),
    '',
  ];
  if (input.pgproto.some((p) => p.startsWith('observer.')))
    out.push(
      '   `observer.pgproto` holds the setup, the checks poolcheck makes on the database directly and the teardown: run it against PostgreSQL, its setup before the sessions.',
      '',
    );
  if (f.result.driver !== 'raw') {
    out.push(
      `The finding came from the ${markdownText(f.result.driver)} driver; \`repro.mjs\` and the pgproto files send what poolcheck's own wire client (raw) sends, which may not show it: poolcheck with \`--drivers ${markdownText(f.result.driver)}\` does.`,
      '',
    );
  }
  return out;
}

function transcripts(input: ReportInput): string[] {
  const { finding: f } = input;
  const out = [
    '## Transcripts',
    '',
    'As poolcheck recorded them, normalised: backend pids as `pid#1`, `pid#2` by first appearance, secret keys as `<secret>`, per-run object names as `{{name}}`.',
    '',
  ];
  const one = (title: string, text: string | undefined) => {
    out.push(`<details><summary>${markdownText(title)}</summary>`, '');
    out.push(...(text ? codeBlock(text) : ['(no transcript in the out folder)']), '', '</details>', '');
  };
  one(`Through ${f.result.target}`, f.transcripts.target);
  one('PostgreSQL (direct)', f.transcripts.direct);
  return out;
}

export function reportMarkdown(input: ReportInput): string {
  const { finding: f, scenario: s } = input;
  const d = f.result.divergence;
  const title = `${poolerText(f.target)}: ${s.id} differs from PostgreSQL${d ? ` at step ${d.step}` : ''}`;
  return [
    `# ${markdownText(title)}`,
    '',
    `${markdownText(s.why)}${s.docs ? ` PostgreSQL's documentation: ${markdownText(s.docs)}` : ''}`,
    '',
    `poolcheck ${markdownText(input.poolcheckVersion)} found it running the scenario ${markdownCode(s.id)} through ${markdownText(poolerText(f.target))} in front of PostgreSQL ${markdownText(f.target.postgresVersion ?? '')}, and against PostgreSQL directly, which passes it (the reproducer's own id: ${markdownCode(input.reproId)}).`,
    '',
    ...whatDiffers(input),
    '## Steps',
    '',
    `Sessions ${Object.keys(s.sessions).map(markdownCode).join(', ')}${s.setup?.length ? `; setup on the database: ${s.setup.map(markdownCode).join(', ')}` : ''}.`,
    '',
    ...stepList(s, d?.step ?? 0),
    '',
    ...versions(input),
    ...howTo(input),
    ...transcripts(input),
  ].join('\n');
}
