// report.html as a reader meets it: written by a real small run, opened from disk in headless
// Chromium with every request that is not the file itself refused, then filtered and a
// divergence opened beside PostgreSQL's transcript.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startCli } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

const CHROMIUM = '/usr/bin/chromium';

interface ResultRow {
  scenario: string;
  target: string;
  driver: string;
  verdict: string;
  transcript: string | null;
  message: string | null;
  divergence: { step: number; kind: string } | null;
}

/** The lines of a transcript from one step's note ("a -- step 3: ...") up to the next step's. */
function stepLines(text: string, step: number): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\S+ -- step ${step}: `).test(l));
  const end = lines.findIndex((l, i) => i > start && /^\S+ -- step \d+: /.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe('report.html', function () {
  let out: string;
  let results: ResultRow[];
  let browser: Browser;
  let page: Page;
  const offline: string[] = [];
  const pageErrors: string[] = [];

  before(async function () {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`).to.equal(true);
    out = tempDir('pc-html-');
    const run = startCli([
      'run',
      '--targets',
      'pgbouncer:transaction',
      '--drivers',
      'raw',
      '--scenarios',
      'session-state/*,drivers/driver-prepares-past-its-threshold',
      '--out',
      out,
    ]);
    expect(await run.exited, run.stderr).to.equal(0);
    results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')).results;
    // Playwright gives the browser a fresh profile folder of its own and removes it on close.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    const self = pathToFileURL(path.join(out, 'report.html')).href;
    await page.route('**/*', (route) => {
      if (route.request().url() === self) return route.continue();
      offline.push(route.request().url());
      return route.abort();
    });
    await page.goto(self);
    await page.waitForSelector('html[data-ready="yes"]', { timeout: 10_000 });
  });

  after(async () => {
    await browser?.close();
  });

  it("opens from disk without a request or a script error, with the run's versions and settings", async () => {
    expect(offline).to.deep.equal([]);
    expect(pageErrors).to.deep.equal([]);
    const targets = await page.getByTestId('targets').innerText();
    expect(targets).to.match(
      /pgbouncer:transaction\s+pgbouncer\s+transaction\s+.*server_reset_query=DISCARD ALL \(default\)\s+1\.\d+\.\d+\s+15\.\d+/,
    );
    expect(await page.locator('header').innerText()).to.match(/Drivers: raw \(pg-protocol \d+\.\d+\.\d+\)/);
    expect(await page.getByTestId('published-column').innerText()).to.equal('pgbouncer:transaction: its documentation');
  });

  it('shows every scenario, and only those with a documented divergence once filtered', async () => {
    const scenarios = new Set(results.map((r) => r.scenario));
    expect(await page.getByTestId('matrix-row').count()).to.equal(scenarios.size);
    const documented = new Set(results.filter((r) => r.verdict === 'documented').map((r) => r.scenario));
    expect(documented.size).to.be.within(1, scenarios.size - 1);
    await page.getByTestId('filter-verdict').selectOption('documented');
    const rows = page.getByTestId('matrix-row');
    expect(await rows.count()).to.equal(documented.size);
    expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-scenario'))))).to.deep.equal(documented);
    expect(await page.getByTestId('matrix-count').innerText()).to.equal(
      `${documented.size} of ${scenarios.size} scenarios, ${documented.size * 2} results.`,
    );
    expect(await page.locator('[data-testid="divergence"]:visible').count()).to.equal(results.filter((r) => r.verdict === 'documented').length);
    await page.getByTestId('filter-target').selectOption('direct');
    expect(await rows.count()).to.equal(0);
    await page.getByTestId('filter-target').selectOption('');
  });

  it("opens a divergence with the pooler's transcript beside PostgreSQL's at the step that differs", async () => {
    const d = results.find((r) => r.verdict === 'documented' && r.divergence?.kind === 'rows')!;
    const direct = results.find((r) => r.target === 'direct' && r.scenario === d.scenario && r.driver === d.driver)!;
    await page.locator(`tr[data-scenario="${d.scenario}"] a[data-divergence]`).click();
    const opened = page.locator(`details[data-scenario="${d.scenario}"][data-target="${d.target}"][data-driver="${d.driver}"]`);
    expect(await opened.getAttribute('open')).to.not.equal(null);
    const step = opened.getByTestId('diverged-step');
    await step.waitFor({ state: 'visible' });
    expect(await step.getAttribute('data-step')).to.equal(String(d.divergence!.step));
    const pooler = await step.locator('[data-side="pooler"]').innerText();
    const postgres = await step.locator('[data-side="postgres"]').innerText();
    expect(pooler).to.equal(stepLines(readFileSync(path.join(out, d.transcript!), 'utf8'), d.divergence!.step));
    expect(postgres).to.equal(stepLines(readFileSync(path.join(out, direct.transcript!), 'utf8'), d.divergence!.step));
    expect(pooler).to.not.equal(postgres);
    expect(await opened.getByTestId('transcripts').locator('th').allInnerTexts()).to.deep.equal([
      'step',
      `${d.target} (${d.driver})`,
      `PostgreSQL (direct, ${d.driver})`,
    ]);
  });

  it('keeps the filters and the opened result in the address, so a link opens the same view', async () => {
    const d = results.find((r) => r.verdict === 'documented')!;
    await page.getByTestId('filter-verdict').selectOption('documented');
    await page.locator(`details[data-scenario="${d.scenario}"][data-target="${d.target}"][data-driver="${d.driver}"] summary`).click();
    const address = page.url();
    expect(decodeURIComponent(new URL(address).hash))
      .to.contain('verdict=documented')
      .and.contain(`result=${d.scenario}+${d.target}+${d.driver}`);
    const second = await browser.newPage();
    await second.goto(address);
    await second.waitForSelector('html[data-ready="yes"]');
    expect(await second.getByTestId('filter-verdict').inputValue()).to.equal('documented');
    const opened = second.locator(`details[data-scenario="${d.scenario}"][data-target="${d.target}"][data-driver="${d.driver}"]`);
    expect(await opened.getAttribute('open')).to.not.equal(null);
    expect(await opened.locator('dl.facts').innerText())
      .to.match(/defined at\s+suites\/session-state\/\S+\.ts:\d+/)
      .and.match(/server logs\s+logs\/pgbouncer-transaction\./);
    await second.close();
    await page.getByTestId('filter-verdict').selectOption('');
  });

  it("lists skipped results with their reasons when the verdict filter asks for skips, and links each target's logs", async () => {
    // The raw driver never prepares by itself: driver-prepares-past-its-threshold is a skip.
    const skipped = results.filter((r) => r.verdict === 'skip');
    expect(skipped.length).to.be.greaterThan(0);
    await page.getByTestId('filter-verdict').selectOption('skip');
    const shown = page.locator('[data-testid="divergence"]:visible');
    expect(await shown.count()).to.equal(skipped.length);
    expect(await shown.first().locator('summary').innerText()).to.contain(skipped[0].message ?? '');
    await page.getByTestId('filter-verdict').selectOption('');
    const logs = await page.getByTestId('log-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(logs).to.include('logs/pgbouncer-transaction.postgres.log');
    for (const href of logs) expect(existsSync(path.join(out, href!)), href!).to.equal(true);
  });
});
