import { defineScenario, step } from '../../harness/scenario/define.ts';
import type { StepSpec } from '../../harness/scenario/model.ts';

// At startup PostgreSQL sends a ParameterStatus for every parameter marked GUC_REPORT, and
// again whenever one changes; the driver's table of them must agree with what SHOW says.
// Which values they hold depends on what the driver put in its StartupMessage, so each is read
// with SHOW first and then compared with what the driver holds.
const DOCS = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC';

/** SHOW each parameter, saving it; the next step checks the driver holds the value just saved. */
function showAndCompare(session: string, params: readonly string[]): StepSpec[] {
  const steps: StepSpec[] = [];
  params.forEach((p, i) => {
    const prev = params[i - 1];
    steps.push(
      step(session, `SHOW ${p}`, {
        save: `v${i}`,
        expect: prev ? { parameterStatus: { [prev]: `$v${i - 1}` } } : undefined,
      }),
    );
  });
  const last = params[params.length - 1];
  steps.push(step(session, 'SELECT 1', { expect: { rows: [['1']], parameterStatus: { [last]: `$v${params.length - 1}` } } }));
  return steps;
}

export default [
  defineScenario({
    id: 'parameter-status/client-parameters-agree-with-show',
    category: 'parameter-status',
    pool: 'single',
    why: 'Drivers format and parse dates, intervals, text and escapes by the ParameterStatus values they hold; if those disagree with the session, data is read or written wrongly.',
    docs: DOCS,
    sessions: { a: {} },
    steps: showAndCompare('a', ['client_encoding', 'DateStyle', 'IntervalStyle', 'TimeZone', 'standard_conforming_strings', 'application_name']),
  }),
  defineScenario({
    id: 'parameter-status/server-parameters-agree-with-show',
    category: 'parameter-status',
    pool: 'single',
    why: 'Drivers choose features and encodings from the reported server_version, server_encoding, integer_datetimes and is_superuser; a wrong report makes them misbehave against the real server.',
    docs: DOCS,
    sessions: { a: {} },
    steps: showAndCompare('a', [
      'server_version',
      'server_encoding',
      'integer_datetimes',
      'is_superuser',
      'session_authorization',
      'default_transaction_read_only',
      'in_hot_standby',
    ]),
  }),
];
