// CopyData messages carry a byte stream: their boundaries mean nothing to COPY, and one row may
// span several of them (sqlx, psycopg and pgx cut the stream into fixed-size chunks).
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY
import { defineScenario, msg, observe } from '../../harness/scenario/define.ts';

const COPY = 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY';
/** One CSV row with a 16 kB JSON value, cut into four CopyData of 4 kB and a tail. */
const ROW = `1,"{""value"":""${'e'.repeat(16384)}""}"\n`;
const CHUNKS = Array.from({ length: Math.ceil(ROW.length / 4096) }, (_, i) => ROW.slice(i * 4096, (i + 1) * 4096));

export default [
  defineScenario({
    id: 'protocol-framing/copy-csv-row-split-across-copy-data',
    category: 'protocol-framing',
    pool: 'single',
    why: 'A CSV row of 16 kB sent in 4 kB CopyData chunks, cut mid-value, is one row to PostgreSQL; a pooler that reads CopyData as whole rows (to route or count them) splits it, fails the COPY or loses the row.',
    docs: COPY,
    setup: ['CREATE TABLE {{t}} (id bigint, data jsonb)'],
    teardown: ['DROP TABLE IF EXISTS {{t}}'],
    sessions: { a: {} },
    steps: [
      {
        session: 'a',
        messages: [msg.query('COPY {{t}} (id, data) FROM STDIN (FORMAT csv)')],
        until: 'CopyInResponse',
        expect: { messages: ['CopyInResponse'] },
      },
      {
        session: 'a',
        label: `the row in ${CHUNKS.length} CopyData, then CopyDone`,
        messages: [...CHUNKS.map((c) => msg.copyData(c)), msg.copyDone()],
        until: 'ReadyForQuery',
        expect: { messages: ['CommandComplete', 'ReadyForQuery:I'], commandTags: ['COPY 1'] },
      },
      observe("SELECT count(*), length(data->>'value') FROM {{t}} GROUP BY 2", { expect: { rows: [['1', '16384']] } }),
    ],
  }),
];
