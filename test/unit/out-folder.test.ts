import { expect } from 'chai';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OutFolder } from '../../harness/report/out-folder.ts';
import type { ScenarioRun } from '../../harness/scenario/result.ts';
import { tempDir } from '../temp-dir.ts';

const result = (scenario: string): ScenarioRun => ({
  scenario,
  category: 'sequences',
  target: 'direct',
  driver: 'raw',
  outcome: 'pass',
  durationMs: 1,
  steps: [],
});
const quiet = () => undefined;

describe('the out folder', () => {
  it('journals each result as it arrives and replaces the previous reports only when the new ones are written', () => {
    const out = tempDir('pc-out-');
    writeFileSync(path.join(out, 'results.json'), 'previous');
    writeFileSync(path.join(out, 'notes.txt'), "the user's own file");
    const folder = OutFolder.open(out, 'aaaaaa', quiet);
    folder.record(result('sequences/a'));
    folder.record(result('sequences/b'));
    const journal = readFileSync(path.join(folder.staging, 'journal.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as ScenarioRun).scenario);
    expect(journal).to.deep.equal(['sequences/a', 'sequences/b']);
    expect(() =>
      folder.publish(() => {
        throw new Error('ENOSPC: no space left on device, write');
      }),
    ).to.throw(/could not write the reports in .*ENOSPC.*the previous reports in .* are untouched/);
    expect(readFileSync(path.join(out, 'results.json'), 'utf8')).to.equal('previous');
    folder.publish((dir) => {
      writeFileSync(path.join(dir, 'results.json'), 'new');
      mkdirSync(path.join(dir, 'transcripts'));
    });
    folder.close();
    expect(readFileSync(path.join(out, 'results.json'), 'utf8')).to.equal('new');
    expect(readdirSync(out).sort()).to.deep.equal(['logs', 'notes.txt', 'results.json', 'transcripts']);
  });

  it('is refused to a second run while the first holds it, and taken over from a killed one', () => {
    const out = tempDir('pc-out-');
    const first = OutFolder.open(out, 'aaaaaa', quiet);
    expect(() => OutFolder.open(out, 'bbbbbb', quiet)).to.throw(
      `--out ${out} is being written by another poolcheck run (pid ${process.pid}); give this run another --out`,
    );
    first.record(result('a/b'));
    first.release();
    // A lock whose owner is gone: a run that was killed.
    writeFileSync(path.join(out, '.poolcheck-lock'), '2147483646');
    const second = OutFolder.open(out, 'bbbbbb', quiet);
    expect(second.orphans).to.deep.equal([path.join(out, '.run-aaaaaa')]);
    second.close();
    expect(existsSync(path.join(out, '.poolcheck-lock'))).to.equal(false);
    // A run that stopped before its first result (a URL that does not answer) leaves nothing.
    OutFolder.open(out, 'cccccc', quiet).release();
    expect(readdirSync(out).filter((f) => f.startsWith('.run-'))).to.deep.equal(['.run-aaaaaa']);
  });

  it('says at once which file a full disk refused, stops journaling and keeps what was written', function () {
    if (!existsSync('/dev/full')) this.skip();
    const out = tempDir('pc-out-');
    const notes: string[] = [];
    // /dev/full refuses every write with ENOSPC, as a full disk does.
    mkdirSync(path.join(out, '.run-aaaaaa'));
    symlinkSync('/dev/full', path.join(out, '.run-aaaaaa', 'journal.jsonl'));
    const folder = OutFolder.open(out, 'aaaaaa', (l) => notes.push(l));
    expect(folder.writeFailure).to.equal(undefined);
    folder.record(result('sequences/a'));
    folder.record(result('sequences/b'));
    const journal = path.join(out, '.run-aaaaaa', 'journal.jsonl');
    expect(notes).to.deep.equal([
      `cannot write ${journal}: ENOSPC: no space left on device, write; the run stops: the 0 result(s) written before are kept in it`,
    ]);
    expect(folder.writeFailure).to.equal('the journal could not be written: ENOSPC: no space left on device, write');
    expect(() =>
      folder.publish(() => {
        throw new Error('ENOSPC');
      }),
    ).to.throw(`this run's 0 journaled result(s) are in ${journal}`);
    folder.release();
    // Results were recorded: the staging folder stays for the next run to name.
    expect(existsSync(path.join(out, '.run-aaaaaa'))).to.equal(true);
  });

  it('says at once when --out is a file', () => {
    const file = path.join(tempDir('pc-out-'), 'a-file');
    writeFileSync(file, '');
    expect(() => OutFolder.open(file, 'aaaaaa', quiet)).to.throw(`--out ${file} is a file, not a folder`);
  });
});
