// report.html: one self-contained page per run that opens offline (inline CSS and script, no
// fonts, no CDN; its Content-Security-Policy forbids the page any request at all). The header and
// the feature map are written here as escaped HTML; the verdict matrix, its filters and the
// divergences are drawn by html-page.js from the data embedded as JSON. Transcripts go in as one
// gzip stream (they are most of the page, and compress about 18 to 1).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { featureRows, type FeatureMapInput } from './feature-map.ts';
import { pinningRows, pinningTargets, pinsAfter } from './pinning-map.ts';
import { neededTranscripts, pageData, type PageData } from './html-page-data.ts';
import { NOTATION_LEGEND } from './matrix-cell.ts';
import { countByVerdict, loginLatency, loginText, type RunReport } from './run-report.ts';
import { VERDICTS } from './verdict.ts';

type Redact = (s: string) => string;
type Target = RunReport['targets'][number];

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values: the five characters HTML gives a meaning to. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ENTITIES[c]);

/**
 * JSON inside a <script> element: "</script>" or "<!--" in a string would end or change the
 * element, so <, > and & are written as \u escapes, which JSON.parse reads back unchanged.
 */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Every string in a value, redacted: once escaped, JSON-encoded or compressed, a secret would slip past a pass over the finished page. */
function redactDeep<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v, redact)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactDeep(v, redact)])) as T;
  return value;
}

/** A link where the URL is a web address (profile files are user data: no javascript: URLs), else the text. */
const linkTo = (url: string) => (/^https?:\/\//i.test(url) ? `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : escapeHtml(url));

const legendHtml = escapeHtml(NOTATION_LEGEND).replace(/`([^`]*)`/g, '<code>$1</code>');

const asset = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');

const settingsText = (t: Target) =>
  Object.entries(t.effectiveSettings)
    .map(([k, v]) => `${k}=${v}${k in t.settings ? '' : ' (default)'}`)
    .join(', ') || '-';

/** Links to a target's server logs, which sit in the out folder beside the page. */
const logLinks = (files: readonly string[] | undefined) =>
  files?.length
    ? files.map((f) => `<a href="${escapeHtml(encodeURI(f))}" data-testid="log-link">${escapeHtml(f.split('/').at(-1) ?? f)}</a>`).join(' ')
    : '-';

function runHeader(r: RunReport, logs: Readonly<Record<string, readonly string[]>>): string {
  const c = countByVerdict(r.results);
  const counts = VERDICTS.map((v) => `<span class="v-${v}">${c[v]} ${v}</span>`).join(', ');
  const warnings = r.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('');
  const logins = loginLatency(r.results);
  const targets = r.targets
    .map(
      (t) =>
        `<tr data-target="${escapeHtml(t.id)}"><td>${escapeHtml(t.id)}</td><td>${escapeHtml(t.pooler ?? '-')}</td>` +
        `<td>${escapeHtml(t.mode ?? '-')}</td><td>${escapeHtml(settingsText(t))}</td><td>${escapeHtml(t.pooler ? (t.poolerVersion ?? '?') : '-')}</td>` +
        `<td>${escapeHtml(t.postgresVersion ?? '?')}</td><td>${escapeHtml(t.provider)}</td><td>${escapeHtml(t.error ? `failed: ${t.error}` : `${t.startMs} ms`)}</td>` +
        `<td data-testid="login-ms">${escapeHtml(loginText(logins[t.id]))}</td><td>${logLinks(logs[t.id])}</td></tr>`,
    )
    .join('\n');
  const drivers = r.drivers.map((d) => `${escapeHtml(d.id)} (${escapeHtml(d.library)} ${escapeHtml(d.version)})`).join(', ');
  return `<header>
<h1>poolcheck report</h1>
<p id="run-facts">Run <b data-testid="run-id">${escapeHtml(r.run.id)}</b>, started <time datetime="${escapeHtml(r.run.startedAt)}">${escapeHtml(r.run.startedAt)}</time>,
${(r.run.durationMs / 1000).toFixed(1)} s, poolcheck ${escapeHtml(r.run.poolcheckVersion)}.</p>
${r.run.interrupted ? `<p class="warnings" data-testid="interrupted"><b>Interrupted</b> (${escapeHtml(r.run.interrupted.reason)}): ${r.results.length} of ${r.run.interrupted.planned} results; the rest never ran.</p>` : ''}
${warnings ? `<ul class="warnings" data-testid="warnings">${warnings}</ul>` : ''}
<p class="counts">${counts} (${r.results.length} results).</p>
<table class="targets" data-testid="targets"><thead><tr><th>target</th><th>pooler</th><th>mode</th><th>settings (as the release ran them)</th>
<th>pooler version</th><th>PostgreSQL</th><th>provider</th><th>started in</th>
<th title="time to a usable session (connect, TLS where used, authenticate, first ReadyForQuery) over the target's logins: a figure beside direct's, not a verdict">login p50 / p95 / p99</th><th>server logs</th></tr></thead>
<tbody>
${targets}
</tbody></table>
<p>Drivers: ${drivers}.</p>
</header>`;
}

function select(id: string, label: string, options: ReadonlyArray<readonly [string, string]>): string {
  const opts = options.map(([value, text]) => `<option value="${escapeHtml(value)}">${escapeHtml(text)}</option>`).join('');
  return `<label>${label} <select id="filter-${id}" data-testid="filter-${id}"><option value="">all</option>${opts}</select></label>`;
}

function filters(r: RunReport, data: PageData): string {
  const c = countByVerdict(r.results);
  const verdicts = [
    ['not-ok', 'not ok (every divergence and error)'] as const,
    ...VERDICTS.map((v) => [v, `${v} (${c[v]})${v === 'skip' ? ': with the reasons' : ''}`] as const),
  ];
  const categories = [...new Set(data.scenarios.map(([, category]) => category))];
  return `<form id="filters" data-testid="filters">
${select('verdict', 'verdict', verdicts)}
${select(
  'target',
  'target',
  data.targets.map((t) => [t, t]),
)}
${select(
  'driver',
  'driver',
  data.drivers.map((d) => [d, d]),
)}
${select(
  'category',
  'category',
  categories.map((cat) => [cat, cat]),
)}
<label>scenario <input id="filter-text" data-testid="filter-text" type="search" placeholder="part of its id"></label>
</form>`;
}

function matrixSection(r: RunReport, data: PageData): string {
  return `<section id="matrix-section">
<h2>Verdicts</h2>
${filters(r, data)}
<p class="legend">pass = behaves like PostgreSQL; doc = diverges as the pooler's documentation says; CHANGED = diverges, but not the way the profile documents;
REGRESSION = diverges where PostgreSQL behaviour was expected; improved = passes where a divergence was documented; differs = diverges on a pooler
poolcheck has no profile for; ERROR = could not be decided; skip = no driver could run it. ${legendHtml}
A word that is not pass opens the result below; pick a driver to see its own result in every cell.</p>
<p id="matrix-count" data-testid="matrix-count"></p>
<table id="matrix" data-testid="matrix"><thead></thead><tbody></tbody></table>
<noscript><p>The matrix and the divergences need JavaScript; summary.md has the same matrix.</p></noscript>
</section>
<section id="divergences-section">
<h2>Results that are not ok</h2>
<p>Every result that is not ok, filtered as above (skipped ones, with why, when the verdict filter is skip). Open one to see its transcript beside PostgreSQL's (direct, same scenario and driver), step by step;
its link is an address for it, and the page's address keeps the filters.</p>
<p id="divergence-count" data-testid="divergence-count"></p>
<div id="divergences" data-testid="divergences"></div>
</section>`;
}

/** With --baseline: per target, what is new, fixed and changed since the earlier run. */
function diffSection(r: RunReport): string {
  const d = r.diff;
  if (!d) return '';
  const races = d.races ? `; ${d.races} went another way their profile allows (not changes)` : '';
  const counts = `${d.counts.new} new, ${d.counts.fixed} fixed, ${d.counts.changed} changed (of ${d.compared} results both runs have${races})`;
  const targets = d.targets
    .filter((t) => t.changes.length)
    .map((t) => {
      const rows = t.changes
        .map(
          (c) =>
            `<tr data-kind="${escapeHtml(c.kind)}"><td class="diff-${escapeHtml(c.kind)}">${escapeHtml(c.kind)}</td><td><code>${escapeHtml(c.scenario)}</code></td><td>${escapeHtml(c.driver)}</td>` +
            `<td>${escapeHtml(c.before)}</td><td>${escapeHtml(c.after)}</td><td>${escapeHtml(c.message ?? '')}</td></tr>`,
        )
        .join('\n');
      return `<h3>${escapeHtml(t.target)}${t.before !== t.after ? ` (${escapeHtml(`${t.before ?? '?'} → ${t.after ?? '?'}`)})` : ''}</h3>
<table class="diff"><thead><tr><th>change</th><th>scenario</th><th>driver</th><th>before</th><th>after</th><th>message</th></tr></thead><tbody>
${rows}
</tbody></table>`;
    })
    .join('\n');
  return `<section id="diff" data-testid="diff">
<h2>Since run ${escapeHtml(d.before.runId)}</h2>
<p>${escapeHtml(counts)}.${d.targetsOnlyBefore.length ? ` Targets only before: ${escapeHtml(d.targetsOnlyBefore.join(', '))}.` : ''}${d.targetsOnlyAfter.length ? ` Targets only now: ${escapeHtml(d.targetsOnlyAfter.join(', '))}.` : ''}</p>
${targets || '<p>No change.</p>'}
</section>`;
}

/** The pinning map (pinning-map.ts), where the run has its results. */
function pinningSection(r: RunReport): string {
  const rows = pinningRows(r);
  if (!rows.length) return '';
  const targets = pinningTargets(r).filter((id) => rows.some((row) => row.cells[id] !== undefined));
  const summary = targets.map((id) => `<li data-target="${escapeHtml(id)}">${escapeHtml(id)}: ${escapeHtml(pinsAfter(rows, id))}</li>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr data-scenario="${escapeHtml(row.scenario)}"><td>${escapeHtml(row.action)}</td>` +
        targets
          .map((id) => `<td class="pin-${escapeHtml((row.cells[id] ?? '-').replace(/ /g, '-'))}">${escapeHtml(row.cells[id] ?? '-')}</td>`)
          .join('') +
        '</tr>',
    )
    .join('\n');
  return `<section id="pinning-map" data-testid="pinning-map">
<h2>Pinning map</h2>
<p>After each action, is the client kept on its server connection so that another client of a one-server pool waits (pins), is the other client served (does not pin), or is the action refused? Not tried: a message over 16 MB (too costly to send on every target).</p>
<ul>${summary}</ul>
<table><thead><tr><th>action</th>${targets.map((id) => `<th>${escapeHtml(id)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody></table>
</section>`;
}

function featureMapSection(r: RunReport, fm: FeatureMapInput): string {
  const rows = featureRows(r, fm.features, fm.published);
  const documentedTargets = new Set(rows.flatMap((row) => row.cells.filter((c) => c.documented !== undefined).map((c) => c.target)));
  const head = r.targets
    .map(
      (t) =>
        `<th>${escapeHtml(t.id)}</th>` +
        (documentedTargets.has(t.id)
          ? `<th class="published" data-testid="published-column" data-target="${escapeHtml(t.id)}">${escapeHtml(t.id)}: its documentation</th>`
          : ''),
    )
    .join('');
  const body = rows
    .map(
      ({ feature, cells }) =>
        `<tr data-feature="${escapeHtml(feature.id)}"><td>${escapeHtml(feature.title)}</td>` +
        cells
          .map(
            (c) =>
              `<td class="fm-${c.measured.replace('/', '')}">${c.measured}</td>` +
              (!documentedTargets.has(c.target)
                ? ''
                : `<td class="published${c.disagrees ? ' disagrees' : ''}">${escapeHtml(c.documented ?? '')}${c.disagrees ? ' (disagrees)' : ''}</td>`),
          )
          .join('') +
        '</tr>',
    )
    .join('\n');
  const links = [...new Set(r.targets.map((t) => fm.published(t.id)?.link).filter((l): l is string => !!l))];
  return `<section id="feature-map" data-testid="feature-map">
<h2>Feature map</h2>
<p>Yes = every scenario of the feature behaves like PostgreSQL on that target; No = none does; Partial = some do; n/a = no driver could run them.
Beside each pooler, what its own documentation says for that mode (a documented Never/No/not supported agrees with No or Partial; any other documented answer needs Yes); feature-map.md lists the scenarios behind each cell.</p>
<table><thead><tr><th>feature</th>${head}</tr></thead>
<tbody>
${body}
</tbody></table>
${links.length ? `<p>Documentation compared: ${links.map(linkTo).join(', ')}</p>` : ''}
</section>`;
}

/**
 * The page. `redact` is applied to the report and transcripts before anything is escaped or
 * compressed; `logs` are the server logs in the out folder (logs/...), linked per target.
 */
export function htmlReport(
  report: RunReport,
  transcripts: ReadonlyMap<string, string>,
  fm: FeatureMapInput,
  redact: Redact,
  logs: readonly string[] = [],
): string {
  const r = redactDeep(report, redact);
  const data = pageData(r, logs);
  const texts = redactDeep(neededTranscripts(data, transcripts), redact);
  const gz = gzipSync(Buffer.from(JSON.stringify(texts), 'utf8'), { level: 9 }).toString('base64');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>poolcheck report ${escapeHtml(r.run.id)}</title>
<style>
${asset('html-page.css')}</style>
</head>
<body>
${runHeader(r, data.logs)}
<main>
${diffSection(r)}
${matrixSection(r, data)}
${featureMapSection(r, fm)}
${pinningSection(r)}
</main>
<script type="application/json" id="poolcheck-data">${scriptJson(data)}</script>
<script type="application/octet-stream" id="poolcheck-transcripts" data-encoding="gzip+base64">${gz}</script>
<script>
${asset('html-page.js')}</script>
</body>
</html>
`;
}
