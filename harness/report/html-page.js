// report.html's script (html-report.ts inlines it): draws the verdict matrix and the list of
// divergences from the JSON the writer embedded, applies the filters, and shows a divergence's
// transcript beside PostgreSQL's, step by step. It runs from file:// with no network: no fetch,
// no modules. Text goes into the page only as textContent, never as HTML.
'use strict';
(function () {
  const data = JSON.parse(document.getElementById('poolcheck-data').textContent);
  const control = (name) => document.getElementById(`filter-${name}`);
  const NAMES = ['verdict', 'target', 'driver', 'category', 'text'];

  /** An element with attributes and children (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }

  const scenarioIndex = new Map(data.scenarios.map(([id], s) => [id, s]));

  // Results by cell (scenario x target), in driver order, built once.
  const byCell = new Map();
  for (const res of data.results) {
    const key = `${res[0]}/${res[1]}`;
    if (!byCell.has(key)) byCell.set(key, []);
    byCell.get(key).push(res);
  }

  function current() {
    const f = {};
    for (const name of NAMES) f[name] = control(name).value;
    return f;
  }

  const classMatches = (cls, verdict) => !verdict || (verdict === 'not-ok' ? cls !== 'ok' && cls !== 'skip' : cls === verdict);

  function scenarioShown(f, s) {
    const [id, category] = data.scenarios[s];
    return (!f.category || category === f.category) && (!f.text || id.includes(f.text));
  }

  // Skips are many and no finding: listed (with why) only when the verdict filter asks for them.
  function divergenceShown(f, d) {
    return (
      (!f.target || d.target === f.target) &&
      (!f.driver || d.driver === f.driver) &&
      (d.verdict === 'skip' ? f.verdict === 'skip' : classMatches(d.verdict, f.verdict)) &&
      scenarioShown(f, scenarioIndex.get(d.scenario))
    );
  }

  // The page's address holds its state: the filters, and the result opened last, so either can
  // be sent as a link (#verdict=regression&target=pgbouncer:transaction&result=...).
  const resultKey = (d) => `${d.scenario} ${d.target} ${d.driver}`;
  const keyIndex = new Map(data.divergences.map((d, i) => [resultKey(d), i]));
  let openKey = null;

  function writeAddress(f) {
    const params = new URLSearchParams();
    for (const name of NAMES) if (f[name]) params.set(name, f[name]);
    if (openKey) params.set('result', openKey);
    const hash = params.toString();
    if (`#${hash}` !== location.hash) history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
  }

  function readAddress() {
    const params = new URLSearchParams(location.hash.slice(1));
    for (const name of NAMES) {
      const value = params.get(name) || '';
      const c = control(name);
      if (c.tagName !== 'SELECT' || [...c.options].some((o) => o.value === value)) c.value = value;
    }
    return params.get('result');
  }

  /** Opens a divergence (even one the filters hide) and brings it into view. */
  function reveal(i) {
    const node = document.getElementById(`d-${i}`);
    node.hidden = false;
    node.open = true;
    openKey = resultKey(data.divergences[i]);
    writeAddress(current());
    node.scrollIntoView({ block: 'start' });
  }

  /** One word of a cell; a word that is not pass opens its first result in the divergence list. */
  function word(cls, drivers, divergence) {
    const text = divergence >= 0 ? el('a', { href: `#d-${divergence}`, 'data-divergence': divergence }, data.labels[cls]) : data.labels[cls];
    return el('span', { class: `v-${cls}`, 'data-class': cls }, text, drivers.length ? ` (${drivers.map((d) => data.drivers[d]).join(', ')})` : null);
  }

  /**
   * A cell: with every driver, the words summary.md gives it (report/matrix-cell.ts); with one
   * driver picked, that driver's result.
   */
  function cell(s, t, results, f) {
    const td = el('td');
    const words = f.driver ? results.map((res) => [res[3], [], res[4]]) : data.cells[`${s}/${t}`] || [];
    words.forEach(([cls, drivers, divergence], n) => td.append(...(n ? [' · '] : []), word(cls, drivers, divergence)));
    return td;
  }

  function renderMatrix(f) {
    const table = document.getElementById('matrix');
    const targets = data.targets.map((t, i) => i).filter((i) => !f.target || data.targets[i] === f.target);
    const head = el('tr', null, el('th', null, 'scenario'), ...targets.map((t) => el('th', null, data.targets[t])));
    table.tHead.replaceChildren(head);
    const rows = [];
    let category = null,
      results = 0;
    data.scenarios.forEach(([id, cat, note], s) => {
      if (!scenarioShown(f, s)) return;
      const cells = targets.map((t) => (byCell.get(`${s}/${t}`) || []).filter((res) => !f.driver || data.drivers[res[2]] === f.driver));
      if (!cells.some((rs) => rs.some((res) => classMatches(res[3], f.verdict)))) return;
      if (cat !== category) {
        category = cat;
        rows.push(el('tr', { class: 'category' }, el('td', { colspan: targets.length + 1 }, cat)));
      }
      results += cells.reduce((n, rs) => n + rs.length, 0);
      const name = el('td', { class: 'scenario' }, id.slice(cat.length + 1), note ? el('span', { class: 'note' }, ` (${note})`) : null);
      rows.push(el('tr', { 'data-scenario': id, 'data-testid': 'matrix-row' }, name, ...cells.map((rs, n) => cell(s, targets[n], rs, f))));
    });
    table.tBodies[0].replaceChildren(...rows);
    const shown = rows.filter((r) => r.dataset.scenario).length;
    document.getElementById('matrix-count').textContent = `${shown} of ${data.scenarios.length} scenarios, ${results} results.`;
  }

  function renderDivergences() {
    const list = document.getElementById('divergences');
    data.divergences.forEach((d, i) => {
      const params = new URLSearchParams({ result: resultKey(d) });
      const summary = el(
        'summary',
        null,
        el('span', { class: `v-${d.verdict}` }, d.verdict),
        ' ',
        el('code', null, d.scenario),
        ` on ${d.target} with ${d.driver}`,
        d.message ? `: ${d.message}` : '',
        ' ',
        el('a', { href: `#${params}`, class: 'permalink', title: 'an address for this result', 'data-testid': 'permalink' }, '#'),
      );
      const details = el(
        'details',
        {
          id: `d-${i}`,
          class: 'divergence',
          'data-testid': 'divergence',
          'data-scenario': d.scenario,
          'data-target': d.target,
          'data-driver': d.driver,
          'data-verdict': d.verdict,
        },
        summary,
      );
      details.addEventListener('toggle', () => {
        if (details.open && !details.dataset.filled) fill(details, d);
        if (details.open) {
          openKey = resultKey(d);
          writeAddress(current());
        }
      });
      list.append(details);
    });
  }

  function filterDivergences(f) {
    let shown = 0;
    data.divergences.forEach((d, i) => {
      const node = document.getElementById(`d-${i}`);
      node.hidden = !divergenceShown(f, d);
      if (!node.hidden) shown++;
    });
    document.getElementById('divergence-count').textContent = `${shown} of ${data.divergences.length} results that are not ok shown.`;
  }

  // The transcripts: one gzip stream, decompressed once (DecompressionStream: Chromium 80,
  // Firefox 113, Safari 16.4).
  let transcripts = null;
  function loadTranscripts() {
    if (!transcripts) {
      transcripts = (async () => {
        const text = document.getElementById('poolcheck-transcripts').textContent.trim();
        const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
        const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
        return JSON.parse(await new Response(stream).text());
      })();
    }
    return transcripts;
  }

  /** A transcript cut at its step notes ("a -- step 3: ..."); what comes before step 1 is setup. */
  function sections(text) {
    const out = new Map([[0, []]]);
    let step = 0;
    for (const line of text.split('\n')) {
      const m = /^\S+ -- step (\d+): /.exec(line);
      if (m) {
        step = Number(m[1]);
        if (!out.has(step)) out.set(step, []);
      }
      out.get(step).push(line);
    }
    return out;
  }

  function facts(d) {
    const dl = el('dl', { class: 'facts' });
    const add = (term, value) => {
      if (value !== null && value !== undefined && value !== '') dl.append(el('dt', null, term), el('dd', null, value));
    };
    add('verdict', `${d.verdict} (outcome ${d.outcome})`);
    add('message', d.message);
    if (d.divergence) {
      const v = d.divergence;
      add('divergence', `${v.kind}${v.sqlstate ? ` ${v.sqlstate}` : ''}: ${data.kinds[v.kind] || ''}`);
      add('at', `step ${v.step}, session ${v.session}`);
      add('PostgreSQL behaviour', v.expected);
      add('observed', v.observed);
    }
    add('defined at', d.definedAt);
    if (d.attempts) {
      add(
        'attempts',
        el(
          'ol',
          { 'data-testid': 'attempts' },
          ...d.attempts.map((a) => el('li', null, `${a.outcome} in ${a.durationMs} ms${a.message ? `: ${a.message}` : ''}`)),
        ),
      );
    }
    const logs = data.logs[d.target] || [];
    if (logs.length) add('server logs', el('span', null, ...logs.flatMap((f, n) => [n ? ', ' : '', el('a', { href: f }, f)])));
    add('documented', d.documented);
    add('profile reason', d.reason);
    if (d.link) add('link', /^https?:\/\//i.test(d.link) ? el('a', { href: d.link }, d.link) : d.link);
    add('source', d.source);
    return dl;
  }

  function transcriptTable(d, texts) {
    const mine = d.transcript && texts[d.transcript] !== undefined ? sections(texts[d.transcript]) : new Map();
    const pg = d.direct && texts[d.direct] !== undefined ? sections(texts[d.direct]) : new Map();
    const steps = [...new Set([...mine.keys(), ...pg.keys()])].sort((a, b) => a - b);
    const pre = (m, step, none) => el('pre', null, m.has(step) ? m.get(step).join('\n') : none);
    const rows = steps.map((step) =>
      el(
        'tr',
        step === d.step ? { class: 'diverged', 'data-testid': 'diverged-step', 'data-step': step } : { 'data-step': step },
        el('td', null, step === 0 ? 'setup' : `step ${step}`),
        el('td', { 'data-side': 'pooler' }, pre(mine, step, d.transcript ? '(nothing)' : '(no transcript)')),
        el('td', { 'data-side': 'postgres' }, pre(pg, step, d.direct ? '(nothing)' : '(no transcript)')),
      ),
    );
    const other = d.target === 'direct' ? 'PostgreSQL is this target' : `PostgreSQL (direct, ${d.driver})`;
    return el(
      'table',
      { class: 'transcripts', 'data-testid': 'transcripts' },
      el('thead', null, el('tr', null, el('th', null, 'step'), el('th', null, `${d.target} (${d.driver})`), el('th', null, other))),
      el('tbody', null, ...rows),
    );
  }

  async function fill(details, d) {
    details.dataset.filled = 'yes';
    const body = el('div', { class: 'body' }, facts(d));
    const files = [d.transcript, d.direct].filter(Boolean);
    if (files.length) body.append(el('p', null, 'Files: ', ...files.flatMap((f, n) => [n ? ', ' : '', el('a', { href: f }, f)])));
    const waiting = el('p', null, 'decompressing the transcripts…');
    body.append(waiting);
    details.append(body);
    try {
      waiting.replaceWith(transcriptTable(d, await loadTranscripts()));
    } catch (e) {
      waiting.textContent = `The transcripts could not be read here (${e}); they are in the files above.`;
    }
  }

  function apply() {
    const f = current();
    renderMatrix(f);
    filterDivergences(f);
    writeAddress(f);
  }

  /** The state the address names: its filters, and the result it opens. */
  function follow() {
    const key = readAddress();
    apply();
    const i = key === null ? undefined : keyIndex.get(key);
    if (i !== undefined) reveal(i);
  }

  renderDivergences();
  for (const name of NAMES) control(name).addEventListener(name === 'text' ? 'input' : 'change', apply);
  document.getElementById('filters').addEventListener('submit', (e) => e.preventDefault());
  document.getElementById('matrix').addEventListener('click', (e) => {
    const link = e.target.closest('a[data-divergence]');
    if (link) {
      e.preventDefault();
      reveal(Number(link.dataset.divergence));
    }
  });
  window.addEventListener('hashchange', follow);
  follow();
  document.documentElement.dataset.ready = 'yes';
})();
