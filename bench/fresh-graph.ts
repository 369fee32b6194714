// The graph a benchmark loads into: its own local Neo4j (state folder and port set by the benchmark's
// environment), started on an empty store with the schema applied; or the server NEO4J_URI names.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { projectRoot } from '../src/paths.js';
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

/**
 * A benchmark's own local Neo4j: state under .reachgraph/NAME, Bolt on PORT, a 4 GiB heap, quiet logs;
 * each setting only where the environment does not give one (NEO4J_URI still wins over all of them).
 */
export function benchEnv(name: string, port: number, opts: { pageCacheMb?: number } = {}): void {
  process.env.REACHGRAPH_STATE_DIR ??= path.join(projectRoot(), '.reachgraph', name);
  process.env.REACHGRAPH_NEO4J_PORT ??= String(port);
  process.env.REACHGRAPH_NEO4J_HEAP ??= '4g';
  if (opts.pageCacheMb !== undefined) process.env.REACHGRAPH_NEO4J_PAGECACHE_MB ??= String(opts.pageCacheMb);
  process.env.REACHGRAPH_LOG_LEVEL ??= 'warn';
}

/** A seeded linear congruential generator, so a benchmark's estate is the same on every run. */
export function seeded(seed: number): { rand: () => number; pick: <T>(xs: readonly T[]) => T } {
  let state = seed;
  const rand = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return { rand, pick: <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]! };
}
