/** Where the test Neo4j lives: its own state folder and port, so tests never touch the `npm start` graph. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function useTestEnv(): void {
  process.env.REACHGRAPH_STATE_DIR ??= path.join(root, '.reachgraph', 'test');
  process.env.REACHGRAPH_NEO4J_PORT ??= '7688';
  process.env.REACHGRAPH_NEO4J_HEAP ??= '3g';
  process.env.NODE_ENV ??= 'test';
}
