// Writes schema.graphql from the type-graphql resolvers (never done at server start).
import fs from 'node:fs';
import path from 'node:path';
import { printApiSchema } from '../src/api/schema.js';
import { projectRoot } from '../src/paths.js';

const out = path.join(projectRoot(), 'schema.graphql');
fs.writeFileSync(out, await printApiSchema());
process.stderr.write(`wrote ${out}\n`);
