// Regenerates the tables of docs/graph-model.md (between the GENERATED markers) from src/graph/model/.
import fs from 'node:fs';
import path from 'node:path';
import { renderModelDoc } from '../src/graph/model-doc.js';
import { projectRoot } from '../src/paths.js';

const file = path.join(projectRoot(), 'docs', 'graph-model.md');
fs.writeFileSync(file, renderModelDoc(fs.readFileSync(file, 'utf8')));
process.stderr.write(`wrote ${file}\n`);
