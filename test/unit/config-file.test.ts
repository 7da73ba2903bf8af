import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from '../../harness/api.ts';
import { loadConfig } from '../../harness/cli/config.ts';
import { tempDir } from '../temp-dir.ts';

describe('the config file', () => {
  it('is typed from the option table: an unknown key or a wrong type does not compile', () => {
    const config = defineConfig({
      targets: 'direct',
      drivers: ['raw'],
      lanes: 1,
      strict: true,
      maxFailures: 3,
      poolers: { pgbouncer: './pgbouncer' },
    });
    // @ts-expect-error "target" is no option
    defineConfig({ target: 'direct' });
    // @ts-expect-error lanes is a number
    defineConfig({ lanes: '1' });
    expect(config.lanes).to.equal(1);
  });

  it('loads poolcheck.config.ts (defineConfig from the package), paths relative to the file', async () => {
    const dir = tempDir('pc-config-');
    const file = path.join(dir, 'poolcheck.config.ts');
    writeFileSync(
      file,
      `import { defineConfig } from ${JSON.stringify(path.resolve(import.meta.dirname, '../../harness/api.ts'))};
const lanes: number = 2;
export default defineConfig({ targets: 'direct,pgbouncer:transaction', drivers: ['raw', 'pg'], lanes, poolers: { pgbouncer: './build/pgbouncer' } });
`,
    );
    const values = await loadConfig(file);
    expect(values.get('targets')).to.deep.equal(['direct', 'pgbouncer:transaction']);
    expect(values.get('lanes')).to.equal(2);
    expect(values.get('pgbouncer-bin')).to.equal(path.join(dir, 'build', 'pgbouncer'));
  });

  it('says what is wrong with a config module as with a JSON file', async () => {
    const dir = tempDir('pc-config-');
    const file = path.join(dir, 'poolcheck.config.mjs');
    writeFileSync(file, 'export default { lanes: 0 };\n');
    await loadConfig(file).then(
      () => expect.fail('loaded'),
      (e: Error) => expect(e.message).to.match(/"lanes" takes a whole number from 1 to 16, not 0/),
    );
    const json = path.join(dir, 'c.json');
    writeFileSync(json, '{ "lanes": 1, }');
    await loadConfig(json).then(
      () => expect.fail('loaded'),
      (e: Error) => expect(e.message).to.match(/not valid JSON/),
    );
  });
});
