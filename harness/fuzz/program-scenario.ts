// A generated program expects nothing: PostgreSQL's answers, recorded on its first run on
// direct, become its expectations, so the program is an ordinary scenario that the runner and
// the judge compare as they compare the catalogue's (and a case file can carry it).
import { messageLabel, type StepResult } from '../scenario/expectations.ts';
import type { Expect, MessageLabel, ScenarioSpec, StepSpec } from '../scenario/model.ts';
import { textOf } from '../wire/bytes.ts';

/** Messages that come beside a reply, which an expected message list leaves out (expectations.ts). */
const ASIDE = new Set(['NoticeResponse', 'ParameterStatus', 'NotificationResponse']);

/** What one step answered, as an expectation: the SQLSTATE of an error, else the rows as text; a notification's payload, or none. */
export function expectationOf(result: StepResult): Expect | undefined {
  if (result.kind === 'done') return undefined;
  if (result.kind === 'notification') return { notification: result.notification ? { payload: result.notification.payload } : null };
  const q = result.result;
  // A raw message list: the reply messages (an ErrorResponse with its SQLSTATE) and the rows.
  if (result.messages)
    return {
      messages: result.messages.filter((m) => !ASIDE.has(m.type)).map((m) => messageLabel(m) as MessageLabel),
      rows: q.rows.map((row) => row.map((v) => textOf(v))),
    };
  if (q.error) return { error: q.error.code };
  return { rows: q.rows.map((row) => row.map((v) => textOf(v))) };
}

/** The program with each recorded answer as its step's expectation (steps without one keep none). */
export function withAnswers(program: ScenarioSpec, answers: ReadonlyMap<number, StepResult>): ScenarioSpec {
  const steps = program.steps.map((st, i): StepSpec => {
    const { expect: _old, ...rest } = st;
    const answer = answers.get(i);
    const expect = answer && expectationOf(answer);
    return expect ? { ...rest, expect } : rest;
  });
  return { ...program, steps };
}

/** The program without expectations: what the generator wrote, and what the shrinker cuts. */
export function withoutAnswers(program: ScenarioSpec): ScenarioSpec {
  return {
    ...program,
    steps: program.steps.map((st) => {
      const { expect: _e, ...rest } = st;
      return rest;
    }),
  };
}
