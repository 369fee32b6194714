import fs from 'node:fs';
import path from 'node:path';
import { printApiSchema } from '../../../src/api/schema.js';
import { projectRoot } from '../../../src/paths.js';

test('given the resolvers, then the committed schema.graphql is what they emit (run `npm run schema:emit` after a change)', async () => {
  const committed = fs.readFileSync(path.join(projectRoot(), 'schema.graphql'), 'utf8');
  expect(committed).toBe(await printApiSchema());
});
