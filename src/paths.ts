/** Where the project's own files are, whether running from src/ (tests) or dist/ (built). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder holding reachgraph's package.json. */
export function projectRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'reachgraph') return (root = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error('reachgraph: cannot find the project root (package.json named reachgraph)');
    dir = up;
  }
}
