// npm run bench: where a run's time goes, from the results.json it wrote. Lane time is summed over
// every lane of every target (they run in parallel), so it is larger than the wall time; the
// shares say what to make faster.
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Result {
  scenario: string;
  target: string;
  driver: string;
  durationMs: number;
  timings?: { quiesceMs: number; connectMs: number; checkMs: number };
}
interface LoginMs {
  p50: number;
  p95: number;
  p99: number;
  count: number;
}
interface Doc {
  run: { durationMs: number };
  targets: Array<{ id: string; startMs?: number; loginMs?: LoginMs }>;
  results: Result[];
}

const dir = process.argv[2] ?? 'reports/bench';
const doc = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as Doc;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

const rs = doc.results;
const connect = sum(rs.map((r) => r.timings?.connectMs ?? 0));
const inside = sum(rs.map((r) => r.durationMs));
const quiesce = sum(rs.map((r) => r.timings?.quiesceMs ?? 0));
const check = sum(rs.map((r) => r.timings?.checkMs ?? 0));
const lane = inside + quiesce + check;
const share = (ms: number) => `${s(ms).padStart(9)} ${((100 * ms) / lane).toFixed(0).padStart(3)}%`;

console.log(`wall ${s(doc.run.durationMs)} for ${rs.length} results (${(doc.run.durationMs / rs.length).toFixed(1)} ms per result)`);
console.log(`target start: ${doc.targets.map((t) => `${t.id} ${t.startMs ?? '?'} ms`).join(', ')}`);
console.log("\nlogin latency (time to a usable session; a figure beside direct's, not a verdict)");
const direct = doc.targets.find((t) => t.id === 'direct')?.loginMs;
const ms = (x: number) => `${x.toFixed(1)}`.padStart(7);
console.log(`  ${''.padEnd(36)}${'p50'.padStart(7)}${'p95'.padStart(7)}${'p99'.padStart(7)}${'logins'.padStart(8)}  p50 vs direct`);
for (const t of doc.targets) {
  const l = t.loginMs;
  if (!l) {
    console.log(`  ${t.id.padEnd(36)}${'-'.padStart(7)}  (schemaVersion < 5, or no logins)`);
    continue;
  }
  const vs = direct && t.id !== 'direct' ? `${l.p50 - direct.p50 >= 0 ? '+' : ''}${(l.p50 - direct.p50).toFixed(1)} ms` : '';
  console.log(`  ${t.id.padEnd(36)}${ms(l.p50)}${ms(l.p95)}${ms(l.p99)}${String(l.count).padStart(8)}  ${vs}`);
}

console.log('\nlane time by phase');
console.log(`  connect and authenticate ${share(connect)}`);
console.log(`  steps (and their waits)  ${share(inside - connect)}`);
console.log(`  quiesce                  ${share(quiesce)}`);
console.log(`  infrastructure check     ${share(check)}`);

console.log('\ncost per result (ms, lane time) by target and driver');
const targets = [...new Set(rs.map((r) => r.target))];
const drivers = [...new Set(rs.map((r) => r.driver))];
const width = (d: string) => Math.max(8, d.length) + 2;
console.log(`  ${''.padEnd(36)}${drivers.map((d) => d.padStart(width(d))).join('')}`);
for (const t of targets) {
  const cells = drivers.map((d) => {
    const xs = rs.filter((r) => r.target === t && r.driver === d);
    return (
      xs.length ? (sum(xs.map((r) => r.durationMs + (r.timings?.quiesceMs ?? 0) + (r.timings?.checkMs ?? 0))) / xs.length).toFixed(1) : '-'
    ).padStart(width(d));
  });
  console.log(`  ${t.padEnd(36)}${cells.join('')}`);
}

console.log('\nslowest scenarios (lane time over all targets and drivers)');
const byScenario = new Map<string, number>();
for (const r of rs)
  byScenario.set(r.scenario, (byScenario.get(r.scenario) ?? 0) + r.durationMs + (r.timings?.quiesceMs ?? 0) + (r.timings?.checkMs ?? 0));
for (const [id, ms] of [...byScenario].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`  ${s(ms).padStart(8)}  ${id}`);
