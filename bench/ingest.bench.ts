// npm run bench:ingest: MERGEs 1,000,000 relationships into a fresh local Neo4j through the ingest
// core and prints relationships per second (first load, then an idempotent re-MERGE of the same set).
// Runs on its own state folder and port so it never touches the `npm start` graph.
import { runSync } from '../src/graph/ingest.js';
import type { NodeRecord, RelRecord } from '../src/graph/records.js';
import { benchEnv, openFreshGraph } from './fresh-graph.js';

const RELS = Number(process.env.BENCH_RELS ?? 1_000_000);
const NODES = Number(process.env.BENCH_NODES ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);
const LANES = Number(process.env.BENCH_LANES ?? 2);

benchEnv('bench', 7689, { pageCacheMb: 2048 });
const bench = await openFreshGraph();
const { graph } = bench;

// A deterministic pseudo-random pairing: every process connects to RELS/NODES endpoints.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pairs: [number, number][] = [];
for (let i = 0; i < RELS; i++) pairs.push([i % NODES, Math.floor(rand() * NODES)]);

async function load(label: string): Promise<number> {
  const t0 = performance.now();
  await runSync(graph, { source: 'bench', scope: 'bench', syncId: 'bench-1', mode: 'append', batchSize: BATCH, concurrency: LANES, progress: false }, async (sink) => {
    const nodes: NodeRecord[] = [];
    for (let i = 0; i < NODES; i++) nodes.push({ kind: 'node', label: 'Process', id: `p${i}` }, { kind: 'node', label: 'NetEndpoint', id: `10.0.${i >> 8 & 255}.${i & 255}:${443 + (i >> 16)}` });
    await sink.write({ nodes });
    const t1 = performance.now();
    for (let i = 0; i < pairs.length; i += 100_000) {
      const rels: RelRecord[] = pairs.slice(i, i + 100_000).map(([a, b], j) => ({
        kind: 'rel',
        type: 'MAY_CONNECT',
        from: { label: 'Process', id: `p${a}` },
        to: { label: 'NetEndpoint', id: `10.0.${b >> 8 & 255}.${b & 255}:${443 + (b >> 16)}` },
        key: `${(i + j) % 7}/TCP`,
        props: { port: 443, protocol: 'TCP' },
      }));
      await sink.write({ rels });
    }
    const secs = (performance.now() - t1) / 1000;
    console.log(`${label}: ${RELS.toLocaleString('en')} relationships in ${secs.toFixed(1)} s = ${Math.round(RELS / secs).toLocaleString('en')} relationships/s (batch ${BATCH}, ${LANES} lanes, ${NODES.toLocaleString('en')} + ${NODES.toLocaleString('en')} nodes)`);
  });
  return performance.now() - t0;
}

console.log(`bench:ingest — Neo4j ${await graph.serverVersion()}, ${RELS.toLocaleString('en')} relationships`);
await load('first MERGE (create)');
await load('second MERGE (idempotent update)');
const rows = await graph.readText('MATCH ()-[r:MAY_CONNECT]->() RETURN count(r) AS rels', {}, 'bench-count');
console.log(`relationships in the graph after both runs: ${Number(rows[0]!.rels).toLocaleString('en')}`);
await bench.close();
