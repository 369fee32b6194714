/** Jest global setup for integration tests: the real local Neo4j (or NEO4J_URI), schema applied. */
import { loadConfig } from '../../src/config.js';
import { openGraph } from '../../src/graph/driver.js';
import { applySchema } from '../../src/graph/schema.js';
import { stopLocalNeo4j } from '../../src/graph/local-neo4j.js';
import { useTestEnv } from './env.js';

export default async function globalSetup(): Promise<void> {
  useTestEnv();
  const graph = await openGraph({ config: loadConfig(), start: true });
  try {
    await applySchema(graph);
  } finally {
    await graph.close();
  }
}

export async function teardown(): Promise<void> {
  useTestEnv();
  const cfg = loadConfig();
  if (!cfg.neo4j.external) await stopLocalNeo4j(cfg);
}
