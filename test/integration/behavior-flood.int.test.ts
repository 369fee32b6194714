/**
 * Bounded volume of baselines and drift (issue 15, "under a flood of new edges"): a workload with a
 * locked baseline then connects to 100,000 distinct destinations. `reachgraph drift` runs in a child
 * node process whose heap is too small to hold the subject's edges as JavaScript objects (the control
 * below shows that reading them all in that heap fails), writes exactly the per-run cap of events
 * and a stored summary counting every other edge, and a second run duplicates nothing. Relearning a
 * baseline of 100,000 destinations in the same small heap works too. Real Neo4j, the built CLI.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { detect, learn, listDriftSummaries, lock } from '../../src/behavior/store.js';
import type { Graph } from '../../src/graph/driver.js';
import { projectRoot } from '../../src/paths.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';

let graph: Graph;
const P = uniqueScope('flood');
const W = `${P}-host/agent/flood`;
const T0 = Date.parse('2026-11-20T09:00:00Z');
const M = 60_000;
const FLOOD = 100_000;
const CAP = 400;
/**
 * Old-space limit of the child, in MB. Measured on this machine: `drift` on this subject peaks far
 * below it, while reading the subject's edges as rows (behavior/subject-edges, the former whole-subject
 * read) runs out of heap in it (the control test).
 */
const HEAP_MB = 48;
const HUGE = 36_500 * 24 * 60 * M;

/** The n-th flood destination: 198.18.0.0/15 (not loopback or private, so a new external destination). */
const dest = (i: number) => `198.${18 + Math.floor(i / 65_536)}.${Math.floor(i / 256) % 256}.${i % 256}:443`;

const cli = (args: string[], heapMb = HEAP_MB) =>
  spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js'), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn' },
  });

const driftCount = async () => Number((await graph.readText('MATCH (d:DriftEvent {subject: $w}) RETURN count(d) AS n', { w: W }, 'test'))[0]!.n);

beforeAll(async () => {
  graph = await testGraph();
  // Given a workload whose baseline (three destinations, first ten minutes) is locked
  await graph.inWriteTx('test', (tx) =>
    tx.run(
      `MERGE (w:Workload {id: $w}) SET w.kind = 'agent', w.name = 'flood'
       WITH w UNWIND $base AS b
       MERGE (t:NetEndpoint {id: b})
       MERGE (w)-[r:DID_CONNECT {key: '/usr/bin/python3'}]->(t)
       SET r.count = 2, r.executable = '/usr/bin/python3', r.firstSeen = datetime({epochMillis: toInteger($t)}), r.lastSeen = datetime({epochMillis: toInteger($t) + 60000})`,
      { w: W, base: ['10.0.0.1:5432', '10.0.0.2:6379', '93.184.216.34:443'], t: T0 + M },
    ),
  );
  await learn(graph, W, { from: T0, windowMs: 10 * M, now: T0 + 10 * M });
  await lock(graph, W, T0 + 10 * M);
  // then 100,000 new distinct destinations after the window, the n-th first seen n ms after 20 minutes
  for (let from = 0; from < FLOOD; from += 10_000) {
    await graph.inWriteTx('test', (tx) =>
      tx.run(
        `MATCH (w:Workload {id: $w})
         UNWIND range($from, $to - 1) AS i
         WITH w, i, '198.' + toString(18 + i / 65536) + '.' + toString((i / 256) % 256) + '.' + toString(i % 256) + ':443' AS ep
         MERGE (t:NetEndpoint {id: ep})
         CREATE (w)-[:DID_CONNECT {key: '/usr/bin/python3', executable: '/usr/bin/python3', count: 1, firstSeen: datetime({epochMillis: toInteger($t) + i}), lastSeen: datetime({epochMillis: toInteger($t) + i})}]->(t)`,
        { w: W, from, to: Math.min(FLOOD, from + 10_000), t: T0 + 20 * M },
      ),
    );
  }
}, 300_000);

afterAll(async () => {
  await graph.close();
});

describe('bounded volume under a flood of 100,000 new destinations', () => {
  test('drift in a small heap writes exactly the cap of events and a stored, exact summary of the rest; a second run duplicates nothing', async () => {
    // When drift runs in a child with a small heap
    const first = cli(['drift', '--agent', W, '--max-events', String(CAP), '--format', 'json']);
    // Then it succeeds, reports the cap of events and counts the rest
    expect([first.status, first.stderr]).toEqual([0, '']);
    const [r] = JSON.parse(first.stdout) as { subject: string; events: { target: string; created: boolean; severity: { level: string } }[]; suppressed: unknown }[];
    expect(r!.subject).toBe(W);
    expect(r!.suppressed).toEqual({ total: FLOOD - CAP, byKind: { connect: FLOOD - CAP } });
    // all score the same (new external destination): the earliest first seen are kept
    expect(r!.events.map((e) => e.target).sort()).toEqual(Array.from({ length: CAP }, (_, i) => dest(i)).sort());
    expect(r!.events.every((e) => e.created && e.severity.level === 'high')).toBe(true);
    expect(await driftCount()).toBe(CAP);
    const [summary] = await listDriftSummaries(graph, { subject: W });
    expect(summary).toMatchObject({ id: `drift-summary:${W}|v1`, subject: W, baselineVersion: 1, cap: CAP, outside: FLOOD, written: CAP, suppressed: FLOOD - CAP, suppressedConnect: FLOOD - CAP, suppressedExec: 0 });

    // When it runs again
    const second = cli(['drift', '--agent', W, '--max-events', String(CAP), '--format', 'json']);
    // Then the same events are updated, none created, and the summary is set, not added to
    expect([second.status, second.stderr]).toEqual([0, '']);
    const [again] = JSON.parse(second.stdout) as { events: { id: string; created: boolean }[]; suppressed: { total: number } }[];
    expect(again!.events.filter((e) => e.created)).toEqual([]);
    expect(again!.suppressed.total).toBe(FLOOD - CAP);
    expect(await driftCount()).toBe(CAP);
    const summaries = await listDriftSummaries(graph, { subject: W });
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ suppressed: FLOOD - CAP, outside: FLOOD, written: CAP });

    // And the table output says how many were suppressed
    const table = cli(['drift', '--agent', W, '--max-events', String(CAP)]);
    expect(table.status).toBe(0);
    expect(table.stdout).toContain(`${W}: ${FLOOD - CAP} more events suppressed ({"connect":${FLOOD - CAP}})`);
  }, 600_000);

  test('control: reading all the subject\'s edges as rows does not fit that heap', () => {
    // The whole-subject read drift did before (behavior/subject-edges), in a child with the same heap.
    const script = `
      const { openGraph } = await import(${JSON.stringify(path.join(projectRoot(), 'dist', 'src', 'graph', 'driver.js'))});
      const { loadConfig } = await import(${JSON.stringify(path.join(projectRoot(), 'dist', 'src', 'config.js'))});
      const g = await openGraph({ config: loadConfig() });
      const rows = await g.read('queries/behavior/subject-edges', { label: 'Workload', subject: ${JSON.stringify(W)} });
      process.stdout.write(String(rows.length));
      await g.close();`;
    const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn' } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/heap out of memory/i);
  }, 300_000);

  test('relearning a baseline of 100,000 destinations in the same heap stores them all; drift then has nothing to report', async () => {
    const out = cli(['baseline', 'relearn', W, '--window', `${HUGE / M}m`, '--format', 'json']);
    expect([out.status, out.stderr]).toEqual([0, '']);
    const shown = JSON.parse(out.stdout) as { version: number; state: string; entryCount: number; entries: unknown[] };
    expect([shown.version, shown.state, shown.entryCount, shown.entries.length]).toEqual([2, 'locked', FLOOD + 3, 1000]);
    const stored = await graph.readText('MATCH (:Baseline {id: $id})-[:HAS_ENTRY]->(e) RETURN count(e) AS n', { id: `baseline:${W}` }, 'test');
    expect(stored).toEqual([{ n: FLOOD + 3 }]);
    const [r] = await detect(graph, { subject: W, maxEvents: CAP });
    expect([r!.events.length, r!.suppressed.total]).toEqual([0, 0]);
    expect((await listDriftSummaries(graph, { subject: W })).map((s) => [s.baselineVersion, s.suppressed])).toEqual([
      [2, 0],
      [1, FLOOD - CAP],
    ]);

    // the API serves the stored summaries
    const { startApi } = await import('../../src/api/server.js');
    const { loadConfig } = await import('../../src/config.js');
    const token = 'flood-test-token-0123456789abcdef';
    const api = await startApi(graph, loadConfig({ ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: token }));
    try {
      const res = await fetch(new URL('graphql', api.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `{ driftSummaries(subject: ${JSON.stringify(W)}) { baselineVersion cap outside written suppressed byKind { kind count } } }` }),
      });
      expect(await res.json()).toEqual({
        data: {
          driftSummaries: [
            { baselineVersion: 2, cap: CAP, outside: 0, written: 0, suppressed: 0, byKind: [] },
            { baselineVersion: 1, cap: CAP, outside: FLOOD, written: CAP, suppressed: FLOOD - CAP, byKind: [{ kind: 'connect', count: FLOOD - CAP }] },
          ],
        },
      });
    } finally {
      await api.stop();
    }
  }, 600_000);
});
