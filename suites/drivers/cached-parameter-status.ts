// A driver keeps the last ParameterStatus value the server reported for each GUC_REPORT
// setting (pgjdbc getParameterStatus, libpq PQparameterStatus under psycopg, asyncpg's
// settings) and acts on it: pgjdbc requires UTF8 and ISO dates, libpq escapes by
// standard_conforming_strings. On PostgreSQL the cached value is the session's setting: SHOW
// and the driver agree whatever other sessions do.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC
import { defineScenario, step } from '../../harness/scenario/define.ts';
import type { ScenarioSpec } from '../../harness/scenario/model.ts';

const ASYNC = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-ASYNC';

function cachedMatchesShow(name: string, param: string, otherValue: string, why: string): ScenarioSpec {
  return defineScenario({
    id: `drivers/cached-${name}-matches-show-after-other-clients-set`,
    category: 'drivers',
    pool: 'single',
    why,
    docs: ASYNC,
    sessions: { a: {}, b: {} },
    steps: [
      step('a', 'SELECT 1', { label: 'a connects' }),
      step('b', `SET ${param} = '${otherValue}'`),
      step('a', `SHOW ${param}`, { save: 'shown' }),
      step('a', 'SELECT 1', { label: `a's driver holds the ${param} SHOW gave`, expect: { parameterStatus: { [param]: '$shown' } } }),
    ],
  });
}

export default [
  cachedMatchesShow(
    'timezone',
    'TimeZone',
    'Asia/Kathmandu',
    "Drivers render and parse timestamps with the TimeZone they hold; if the session's real TimeZone differs, times silently shift.",
  ),
  cachedMatchesShow(
    'intervalstyle',
    'IntervalStyle',
    'iso_8601',
    "Drivers parse interval text in the IntervalStyle they hold; if the session's real style differs, intervals are misread or fail to parse.",
  ),
];
