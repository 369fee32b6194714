// Writes docs/ingest-format.schema.json from the zod schemas of src/graph/records.ts.
import fs from 'node:fs';
import path from 'node:path';
import { ingestLineJsonSchema } from '../src/graph/ingest-json-schema.js';
import { projectRoot } from '../src/paths.js';

const out = path.join(projectRoot(), 'docs', 'ingest-format.schema.json');
fs.writeFileSync(out, JSON.stringify(ingestLineJsonSchema(), null, 2) + '\n');
process.stderr.write(`wrote ${out}\n`);
