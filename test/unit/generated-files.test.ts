// Generated files are committed; each test fails when the committed copy drifts from its source.
import fs from 'node:fs';
import path from 'node:path';
import { ingestLineJsonSchema } from '../../src/graph/ingest-json-schema.js';
import { renderModelDoc } from '../../src/graph/model-doc.js';
import { projectRoot } from '../../src/paths.js';

const read = (f: string) => fs.readFileSync(path.join(projectRoot(), f), 'utf8');

test('docs/graph-model.md tables match the model (run `npm run docs:model`)', () => {
  const doc = read('docs/graph-model.md');
  expect(doc).toBe(renderModelDoc(doc));
});

test('docs/ingest-format.schema.json matches the record schemas (run `npm run docs:ingest-schema`)', () => {
  expect(JSON.parse(read('docs/ingest-format.schema.json'))).toEqual(ingestLineJsonSchema());
});
