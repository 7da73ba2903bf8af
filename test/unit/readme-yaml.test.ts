// The README's YAML is what people copy first: every block must be valid for what it is (a
// GitHub workflow against GitHub's workflow schema, a case file and a profile file against
// poolcheck's own), and the example workflows it shows must be the files in examples/github/,
// word for word, so the copy a test runs (example-workflow.test.ts) is the copy people read.
import { validateWorkflow } from '@action-validator/core';
import { expect } from 'chai';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadProfileFile } from '../../harness/poolers/profile-file.ts';
import { loadCaseFile } from '../../harness/scenario/case-file.ts';
import { ROOT } from '../root.ts';
import { tempDir } from '../temp-dir.ts';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const EXAMPLES = path.join(ROOT, 'examples', 'github');

interface Block {
  readonly line: number;
  readonly text: string;
  readonly marker?: string;
}

/** Fenced ```yaml blocks, indented ones too (inside a list item), with the line they start on and the `<!-- file -->` marker above, if any. */
function yamlBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```yaml\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
    const marker = /^<!-- (\S+) -->$/.exec(lines[i - 1] ?? '')?.[1];
    blocks.push({
      line: i + 1,
      text:
        lines
          .slice(i + 1, end)
          .map((l) => l.slice(indent))
          .join('\n') + '\n',
      ...(marker ? { marker } : {}),
    });
    i = end;
  }
  return blocks;
}

const errorsOf = (workflow: string) => validateWorkflow(workflow).errors.map((e) => JSON.stringify(e));

describe("the README's YAML", () => {
  const blocks = yamlBlocks(README);

  it('shows each example workflow as the file in examples/github/ holds it', () => {
    const files = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.yml'))
      .map((f) => `examples/github/${f}`);
    expect(files.length).to.be.above(0);
    expect(
      blocks
        .filter((b) => b.marker)
        .map((b) => b.marker)
        .sort(),
    ).to.deep.equal(files.sort());
    for (const b of blocks.filter((x) => x.marker)) expect(b.text, `README.md:${b.line}`).to.equal(readFileSync(path.join(ROOT, b.marker!), 'utf8'));
  });

  it("has every example workflow valid against GitHub's workflow schema", () => {
    for (const f of readdirSync(EXAMPLES).filter((x) => x.endsWith('.yml')))
      expect(errorsOf(readFileSync(path.join(EXAMPLES, f), 'utf8')), f).to.deep.equal([]);
  });

  it('has every block valid for what it is: a workflow, a case file or a profile file', () => {
    const dir = tempDir('pc-readme-');
    const kinds = blocks.map((b) => {
      const where = `README.md:${b.line}`;
      if (/^jobs:/m.test(b.text)) {
        expect(errorsOf(b.text), where).to.deep.equal([]);
        return 'workflow';
      }
      const file = path.join(dir, `block-${b.line}.yaml`);
      writeFileSync(file, b.text);
      if (/^pooler:/m.test(b.text)) {
        expect(() => loadProfileFile(file), where).to.not.throw();
        return 'profile';
      }
      const loaded = loadCaseFile(file, where, { shipped: false, folder: dir });
      expect(
        loaded.broken.flatMap((x) => x.problems),
        where,
      ).to.deep.equal([]);
      expect(loaded.scenarios, where).to.have.length.above(0);
      return 'case';
    });
    expect([...new Set(kinds)].sort()).to.deep.equal(['case', 'profile', 'workflow']);
  });

  it('would catch the mistake a workflow block once had (an unquoted ${{ }} in a flow mapping)', () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/upload-artifact@v4\n        with: { name: shard-${{ matrix.shard }} }\n';
    expect(errorsOf(broken).join()).to.contain('parse_error');
  });
});
