// The JSON Schemas poolcheck ships in schemas/ (package.json "files"), generated from the schema
// tables poolcheck itself checks with, so an editor's check and poolcheck's agree:
// npm run schemas writes them, and a test fails when a table changed and the files did not.
import { jsonSchemaDocument, type JsonSchema } from '../kernel/json-schema.ts';
import { PROFILE_SCHEMA } from '../poolers/profile-file.ts';
import { SCENARIO_SCHEMA } from '../scenario/scenario-schema.ts';
import { RESULTS_JSON_SCHEMA } from './results-schema.ts';
import { SCHEMA_VERSION } from './results-json.ts';

/** File name in schemas/ -> its schema. */
export function jsonSchemas(): Record<string, JsonSchema> {
  return {
    'case-file.schema.json': jsonSchemaDocument(
      SCENARIO_SCHEMA,
      'poolcheck case file',
      'One scenario (a YAML document of a case file, or what a TypeScript case module exports): docs/cases.md. poolcheck checks more than this schema can say (SQLSTATEs, saved values, sessions a step names) and says where, as file:line:col.',
    ),
    'profile.schema.json': jsonSchemaDocument(
      PROFILE_SCHEMA,
      'poolcheck profile file',
      'What a pooler is documented to do where it differs from PostgreSQL (--profile FILE): the schema of the built-in profiles.',
    ),
    'results.schema.json': jsonSchemaDocument(
      RESULTS_JSON_SCHEMA,
      `poolcheck results.json, schemaVersion ${SCHEMA_VERSION}`,
      'A run\'s results, as poolcheck run and poolcheck merge write them into the out folder (README: "results.json").',
    ),
  };
}
