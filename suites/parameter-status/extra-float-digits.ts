import { defineScenario, step } from '../../harness/scenario/define.ts';

// extra_float_digits decides how float values are written as text: 1 or more (the default
// since PostgreSQL 12) gives the shortest exact form, 0 or less rounds to 15 significant digits.
// Drivers often set it at startup; SET changes it for the session that runs it only.
// https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-EXTRA-FLOAT-DIGITS
const DOCS = 'https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-EXTRA-FLOAT-DIGITS';
// ::text goes through the server's float8 output whatever format the driver asks results in.
// The cast is folded into the plan, so a driver that caches prepared statements by text would
// replay the first answer: every probe gets a text of its own.
const sum = (tag: string) => `SELECT (0.1::float8 + 0.2::float8)::text AS ${tag}`;

export default [
  defineScenario({
    id: 'parameter-status/extra-float-digits-kept-per-client',
    category: 'parameter-status',
    pool: 'single',
    why: "One client rounding floats with extra_float_digits = 0 must not make another client's floats lose digits (values read back no longer equal what was stored).",
    docs: DOCS,
    sessions: { a: {}, b: {} },
    steps: [
      step('b', 'SHOW extra_float_digits', { save: 'b0' }),
      step('a', 'SET extra_float_digits = 0'),
      step('a', sum('a_rounded'), { expect: { rows: [['0.3']] } }),
      step('b', 'SHOW extra_float_digits', { expect: { rows: [['$b0']] } }),
      step('a', sum('a_still_rounded'), { expect: { rows: [['0.3']] } }),
      step('a', 'SET extra_float_digits = 3'),
      step('a', sum('a_exact'), { expect: { rows: [['0.30000000000000004']] } }),
    ],
  }),
];
