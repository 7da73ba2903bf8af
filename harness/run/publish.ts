// A run's reports from what it gathered: judged once (judge.ts), written into the out folder's
// staging area and put in place of the previous ones only when complete (report/out-folder.ts).
import path from 'node:path';
import { POOLCHECK_VERSION } from '../kernel/version.ts';
import { publishedAnswers } from '../poolers/profile.ts';
import { assembleReport } from '../report/assemble.ts';
import { diffRuns, reportSide } from '../report/diff.ts';
import type { Judge } from '../report/judge.ts';
import type { OutFolder } from '../report/out-folder.ts';
import { redaction, redactReport } from '../report/redact.ts';
import { relocating } from '../report/relocate.ts';
import type { RunReport } from '../report/run-report.ts';
import { planFingerprint, SHARD_FILE, shardManifestJson } from '../report/shard-manifest.ts';
import { writeReport } from '../report/write-report.ts';
import { writeReportFile } from '../report/report-file.ts';
import type { MatrixState } from '../scenario/matrix.ts';
import { unstarted } from '../scenario/target-record.ts';
import type { TargetSpec } from '../targets/target-spec.ts';
import type { RunPlan } from './run-plan.ts';

export interface Gathered {
  readonly targets: readonly TargetSpec[];
  readonly state: MatrixState;
  readonly startedAt: Date;
  readonly interrupted?: { readonly reason: string; readonly planned: number };
}

export function publishReport(plan: RunPlan, judge: Judge, folder: OutFolder, run: Gathered): RunReport {
  const ordered = run.targets.map((spec) => run.state.targets.find((r) => r.spec.id === spec.id) ?? unstarted(spec));
  const scenarios = [...plan.scenarios, ...plan.broken].map((s) => ({ id: s.id, source: s.source }));
  const assembled = assembleReport({
    runId: plan.runId,
    startedAt: run.startedAt,
    finishedAt: new Date(),
    poolcheckVersion: POOLCHECK_VERSION,
    provider: plan.chosen.provider.id,
    scenarios,
    targets: ordered,
    drivers: plan.drivers,
    results: run.state.results,
    judge,
    interrupted: run.interrupted,
    shard: plan.shard,
    warnings: plan.reportWarnings,
  });
  const report: RunReport = plan.baseline ? { ...assembled.report, diff: diffRuns(plan.baseline, reportSide(assembled.report)) } : assembled.report;
  const red = relocating(redaction(plan.chosen.secrets()), folder.staging, plan.out);
  const redact = red.anywhere;
  // What leaves this function (the summary line, GitHub annotations) is redacted as the files are.
  const shown = redactReport(report, red);
  const published = (target: string) => {
    const t = ordered.find((x) => x.spec.id === target);
    return t?.spec.pooler ? publishedAnswers(judge.profileOf(t.spec.pooler), t.facts) : undefined;
  };
  folder.publish((dir) => {
    writeReport(dir, report, assembled.transcripts, red, { features: plan.features, published }, plan.strict);
    if (plan.shard) {
      writeReportFile(
        path.join(dir, SHARD_FILE),
        redact(
          shardManifestJson({
            shard: plan.shard,
            scenarios: scenarios.map((s) => s.id),
            report: shown,
            features: plan.features,
            plan: planFingerprint({
              poolcheckVersion: POOLCHECK_VERSION,
              scenarios: scenarios.map((s) => s.id),
              drivers: plan.drivers,
              targets: run.targets.map((t) => t.id),
            }),
            published: Object.fromEntries(
              run.targets.flatMap((t) => {
                const p = published(t.id);
                return p ? [[t.id, p]] : [];
              }),
            ),
          }),
        ),
      );
    }
  });
  return shown;
}
