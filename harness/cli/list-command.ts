import { CAPABILITIES } from '../drivers/session.ts';
import { drivers } from '../drivers/registry.ts';
import { poolers } from '../poolers/registry.ts';
import { describeShape } from '../poolers/pool-shape.ts';
import { externalPoolers } from '../poolers/external-poolers.ts';
import path from 'node:path';
import { ANCHORS_FOLDER, coverage, loadAnchors, unknownScenarios } from '../scenario/anchors.ts';
import { SUITES_DIR } from '../scenario/catalog.ts';
import { requiredCapabilities } from '../scenario/capabilities.ts';
import { allTargetIds } from '../targets/target-spec.ts';
import { type Options } from './args.ts';
import { UsageError } from '../kernel/errors.ts';
import { loadCatalogFor } from '../scenario/case-folders.ts';
import { catalogChoice } from './catalog-choice.ts';
import { loadConfig } from './config.ts';

export async function listCommand(what: string | undefined, given: Options): Promise<number> {
  const w = (s: string) => process.stdout.write(s + '\n');
  if (what === 'targets') {
    w('direct                  PostgreSQL itself (the baseline; always run)');
    for (const p of Object.values(poolers)) {
      for (const m of p.modes) {
        w(`${`${p.id}:${m}`.padEnd(24)}${p.title} in ${m} pooling mode (${p.docs})`);
        for (const [kind, shape] of Object.entries(p.pools(m))) w(`${''.padEnd(24)}  ${kind} pool: ${describeShape(shape)}`);
      }
      for (const [what, reach] of [
        ['roles', p.scenarioReach.roles],
        ['databases', p.scenarioReach.databases],
      ] as const)
        w(`${''.padEnd(24)}  a scenario's own ${what}: ${reach.how}${reach.cannot ? ` (not ${reach.cannot.versions}: ${reach.cannot.why})` : ''}`);
    }
    for (const p of Object.values(externalPoolers))
      for (const m of p.modes) w(`${`${p.id}:${m}`.padEnd(24)} ${p.title}, ${m} (profile only: --provider external; ${p.docs})`);
  } else if (what === 'drivers') {
    for (const d of Object.values(drivers)) {
      w(`${d.id.padEnd(12)} ${d.library} ${d.version}: ${d.notes}`);
      w(
        `${''.padEnd(12)} capabilities: ${[...d.capabilities].join(', ')}; lacks: ${
          Object.keys(CAPABILITIES)
            .filter((c) => !d.capabilities.has(c as never))
            .join(', ') || 'nothing'
        }`,
      );
      if (d.poolerSafe) w(`${''.padEnd(12)} pooler-safe setting: ${d.poolerSafe.setting} (${d.poolerSafe.docs})`);
      if (d.sameWireAs)
        w(
          `${''.padEnd(12)} runs the scenarios where one statement runs ${d.sameWireAs.executions}+ times on a connection; elsewhere it sends what ${d.sameWireAs.base} sends (skip)`,
        );
    }
  } else if (what === 'scenarios') {
    const { scenarios: all, broken, warnings } = await loadCatalogFor(catalogChoice(given.withConfig(await loadConfig(given.get('config')))));
    for (const s of all) w(`${s.id.padEnd(64)} ${s.pool.padEnd(6)} ${[...requiredCapabilities(s)].join(',') || '-'}\n    ${s.why}`);
    const cats = new Set(all.map((s) => s.category));
    w(`${all.length} scenarios in ${cats.size} categories (${[...cats].join(', ')})`);
    // The good ones are listed all the same; the exit code lets a CI check its case files without a server.
    // Each starts file:line:col (or file: step N), so an editor can jump to it.
    for (const line of [...warnings, ...broken.flatMap((b) => b.problems)]) process.stderr.write(`${line}\n`);
    if (broken.length) {
      process.stderr.write(`poolcheck: ${broken.length} invalid scenario(s): each run of them would be an error\n`);
      return 2;
    }
  } else if (what === 'coverage') {
    const { suites, problems } = loadAnchors(path.join(SUITES_DIR, ANCHORS_FOLDER));
    const { scenarios: all } = await loadCatalogFor(catalogChoice(given.withConfig(await loadConfig(given.get('config')))));
    const wrong = [...problems, ...unknownScenarios(suites, new Set(all.map((s) => s.id)))];
    const rows = coverage(suites);
    const pct = (n: number, of: number) => `${of ? Math.round((100 * n) / of) : 0}%`;
    w(
      `${'anchor suite'.padEnd(20)} ${'tests'.padStart(6)} ${'in scope'.padStart(9)} ${'answered'.padStart(9)} ${'partly'.padStart(7)} ${'none'.padStart(5)}`,
    );
    for (const r of rows)
      w(
        `${r.project.padEnd(20)} ${String(r.tests).padStart(6)} ${String(r.inScope).padStart(9)} ${`${r.answered} ${pct(r.answered, r.inScope)}`.padStart(9)} ${String(r.partly).padStart(7)} ${String(r.inScope - r.answered - r.partly).padStart(5)}`,
      );
    const sum = (k: 'tests' | 'inScope' | 'answered' | 'partly') => rows.reduce((n, r) => n + r[k], 0);
    w(
      `${'all'.padEnd(20)} ${String(sum('tests')).padStart(6)} ${String(sum('inScope')).padStart(9)} ${`${sum('answered')} ${pct(sum('answered'), sum('inScope'))}`.padStart(9)} ${String(sum('partly')).padStart(7)} ${String(sum('inScope') - sum('answered') - sum('partly')).padStart(5)}`,
    );
    w('answered: a scenario would fail on the bug the test catches; partly: scenarios cover part of it (suites/anchors/README.md)');
    for (const line of wrong) process.stderr.write(`${line}\n`);
    if (wrong.length) return 2;
  } else {
    throw new UsageError(
      `list what? one of: targets, drivers, scenarios, coverage${what ? ` (not "${what}")` : ''}; known targets: ${allTargetIds().join(', ')}`,
    );
  }
  return 0;
}
