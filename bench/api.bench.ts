// npm run bench:api: the GraphQL API under a fixed request rate. Its own local Neo4j (7698,
// .reachgraph/bench-api), the demo estate, then `agent(id) { blastRadius { targets { id } } }` at a fixed
// 200 requests/s for 20 s over several demo agents (autocannon, latencies corrected for coordinated
// omission); then the same over a 10,000-agent generated estate (the bench:risk generator), twice: over a
// working set of agents that the blast-radius cache holds (BLAST_CACHE_ENTRIES), as the demo run is, and
// over so many distinct agents that every request is a cache miss (the engine's cost per question). Prints
// p50/p99, errors and the blast-radius cache's hits and misses; asserts nothing. BENCH_API_RATE,
// BENCH_API_SECONDS, BENCH_API_WARMUP, BENCH_API_AGENTS (generated agents), BENCH_API_HOT (the working
// set), BENCH_API_SUBJECTS (distinct generated agents asked in the miss run) resize it. The load generator runs in a child
// process (bench/api-load.ts), apart from the API's event loop.
import { execFileSync, fork } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import { BLAST_CACHE_ENTRIES, blastCache } from '../src/api/blast-cache.js';
import { startApi } from '../src/api/server.js';
import { loadConfig } from '../src/config.js';
import { loadDemoEstate } from '../src/demo/estate.js';
import type { Graph } from '../src/graph/driver.js';
import { projectRoot } from '../src/paths.js';
import type { LoadSpec } from './api-load.js';
import { benchEnv, openFreshGraph } from './fresh-graph.js';

const RATE = Number(process.env.BENCH_API_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_API_WARMUP ?? 5);
const AGENTS = Number(process.env.BENCH_API_AGENTS ?? 10_000);
const HOT = Number(process.env.BENCH_API_HOT ?? 200);
const SUBJECTS = Number(process.env.BENCH_API_SUBJECTS ?? 2_000);
const TOKEN = 'bench-api-token-0123456789abcdef';
const QUERY = 'query($id: ID!) { agent(id: $id) { blastRadius { targets { id } } } }';

benchEnv('bench-api', 7698, { pageCacheMb: 2048 });

/**
 * Drives the API at RATE requests/s for SECONDS, cycling through `subjects`; prints the figures. A
 * warm-up of WARMUP seconds at the same rate goes first and is printed on its own line: it holds the
 * new server's one-time costs (JIT, Neo4j planning each query text once, the first computation of
 * each cached answer), which the measured run then does not.
 */
async function drive(graph: Graph, title: string, subjects: readonly string[]): Promise<void> {
  const api = await startApi(graph, loadConfig({ ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: TOKEN }));
  try {
    await driveOnce(graph, api.url, `${title} (warm-up)`, subjects, WARMUP);
    await driveOnce(graph, api.url, title, subjects, SECONDS);
  } finally {
    await api.stop();
  }
}

async function driveOnce(graph: Graph, url: string, title: string, subjects: readonly string[], seconds: number): Promise<void> {
  const cache = blastCache(graph);
  const before = { ...cache.stats };
  const spec: LoadSpec = { url: new URL('graphql', url).href, token: TOKEN, query: QUERY, subjects: [...subjects], rate: RATE, seconds };
  const load = fork(new URL('./api-load.js', import.meta.url));
  load.send(spec);
  const [result] = (await once(load, 'message')) as [autocannon.Result];
  const l = result.latency;
  console.log(
    `${title.padEnd(44)} ${result.requests.total} requests at ${RATE}/s over ${result.duration.toFixed(0)} s: p50 ${l.p50} ms  p99 ${l.p99} ms  max ${l.max} ms; ` +
      `errors ${result.errors} (timeouts ${result.timeouts}), non-2xx ${result.non2xx}, GraphQL errors ${result.mismatches}; ` +
      `cache hits ${cache.stats.hits - before.hits}, misses ${cache.stats.misses - before.misses}`,
  );
}

const bench = await openFreshGraph();
const { graph } = bench;
try {
  const parts = await loadDemoEstate(graph);
  const failed = parts.filter((p) => !p.ok);
  if (failed.length) console.log(`demo estate: parts failed to load: ${failed.map((p) => `${p.part} (${p.error})`).join('; ')}`);
  const demo = (await graph.readText('MATCH (a:AIAgent) RETURN a.id AS id ORDER BY id', {}, 'bench-agents')).map((r) => String(r.id));
  console.log(`bench:api — Neo4j ${await graph.serverVersion()}, ${new Date().toISOString()}; demo estate agents: ${demo.join(', ')}`);
  await drive(graph, `demo estate, ${demo.length} agents`, demo);

  const t0 = performance.now();
  let agents: string[];
  // Generated and loaded by `reachgraph demo generate --load` in a process of its own: a million
  // relationships as objects on this process's heap would be collected while the API here is measured.
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'reachgraph-bench-api-'));
  try {
    execFileSync(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'cli', 'bin.js'), 'demo', 'generate', '--agents', String(AGENTS), '--seed', '42', '--out', out, '--load'], { stdio: ['ignore', 'ignore', 'inherit'] });
    agents = (JSON.parse(fs.readFileSync(path.join(out, 'answers.json'), 'utf8')) as { answers: { agent: string }[] }).answers.map((a) => a.agent);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
  const counts = await graph.readText('MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels', {}, 'bench-count');
  console.log(`generated estate: ${AGENTS.toLocaleString('en')} agents; graph now ${Number(counts[0]!.nodes).toLocaleString('en')} nodes, ${Number(counts[0]!.rels).toLocaleString('en')} relationships (generated and loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  const spread = (n: number) => {
    const step = Math.max(1, Math.floor(agents.length / n));
    return agents.filter((_, i) => i % step === 0).slice(0, n);
  };
  if (HOT > BLAST_CACHE_ENTRIES) console.log(`BENCH_API_HOT=${HOT} is more than the cache holds (${BLAST_CACHE_ENTRIES}): that run misses too`);
  await drive(graph, `generated estate, working set of ${HOT} agents`, spread(HOT));
  const cold = spread(SUBJECTS);
  await drive(graph, `generated estate, ${cold.length} distinct agents (misses)`, cold);
} finally {
  await bench.close();
}
