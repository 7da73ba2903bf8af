// COPY switches the connection into a sub-protocol of CopyData messages until CopyDone.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY
import type { FrontendMessage } from '../../harness/wire/messages.ts';
import { defineScenario, msg, observe } from '../../harness/scenario/define.ts';

const COPY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY';
const copyData = (data: string): FrontendMessage => ({ type: 'CopyData', data });
const copyDone: FrontendMessage = { type: 'CopyDone' };
const copyFail = (message: string): FrontendMessage => ({ type: 'CopyFail', message });

export default [
  defineScenario({
    id: 'protocol-framing/copy-from-stdin',
    category: 'protocol-framing',
    pool: 'single',
    why: 'Bulk loads use COPY FROM STDIN; a pooler that does not follow the copy sub-protocol hangs or loses rows.',
    docs: COPY,
    setup: ['CREATE TABLE {{t}} (id int, name text)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      { session: 'a', messages: [msg.query('COPY {{t}} FROM STDIN')], until: 'CopyInResponse', expect: { messages: ['CopyInResponse'] } },
      {
        session: 'a',
        messages: [copyData('1\tone\n2\ttwo\n'), copyData('3\tthree\n'), copyDone],
        until: 'ReadyForQuery',
        expect: { messages: ['CommandComplete', 'ReadyForQuery'] },
      },
      observe("SELECT count(*), string_agg(name, ',' ORDER BY id) FROM {{t}}", { expect: { rows: [['3', 'one,two,three']] } }),
    ],
  }),
  defineScenario({
    id: 'protocol-framing/copy-to-stdout',
    category: 'protocol-framing',
    pool: 'single',
    why: 'Exports use COPY TO STDOUT; every CopyData row and the CopyDone must reach the client in order.',
    docs: COPY,
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        messages: [msg.query('COPY (SELECT generate_series(1, 3)) TO STDOUT')],
        expect: { messages: ['CopyOutResponse', 'CopyData', 'CopyData', 'CopyData', 'CopyDone', 'CommandComplete', 'ReadyForQuery'] },
      },
    ],
  }),
  defineScenario({
    id: 'protocol-framing/copy-fail-rolls-back',
    category: 'protocol-framing',
    pool: 'single',
    why: 'A client aborting a COPY with CopyFail must get an error and no rows loaded, and the connection must stay usable.',
    docs: COPY,
    setup: ['CREATE TABLE {{t}} (id int)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      { session: 'a', messages: [msg.query('COPY {{t}} FROM STDIN')], until: 'CopyInResponse' },
      {
        session: 'a',
        messages: [copyData('1\n'), copyFail('client gave up')],
        until: 'ReadyForQuery',
        expect: { messages: ['ErrorResponse:57014', 'ReadyForQuery'] },
      },
      { session: 'a', sql: 'SELECT count(*) FROM {{t}}', expect: { rows: [['0']] } },
    ],
  }),
];
