// poolcheck's package API (`import { defineScenario, step, msg } from 'poolcheck'`): what a
// TypeScript case in a pooler's own repository needs, and nothing the harness may change under
// it. A module in a --cases folder default-exports a scenario or a list of them; poolcheck
// holds it to the same schema as a YAML case file when it loads it.
export { defineScenario, EVENTUALLY_MS, msg, observe, step } from './scenario/define.ts';
export { CATEGORIES } from './scenario/model.ts';
export type { Category, Cell, Expect, MessageLabel, ScenarioSpec, SessionSpec, StepSpec, StepSpecOf } from './scenario/model.ts';
export type { KnownIssue } from './poolers/known-issue.ts';
export type { FrontendMessage, MessageName } from './wire/messages.ts';
export type { Bytes, Format, Value } from './wire/bytes.ts';
// poolcheck.config.ts: `export default defineConfig({ ... })`, typed from the option table.
export { defineConfig } from './cli/define-config.ts';
export type { PoolcheckConfig } from './cli/define-config.ts';
