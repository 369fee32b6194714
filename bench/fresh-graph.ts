// The graph a benchmark loads into: its own local Neo4j (state folder and port set by the benchmark's
// environment), started on an empty store with the schema applied; or the server NEO4J_URI names.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { openGraph, type Graph } from '../src/graph/driver.js';
import { stopLocalNeo4j } from '../src/graph/local-neo4j.js';
import { applySchema } from '../src/graph/schema.js';

export interface BenchGraph {
  graph: Graph;
  /** Closes the driver and stops the local Neo4j this started. */
  close(): Promise<void>;
}

export async function openFreshGraph(): Promise<BenchGraph> {
  const cfg = loadConfig();
  if (!cfg.neo4j.external) {
    await stopLocalNeo4j(cfg);
    fs.rmSync(path.join(cfg.stateDir, 'neo4j', 'home'), { recursive: true, force: true });
  }
  const graph = await openGraph({ config: cfg, start: true });
  await applySchema(graph);
  return {
    graph,
    async close() {
      await graph.close();
      if (!cfg.neo4j.external) await stopLocalNeo4j(cfg);
    },
  };
}
