import { expect } from 'chai';
import { check, type StepResult } from '../../harness/scenario/expectations.ts';

const rows = (...r: (string | null)[][]): StepResult => ({ kind: 'query', result: { rows: r, columns: [] } });
const err = (code: string): StepResult => ({ kind: 'query', result: { rows: [], columns: [], error: { code, message: 'boom' } } });
const saved = new Map([['v', '7']]);

describe('expectations', () => {
  it('fails a step on an unexpected error even when nothing is expected', () => {
    expect(check(undefined, err('42P05'), saved)).to.equal('expected success');
    expect(check(undefined, rows(['1']), saved)).to.equal(undefined);
  });

  it('matches SQLSTATE codes exactly', () => {
    expect(check({ error: '42P05' }, err('42P05'), saved)).to.equal(undefined);
    expect(check({ error: '42P05' }, err('26000'), saved)).to.match(/expected ERROR 42P05/);
    expect(check({ error: '42P05' }, rows(['1']), saved)).to.match(/expected ERROR 42P05/);
  });

  it('compares rows with saved values, wildcards and nulls', () => {
    expect(check({ rows: [['$v', '*', null]] }, rows(['7', 'anything', null]), saved)).to.equal(undefined);
    expect(check({ rows: [['$v']] }, rows(['8']), saved)).to.match(/\$v=7/);
    expect(check({ rows: [['1']] }, rows(['1'], ['2']), saved)).to.match(/expected rows/);
  });

  it('checks equality and difference against saved values', () => {
    expect(check({ equals: '$v' }, rows(['7']), saved)).to.equal(undefined);
    expect(check({ notEquals: '$v' }, rows(['7']), saved)).to.match(/other than \$v \(7\)/);
  });

  it('expects notifications or their absence', () => {
    const none: StepResult = { kind: 'notification', notification: undefined };
    const got: StepResult = { kind: 'notification', notification: { channel: 'c', payload: 'hi', pid: 7 } };
    expect(check({ notification: null }, none, saved)).to.equal(undefined);
    expect(check({ notification: null }, got, saved)).to.match(/no notification/);
    expect(check({ notification: { payload: 'hi', pidEquals: '$v' } }, got, saved)).to.equal(undefined);
    expect(check({}, none, saved)).to.match(/none arrived/);
  });

  it('compares raw reply message lists, ignoring asynchronous messages', () => {
    const r: StepResult = {
      kind: 'query', result: { rows: [], columns: [], error: { code: '26000', message: 'x' } },
      messages: [
        { type: 'NoticeResponse', code: '01000', message: 'n', severity: 'NOTICE' },
        { type: 'ErrorResponse', code: '26000', message: 'x', severity: 'ERROR' }, { type: 'ReadyForQuery', status: 'I' },
      ],
    };
    expect(check({ messages: ['ErrorResponse:26000', 'ReadyForQuery'] }, r, saved)).to.equal(undefined);
    expect(check({ messages: ['ParseComplete', 'ReadyForQuery'] }, r, saved)).to.match(/expected messages/);
    expect(check({ messages: ['ErrorResponse:26000', 'ReadyForQuery:I'] }, r, saved)).to.equal(undefined);
    expect(check({ messages: ['ErrorResponse:26000', 'ReadyForQuery:T'] }, r, saved)).to.match(/expected messages/);
  });
});
