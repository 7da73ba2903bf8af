import { expect } from 'chai';
import { check, forPostgres, type StepResult } from '../../harness/scenario/expectations.ts';

const text = (...args: Parameters<typeof check>) => check(...args)?.text;
const kind = (...args: Parameters<typeof check>) => check(...args)?.kind;

const rows = (...r: (string | null)[][]): StepResult => ({ kind: 'query', result: { rows: r, columns: [] } });
const err = (code: string): StepResult => ({ kind: 'query', result: { rows: [], columns: [], error: { code, message: 'boom' } } });
const saved = new Map([['v', '7']]);

describe('expectations', () => {
  it('fails a step on an unexpected error even when nothing is expected', () => {
    expect(text(undefined, err('42P05'), saved)).to.equal('expected success');
    expect(text(undefined, rows(['1']), saved)).to.equal(undefined);
  });

  it('matches SQLSTATE codes exactly', () => {
    expect(text({ error: '42P05' }, err('42P05'), saved)).to.equal(undefined);
    expect(text({ error: '42P05' }, err('26000'), saved)).to.match(/expected ERROR 42P05/);
    expect(text({ error: '42P05' }, rows(['1']), saved)).to.match(/expected ERROR 42P05/);
  });

  it('compares rows with saved values, wildcards and nulls', () => {
    expect(text({ rows: [['$v', '*', null]] }, rows(['7', 'anything', null]), saved)).to.equal(undefined);
    expect(text({ rows: [['$v']] }, rows(['8']), saved)).to.match(/\$v=7/);
    expect(text({ rows: [['1']] }, rows(['1'], ['2']), saved)).to.match(/expected rows/);
  });

  it('compares binary values as bytes: never equal to text, equal however the hex is spelt', () => {
    const binary: StepResult = { kind: 'query', result: { rows: [[{ hex: '0000000000000005' }]], columns: [] } };
    expect(text({ rows: [[{ hex: '00 00 00 00 00 00 00 05' }]] }, binary, saved)).to.equal(undefined);
    expect(text({ rows: [['5']] }, binary, saved)).to.match(/expected rows/);
    expect(text({ rows: [[{ hex: '05' }]] }, rows(['\\x05']), saved)).to.match(/expected rows/);
    // Saved and compared as text, a binary value reads as a bytea prints.
    expect(text({ equals: '\\x0000000000000005' }, binary, saved)).to.equal(undefined);
  });

  it("labels the login's messages with the key length and the protocol version offered", () => {
    const login: StepResult = {
      kind: 'query',
      result: { rows: [], columns: [] },
      messages: [
        { type: 'NegotiateProtocolVersion', version: 196608, options: [] },
        { type: 'AuthenticationOk' },
        { type: 'BackendKeyData', pid: 1, key: { hex: '00'.repeat(32) } },
        { type: 'ReadyForQuery', status: 'I' },
      ],
    };
    expect(text({ messages: ['NegotiateProtocolVersion:3.0', 'AuthenticationOk', 'BackendKeyData:32', 'ReadyForQuery:I'] }, login, saved)).to.equal(
      undefined,
    );
    expect(text({ messages: ['NegotiateProtocolVersion', 'AuthenticationOk', 'BackendKeyData', 'ReadyForQuery'] }, login, saved)).to.equal(undefined);
    expect(text({ messages: ['AuthenticationOk', 'BackendKeyData:4', 'ReadyForQuery'] }, login, saved)).to.match(/expected messages/);
  });

  it('compares the options NegotiateProtocolVersion lists only where the label names them', () => {
    const login = (options: string[]): StepResult => ({
      kind: 'query',
      result: { rows: [], columns: [] },
      messages: [
        { type: 'NegotiateProtocolVersion', version: 196610, options },
        { type: 'ReadyForQuery', status: 'I' },
      ],
    });
    const listed = login(['_pq_.a', '_pq_.b']);
    expect(text({ messages: ['NegotiateProtocolVersion:3.2', 'ReadyForQuery'] }, listed, saved)).to.equal(undefined);
    expect(text({ messages: ['NegotiateProtocolVersion:3.2:_pq_.a,_pq_.b', 'ReadyForQuery'] }, listed, saved)).to.equal(undefined);
    expect(text({ messages: ['NegotiateProtocolVersion:3.2:_pq_.a', 'ReadyForQuery'] }, listed, saved)).to.match(/expected messages/);
    expect(text({ messages: ['NegotiateProtocolVersion:3.2:', 'ReadyForQuery'] }, listed, saved)).to.match(/expected messages/);
    expect(text({ messages: ['NegotiateProtocolVersion:3.2:', 'ReadyForQuery'] }, login([]), saved)).to.equal(undefined);
    expect(text({ messages: ['NegotiateProtocolVersion:3.0:_pq_.a,_pq_.b', 'ReadyForQuery'] }, listed, saved)).to.match(/expected messages/);
  });

  it('checks equality and difference against saved values', () => {
    expect(text({ equals: '$v' }, rows(['7']), saved)).to.equal(undefined);
    expect(text({ notEquals: '$v' }, rows(['7']), saved)).to.match(/other than \$v \(7\)/);
  });

  it('expects notifications or their absence', () => {
    const none: StepResult = { kind: 'notification', notification: undefined };
    const got: StepResult = { kind: 'notification', notification: { channel: 'c', payload: 'hi', pid: 7 } };
    expect(text({ notification: null }, none, saved)).to.equal(undefined);
    expect(text({ notification: null }, got, saved)).to.match(/no notification/);
    expect(text({ notification: { payload: 'hi', pidEquals: '$v' } }, got, saved)).to.equal(undefined);
    expect(text({}, none, saved)).to.match(/none arrived/);
  });

  it('compares raw reply message lists, ignoring asynchronous messages', () => {
    const r: StepResult = {
      kind: 'query',
      result: { rows: [], columns: [], error: { code: '26000', message: 'x' } },
      messages: [
        { type: 'NoticeResponse', code: '01000', message: 'n', severity: 'NOTICE' },
        { type: 'ErrorResponse', code: '26000', message: 'x', severity: 'ERROR' },
        { type: 'ReadyForQuery', status: 'I' },
      ],
    };
    expect(text({ messages: ['ErrorResponse:26000', 'ReadyForQuery'] }, r, saved)).to.equal(undefined);
    expect(text({ messages: ['ParseComplete', 'ReadyForQuery'] }, r, saved)).to.match(/expected messages/);
    expect(text({ messages: ['ErrorResponse:26000', 'ReadyForQuery:I'] }, r, saved)).to.equal(undefined);
    expect(text({ messages: ['ErrorResponse:26000', 'ReadyForQuery:T'] }, r, saved)).to.match(/expected messages/);
  });

  it('names the kind of difference, so a profile can document it', () => {
    const fatal: StepResult = { kind: 'query', result: { rows: [], columns: [], error: { code: '08P01', message: 'x', severity: 'FATAL' } } };
    expect(check(undefined, fatal, saved)).to.deep.equal({ kind: 'closed', text: 'expected success', sqlstate: '08P01' });
    expect(kind(undefined, err('42P05'), saved)).to.equal('error');
    expect(kind({ error: '26000' }, err('42P05'), saved)).to.equal('sqlstate');
    expect(kind({ error: '26000' }, rows(['1']), saved)).to.equal('no-error');
    expect(kind({ rows: [['1']] }, rows(['2']), saved)).to.equal('rows');
    const closed: StepResult = {
      kind: 'query',
      result: { rows: [], columns: [] },
      messages: [{ type: 'ErrorResponse', code: '08P01', message: 'bye', severity: 'FATAL' }],
    };
    expect(check({ messages: ['ErrorResponse:26000', 'ReadyForQuery'] }, closed, saved)).to.include({ kind: 'closed', sqlstate: '08P01' });
    const bound: StepResult = {
      kind: 'query',
      result: { rows: [['1']], columns: [] },
      messages: [{ type: 'BindComplete' }, { type: 'ReadyForQuery', status: 'I' }],
    };
    expect(kind({ messages: ['ErrorResponse:26000', 'ReadyForQuery'] }, bound, saved)).to.equal('no-error');
    expect(kind({ messages: ['ParseComplete', 'ReadyForQuery'] }, bound, saved)).to.equal('messages');
  });

  it('compares command tags in order, and ParameterStatus messages in order and count', () => {
    const r: StepResult = { kind: 'query', result: { rows: [], columns: [], tags: ['INSERT 0 1', 'SELECT 1'] } };
    expect(text({ commandTags: ['INSERT 0 1', 'SELECT 1'] }, r, saved)).to.equal(undefined);
    expect(check({ commandTags: ['SELECT 1', 'INSERT 0 1'] }, r, saved)).to.deep.equal({
      kind: 'messages',
      text: 'expected command tags ["SELECT 1","INSERT 0 1"], got ["INSERT 0 1","SELECT 1"]',
    });
    const statuses = {
      parameterStatuses: [
        ['TimeZone', 'UTC'],
        ['DateStyle', '7'],
      ] as const,
    };
    expect(
      text(
        {
          parameterStatusMessages: [
            ['TimeZone', 'UTC'],
            ['DateStyle', '$v'],
          ],
        },
        rows(),
        saved,
        undefined,
        statuses,
      ),
    ).to.equal(undefined);
    expect(
      text(
        {
          parameterStatusMessages: [
            ['TimeZone', '*'],
            ['DateStyle', '*'],
          ],
        },
        rows(),
        saved,
        undefined,
        statuses,
      ),
    ).to.equal(undefined);
    expect(kind({ parameterStatusMessages: [['TimeZone', 'UTC']] }, rows(), saved, undefined, statuses)).to.equal('parameter-status');
    expect(text({ parameterStatusMessages: [] }, rows(), saved, undefined, {})).to.equal(undefined);
  });

  it('compares ParameterStatus messages and notices in any order where the case says the order is not the behaviour', () => {
    const statuses = {
      parameterStatuses: [
        ['DateStyle', 'ISO, DMY'],
        ['TimeZone', 'UTC'],
      ] as const,
    };
    const want = [
      ['TimeZone', 'UTC'],
      ['DateStyle', '*'],
    ] as const;
    expect(kind({ parameterStatusMessages: want }, rows(), saved, undefined, statuses)).to.equal('parameter-status');
    expect(text({ parameterStatusMessages: want, anyOrder: true }, rows(), saved, undefined, statuses)).to.equal(undefined);
    // In any order, still in count: a missing or an extra message differs.
    expect(kind({ parameterStatusMessages: [['TimeZone', 'UTC']], anyOrder: true }, rows(), saved, undefined, statuses)).to.equal('parameter-status');
    expect(text({ notices: ['01000', '00000'], anyOrder: true }, rows(), saved, undefined, { notices: ['00000', '01000'] })).to.equal(undefined);
  });

  it("takes the fields of the PostgreSQL release range that matches, and the step's own elsewhere", () => {
    const e = { rows: [['a']], commandTags: ['SHOW'], postgres: { '>=18': { rows: [['b']] }, '17': { error: '42704' } } } as const;
    expect(forPostgres(e, '18.6 (Debian 18.6-3)')).to.deep.equal({ rows: [['b']], commandTags: ['SHOW'] });
    expect(forPostgres(e, '17.12')).to.deep.equal({ rows: [['a']], commandTags: ['SHOW'], error: '42704' });
    expect(forPostgres(e, '15.20')).to.deep.equal({ rows: [['a']], commandTags: ['SHOW'] });
    expect(forPostgres(undefined, '15.20')).to.equal(undefined);
  });
});
