import { expect } from 'chai';
import path from 'node:path';
import { NO_REDACTION } from '../../harness/report/redact.ts';
import { relocating } from '../../harness/report/relocate.ts';
import { stagingFolder } from '../../harness/report/out-folder.ts';

describe('log paths in messages', () => {
  it('name the log where it is after the run (OUT/logs), not in the staging folder that is gone', () => {
    const out = path.resolve('/tmp/reports/latest');
    const red = relocating(NO_REDACTION, stagingFolder(out, 'ab12cd'), out);
    const message = `pgbouncer:transaction pgbouncer exited (code 1); see ${stagingFolder(out, 'ab12cd')}/logs/pgbouncer-transaction.pgbouncer.log`;
    expect(red.serverText(message)).to.equal(`pgbouncer:transaction pgbouncer exited (code 1); see ${out}/logs/pgbouncer-transaction.pgbouncer.log`);
    expect(red.anywhere('nothing to move')).to.equal('nothing to move');
    // The journal is not published: a run that could not write its reports keeps it where it is.
    const journal = `cannot write ${stagingFolder(out, 'ab12cd')}/journal.jsonl: ENOSPC`;
    expect(red.anywhere(journal)).to.equal(journal);
  });
});
