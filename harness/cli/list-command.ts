import { CAPABILITIES } from '../drivers/session.ts';
import { drivers } from '../drivers/registry.ts';
import { poolers } from '../poolers/registry.ts';
import { describeShape } from '../poolers/pool-shape.ts';
import { externalPoolers } from '../poolers/external-poolers.ts';
import { requiredCapabilities } from '../scenario/capabilities.ts';
import { allTargetIds } from '../targets/target-spec.ts';
import { type Options } from './args.ts';
import { UsageError } from '../kernel/errors.ts';
import { loadCatalogFor } from './case-folders.ts';
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
    }
    for (const p of Object.values(externalPoolers)) for (const m of p.modes) w(`${`${p.id}:${m}`.padEnd(24)} ${p.title}, ${m} (profile only: --provider external; ${p.docs})`);
  } else if (what === 'drivers') {
    for (const d of Object.values(drivers)) {
      w(`${d.id.padEnd(12)} ${d.library} ${d.version}: ${d.notes}`);
      w(`${''.padEnd(12)} capabilities: ${[...d.capabilities].join(', ')}; lacks: ${Object.keys(CAPABILITIES).filter((c) => !d.capabilities.has(c as never)).join(', ') || 'nothing'}`);
      if (d.poolerSafe) w(`${''.padEnd(12)} pooler-safe setting: ${d.poolerSafe.setting} (${d.poolerSafe.docs})`);
      if (d.sameWireAs) w(`${''.padEnd(12)} runs the scenarios where one statement runs ${d.sameWireAs.executions}+ times on a connection; elsewhere it sends what ${d.sameWireAs.base} sends (skip)`);
    }
  } else if (what === 'scenarios') {
    const { scenarios: all, broken, warnings } = await loadCatalogFor(given.withDefaults(loadConfig(given.text('config'))));
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
  } else {
    throw new UsageError(`list what? one of: targets, drivers, scenarios${what ? ` (not "${what}")` : ''}; known targets: ${allTargetIds().join(', ')}`);
  }
  return 0;
}
