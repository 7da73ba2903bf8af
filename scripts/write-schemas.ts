// npm run schemas: writes schemas/*.json from the schema tables (harness/report/json-schemas.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { jsonSchemas } from '../harness/report/json-schemas.ts';

const dir = path.resolve(import.meta.dirname, '..', 'schemas');
mkdirSync(dir, { recursive: true });
for (const [file, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(path.join(dir, file), `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`wrote schemas/${file}\n`);
}
