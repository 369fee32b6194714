// npm run bench:risk: the risk engine on a generated estate (`reachgraph demo generate`): by default
// 10,000 agents and over 1,000,000 relationships, loaded through the ingest core into a fresh local
// Neo4j. Prints the graph's node and relationship counts, p50/p95/p99 of blast radius and of gaps per
// agent and of a k=5 path query, and the time of the findings report. Own state folder and port
// (7696, .reachgraph/bench-risk). BENCH_AGENTS and BENCH_SAMPLE (agents timed per query kind) resize it.
import { generateEstate, loadEstate } from '../src/demo/generate.js';
import { attackPaths, blastRadius, findings, gaps } from '../src/risk/run.js';
import { refreshFindings } from '../src/risk/store.js';
import type { Subject } from '../src/risk/subject.js';
import { benchEnv, openFreshGraph } from './fresh-graph.js';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 10_000);
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 500);

benchEnv('bench-risk', 7696, { pageCacheMb: 2048 });

const bench = await openFreshGraph();
const { graph } = bench;
const t0 = performance.now();
const estate = generateEstate({ agents: AGENTS, seed: 42 });
await loadEstate(graph, estate, { batchSize: 10_000 });
const loadSecs = (performance.now() - t0) / 1000;
const counts = await graph.readText('MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels', {}, 'bench-count');
console.log(`bench:risk — Neo4j ${await graph.serverVersion()}: ${AGENTS.toLocaleString('en')} agents, ${Number(counts[0]!.nodes).toLocaleString('en')} nodes, ${Number(counts[0]!.rels).toLocaleString('en')} relationships (generated and loaded in ${loadSecs.toFixed(0)} s)`);

const step = Math.max(1, Math.floor(AGENTS / SAMPLE));
const sample: Subject[] = estate.answers.filter((_, i) => i % step === 0).slice(0, SAMPLE).map((a) => ({ label: 'AIAgent', id: a.agent, name: a.agent }));
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
async function timed(label: string, run: (s: Subject) => Promise<unknown>): Promise<void> {
  for (const s of sample.slice(0, 20)) await run(s); // warm the page cache and the plan cache
  const ms: number[] = [];
  for (const s of sample) {
    const t = performance.now();
    await run(s);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(34)} n=${ms.length}  p50 ${pct(ms, 50).toFixed(1)} ms  p95 ${pct(ms, 95).toFixed(1)} ms  p99 ${pct(ms, 99).toFixed(1)} ms`);
}

await timed('blast radius per agent (both, 6)', (s) => blastRadius(graph, s, { mode: 'both', depth: 6, domains: ['identity', 'network', 'tools'] }));
await timed('gaps per agent', (s) => gaps(graph, s));
await timed('k=5 paths, agent -> IAM admin', (s) => attackPaths(graph, { from: s.id, to: estate.admin, k: 5, maxHops: 8 }));

const tf = performance.now();
const report = await findings(graph);
console.log(`findings report (every agent, ${report.catalog.length} catalog queries): ${report.subjects.toLocaleString('en')} agents, ${report.findings.length.toLocaleString('en')} findings in ${((performance.now() - tf) / 1000).toFixed(1)} s`);
const ts = performance.now();
const stored = await refreshFindings(graph);
console.log(`findings refresh (report + store + resolve + risk scores): ${stored.found.toLocaleString('en')} findings, ${stored.created.toLocaleString('en')} new, complete ${stored.complete}, in ${((performance.now() - ts) / 1000).toFixed(1)} s`);
await bench.close();
