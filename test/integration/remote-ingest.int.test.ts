// Remote ingest (issue 14 item 5): POST /ingest against the real API (in-process and as a `reachgraph
// serve` process) over the real test Neo4j, and the sensor's sender with its on-disk spool.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { Graph } from '../../src/graph/driver.js';
import { applySchema } from '../../src/graph/schema.js';
import { node, rel, type Batch } from '../../src/graph/records.js';
import { createApiKey } from '../../src/api/keys.js';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { ingestRoute } from '../../src/api/ingest-route.js';
import { RemoteSink, Spool } from '../../src/sensor/remote.js';
import { projectRoot } from '../../src/paths.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';
import { freePort } from '../helpers/net.js';

const TOKEN = 'test-token-remote-ingest-0123456789';

let graph: Graph;
let api: RunningServer;
let ingestKey: string;
let viewerKey: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-remote-ingest-'));

/** One observation window as the sensor builds it: cumulative counts per endpoint, a Coverage window, its structure. */
function windowBatch(host: string, syncId: string, i: number, totals: Map<string, number>): Batch {
  const w = `${host}/agent/bot`;
  const nodes = [node('Workload', w, { kind: 'agent', name: 'bot' })];
  const rels = [rel('ON_HOST', { label: 'Workload', id: w }, { label: 'Host', id: host })];
  for (let k = 0; k <= i % 3; k++) {
    const ep = `10.0.${k}.1:443`;
    const total = (totals.get(ep) ?? 0) + i + k + 1;
    totals.set(ep, total);
    rels.push(rel('DID_CONNECT', { label: 'Workload', id: w }, { label: 'NetEndpoint', id: ep }, { key: 'bot|443/TCP', count: total, props: { port: 443, protocol: 'TCP' } }));
  }
  const cov = `${host}/${syncId}/w${i}`;
  const from = new Date(Date.UTC(2026, 10, 29, 12, 0, i * 5)).toISOString();
  const to = new Date(Date.UTC(2026, 10, 29, 12, 0, i * 5 + 5)).toISOString();
  nodes.push(node('Coverage', cov, { host, probes: ['net'], from, to, lost: false, ringLost: 0, mapFull: 0, queueOverflow: 0, workloads: [w], syncRef: syncId }));
  rels.push(rel('ON_HOST', { label: 'Coverage', id: cov }, { label: 'Host', id: host }), rel('COVERS', { label: 'Coverage', id: cov }, { label: 'Workload', id: w }));
  return { nodes, rels };
}

function body(host: string, syncId: string, b: Batch, extra: string[] = []): string {
  return [JSON.stringify({ kind: 'sync', source: 'sensor', scope: host, syncId, mode: 'append' }), ...[...b.nodes, ...b.rels].map((r) => JSON.stringify(r)), ...extra].join('\n') + '\n';
}

async function post(url: string, text: string, headers: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(new URL('ingest', url), { method: 'POST', headers: { 'content-type': 'application/x-ndjson', ...headers }, body: text });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const auth = (key: string, batchId: string) => ({ authorization: `Bearer ${key}`, 'x-reachgraph-batch-id': batchId });
const codeOf = (j: Record<string, unknown>) => (j.errors as { extensions: { code: string } }[] | undefined)?.[0]?.extensions.code;
const messageOf = (j: Record<string, unknown>) => (j.errors as { message: string }[] | undefined)?.[0]?.message;

/** What the graph holds for one host: the sum of DID_CONNECT counts, windows, lost windows, batch markers. */
async function state(host: string) {
  const [c] = await graph.readText(
    `OPTIONAL MATCH (:Workload {id: $w})-[r:DID_CONNECT]->() WITH sum(r.count) AS connects, count(r) AS edges
     OPTIONAL MATCH (c:Coverage {host: $host}) WITH connects, edges, count(c) AS windows, count(CASE WHEN c.lost THEN 1 END) AS lostWindows, sum(coalesce(c.spoolEvicted, 0)) AS spoolEvicted
     OPTIONAL MATCH (b:IngestBatch {scope: $host})
     RETURN connects, edges, windows, lostWindows, spoolEvicted, count(b) AS batches`,
    { host, w: `${host}/agent/bot` },
    'test',
  );
  return { connects: Number(c!.connects), edges: Number(c!.edges), windows: Number(c!.windows), lostWindows: Number(c!.lostWindows), spoolEvicted: Number(c!.spoolEvicted), batches: Number(c!.batches) };
}

beforeAll(async () => {
  graph = await testGraph();
  await applySchema(graph);
  api = await startApi(graph, { ...loadConfig(), api: { ...loadConfig().api, port: 0, token: TOKEN } });
  ingestKey = (await createApiKey(graph, { name: 'remote-ingest test sensor', role: 'ingest' })).key;
  viewerKey = (await createApiKey(graph, { name: 'remote-ingest test viewer', role: 'viewer' })).key;
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await graph?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('POST /ingest', () => {
  test('given a batch sent twice, then it is applied once and the second answer says duplicate', async () => {
    const host = uniqueScope('ri-dup');
    const syncId = `sensor:${host}:1`;
    const totals = new Map<string, number>();
    const text = body(host, syncId, windowBatch(host, syncId, 2, totals));
    const first = await post(api.url, text, auth(ingestKey, `${syncId}#1`));
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ applied: true, duplicate: false, batchId: `${syncId}#1` });
    const after1 = await state(host);
    expect(after1).toMatchObject({ connects: [...totals.values()].reduce((a, b) => a + b, 0), edges: 3, windows: 1, batches: 1 });

    const second = await post(api.url, text, auth(ingestKey, `${syncId}#1`));
    expect(second.status).toBe(200);
    expect(second.json).toEqual({ applied: false, duplicate: true, batchId: `${syncId}#1` });
    expect(await state(host)).toEqual(after1);
    // The skipped duplicate recorded nothing: the sync is still the one that applied the batch.
    const sync = await graph.readText('MATCH (s:Sync {id: $id}) RETURN s.status AS status, s.nodes AS nodes, s.rels AS rels', { id: syncId }, 'test');
    expect(sync).toEqual([{ status: 'succeeded', nodes: 3, rels: 6 }]);
  });

  test('given one new batch sent five times at once, then exactly one request applies it', async () => {
    const host = uniqueScope('ri-race');
    const syncId = `sensor:${host}:1`;
    const totals = new Map<string, number>();
    const text = body(host, syncId, windowBatch(host, syncId, 2, totals));
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(api.url, text, auth(ingestKey, `${syncId}#1`))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.json.applied === true)).toHaveLength(1);
    expect(answers.filter((a) => a.json.duplicate === true)).toHaveLength(4);
    expect(await state(host)).toMatchObject({ connects: [...totals.values()].reduce((a, b) => a + b, 0), windows: 1, batches: 1 });
  });

  test('given the same batch sent at once to two API servers over one graph, then the claim in the data transaction applies it once', async () => {
    const host = uniqueScope('ri-two');
    const syncId = `sensor:${host}:1`;
    const totals = new Map<string, number>();
    const text = body(host, syncId, windowBatch(host, syncId, 2, totals));
    const other = await startApi(graph, { ...loadConfig(), api: { ...loadConfig().api, port: 0, token: TOKEN } });
    try {
      const send = async (url: string) => {
        // Two processes' syncs of one sync id share its lease; a request that loses it is answered 503 and retried, as a sender does.
        for (let i = 0; ; i++) {
          const r = await post(url, text, auth(ingestKey, `${syncId}#1`));
          if (r.status !== 503 || i === 10) return r;
          await new Promise((res) => setTimeout(res, 100));
        }
      };
      const answers = await Promise.all([api.url, other.url, api.url, other.url].map(send));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect(answers.filter((a) => a.json.applied === true)).toHaveLength(1);
      expect(await state(host)).toMatchObject({ connects: [...totals.values()].reduce((a, b) => a + b, 0), windows: 1, batches: 1 });
    } finally {
      await other.stop();
    }
  });

  test('given a batch whose last line is bad, then 400 names the line and field and nothing is applied', async () => {
    const host = uniqueScope('ri-bad');
    const syncId = `sensor:${host}:1`;
    const b = windowBatch(host, syncId, 0, new Map());
    const bad = JSON.stringify({ kind: 'rel', type: 'DID_CONNECT', from: { label: 'Workload', id: `${host}/agent/bot` }, to: { label: 'NoSuchLabel', id: 'x' } });
    const text = body(host, syncId, b, [bad]);
    const badLine = text.trimEnd().split('\n').length;
    const r = await post(api.url, text, auth(ingestKey, `${syncId}#1`));
    expect(r.status).toBe(400);
    expect(codeOf(r.json)).toBe('BAD_INPUT');
    expect(messageOf(r.json)).toContain(`body:${badLine}: field \`to.label\`: unknown label "NoSuchLabel"`);
    expect(await state(host)).toEqual({ connects: 0, edges: 0, windows: 0, lostWindows: 0, spoolEvicted: 0, batches: 0 });
    // The id was not spent: the corrected batch is applied under it.
    const ok = await post(api.url, body(host, syncId, b), auth(ingestKey, `${syncId}#1`));
    expect(ok.json).toMatchObject({ applied: true });
  });

  test.each([
    ['a replace-mode header', (h: string, s: string) => JSON.stringify({ kind: 'sync', source: 'sensor', scope: h, syncId: s, mode: 'replace' }), 'body:1: field `mode`: remote ingest is append-only'],
    ['a header without syncId', (h: string) => JSON.stringify({ kind: 'sync', source: 'sensor', scope: h }), 'body:1: field `syncId`: required'],
    ['another source', (h: string, s: string) => JSON.stringify({ kind: 'sync', source: 'aws', scope: h, syncId: s }), 'body:1: field `source`: an ingest key sends source "sensor"'],
  ])('given %s from an ingest key, then 400 names the field', async (_what, header, message) => {
    const host = uniqueScope('ri-hdr');
    const syncId = `sensor:${host}:1`;
    const r = await post(api.url, header(host, syncId) + '\n' + JSON.stringify(node('Workload', `${host}/agent/bot`)) + '\n', auth(ingestKey, `${syncId}#1`));
    expect(r.status).toBe(400);
    expect(messageOf(r.json)).toContain(message);
    expect((await state(host)).batches).toBe(0);
  });

  test('given an ingest key writing declared data or bookkeeping, then 400 and nothing applied; an admin may send declared data but no bookkeeping', async () => {
    const host = uniqueScope('ri-label');
    const syncId = `sensor:${host}:1`;
    const role = JSON.stringify(node('AWSRole', `arn:aws:iam::111122223333:role/${host}`, { name: 'tampered' }));
    const r = await post(api.url, body(host, syncId, { nodes: [], rels: [] }, [role]), auth(ingestKey, `${syncId}#1`));
    expect(r.status).toBe(400);
    expect(messageOf(r.json)).toMatch(/^body:2: field `label`: an ingest key sends runtime observations only/);
    const marker = JSON.stringify(node('IngestBatch', `${syncId}#9`));
    const m = await post(api.url, body(host, syncId, { nodes: [], rels: [] }, [marker]), auth(TOKEN, `${syncId}#2`));
    expect(m.status).toBe(400);
    expect(messageOf(m.json)).toMatch(/field `label`: "IngestBatch" is written by reachgraph itself/);
    const admin = await post(api.url, body(host, syncId, { nodes: [], rels: [] }, [role]), auth(TOKEN, `${syncId}#3`));
    expect(admin.json).toMatchObject({ applied: true });
    const rows = await graph.readText('MATCH (n:AWSRole {id: $id}) RETURN n.source AS source', { id: `arn:aws:iam::111122223333:role/${host}` }, 'test');
    expect(rows).toEqual([{ source: 'sensor' }]);
  });

  test('given no credentials, a viewer key, or no batch id, then the request is refused with a code and nothing applied', async () => {
    const host = uniqueScope('ri-auth');
    const syncId = `sensor:${host}:1`;
    const text = body(host, syncId, windowBatch(host, syncId, 0, new Map()));
    const anon = await post(api.url, text, { 'x-reachgraph-batch-id': `${syncId}#1` });
    expect([anon.status, codeOf(anon.json)]).toEqual([401, 'UNAUTHENTICATED']);
    const viewer = await post(api.url, text, auth(viewerKey, `${syncId}#1`));
    expect([viewer.status, codeOf(viewer.json)]).toEqual([403, 'FORBIDDEN']);
    const noId = await post(api.url, text, { authorization: `Bearer ${ingestKey}` });
    expect([noId.status, codeOf(noId.json)]).toEqual([400, 'BAD_BATCH_ID']);
    const badId = await post(api.url, text, auth(ingestKey, 'x y'));
    expect([badId.status, codeOf(badId.json)]).toEqual([400, 'BAD_BATCH_ID']);
    const json = await post(api.url, text, { ...auth(ingestKey, `${syncId}#1`), 'content-type': 'text/plain' });
    expect([json.status, codeOf(json.json)]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    expect((await state(host)).batches).toBe(0);
  });

  test('given a body over the size limit, then 413 with a code and nothing applied', async () => {
    const host = uniqueScope('ri-big');
    const syncId = `sensor:${host}:1`;
    const big = JSON.stringify(node('Workload', `${host}/agent/big`, { blob: 'x'.repeat(1_000_000) }));
    const text = body(host, syncId, { nodes: [], rels: [] }, Array.from({ length: 9 }, () => big));
    const r = await post(api.url, text, auth(ingestKey, `${syncId}#1`));
    expect([r.status, codeOf(r.json)]).toEqual([413, 'INGEST_TOO_LARGE']);
    expect((await state(host)).batches).toBe(0);
  });
});

/** `reachgraph serve` as its own process on `port`, resolved once it answers /healthz. */
async function serveProcess(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js'), 'serve'], {
    env: { ...process.env, REACHGRAPH_API_PORT: String(port), REACHGRAPH_API_TOKEN: TOKEN, REACHGRAPH_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${err}`);
    const up = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{health{neo4j}}"}' }).then((r) => r.ok, () => false);
    if (up) return child;
    if (Date.now() > deadline) throw new Error(`serve did not answer: ${err}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}

describe('sensor sender with the spool', () => {
  test('given the API process killed mid-stream and restarted, then the spool replays and the graph holds every observation once', async () => {
    const host = uniqueScope('ri-kill');
    const syncId = `sensor:${host}:run`;
    const port = await freePort();
    let child = await serveProcess(port);
    const spool = new Spool({ dir: path.join(tmp, host) });
    const sink = new RemoteSink({ url: `http://127.0.0.1:${port}/`, apiKey: ingestKey, host, syncId, spool, backoffMs: 50, maxBackoffMs: 400 });
    const totals = new Map<string, number>();
    const windows = 24;
    let sawSpooled = 0;
    try {
      for (let i = 0; i < windows; i++) {
        await sink.write(windowBatch(host, syncId, i, totals));
        if (i === 8) await kill(child);
        if (i > 8 && i < 16) sawSpooled = Math.max(sawSpooled, spool.count);
        if (i === 16) child = await serveProcess(port);
        await new Promise((r) => setTimeout(r, 30));
      }
      const summary = await sink.close(60_000);
      expect(sawSpooled).toBeGreaterThan(1);
      expect(summary.pending.batches).toBe(0);
      expect(summary.evicted.batches).toBe(0);
      expect(summary.rejected).toBe(0);
      expect(summary.retries).toBeGreaterThan(0);
      expect(summary.sent + summary.duplicates).toBe(windows);
      const sent = [...totals.values()].reduce((a, b) => a + b, 0);
      expect(await state(host)).toEqual({ connects: sent, edges: 3, windows, lostWindows: 0, spoolEvicted: 0, batches: windows });
      expect(fs.readdirSync(spool.dir)).toEqual([]);
    } finally {
      await kill(child);
    }
  }, 180_000);

  test('given the API down past the spool bound, then the oldest batches are evicted, counted and marked as a lost window once it is back', async () => {
    const host = uniqueScope('ri-evict');
    const syncId = `sensor:${host}:run`;
    const port = await freePort();
    const dir = path.join(tmp, host);
    const probeSize = Buffer.byteLength(body(host, syncId, windowBatch(host, syncId, 5, new Map()))) + 400;
    const spool = new Spool({ dir, maxBytes: probeSize * 4 });
    const sink = new RemoteSink({ url: `http://127.0.0.1:${port}/`, apiKey: ingestKey, host, syncId, spool, backoffMs: 50, maxBackoffMs: 200 });
    const totals = new Map<string, number>();
    for (let i = 0; i < 10; i++) await sink.write(windowBatch(host, syncId, i, totals));
    const evicted = spool.evicted.batches;
    expect(evicted).toBeGreaterThan(0);
    expect(evicted + spool.count).toBe(10);
    // Oldest first: what is left is the newest batches, in order.
    expect(spool.ids()).toEqual(Array.from({ length: spool.count }, (_, k) => `${syncId}#${10 - spool.count + k + 1}`));
    for (const f of fs.readdirSync(dir)) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);

    const back = await startApi(graph, { ...loadConfig(), api: { ...loadConfig().api, port, token: TOKEN } });
    try {
      // The next window carries the lost mark for what was evicted.
      await sink.write(windowBatch(host, syncId, 10, totals));
      const summary = await sink.close(30_000);
      expect(summary.evicted.batches).toBeGreaterThanOrEqual(evicted);
      expect(summary.pending.batches).toBe(0);
      const s = await state(host);
      expect(s.lostWindows).toBeGreaterThanOrEqual(1);
      // Every evicted batch is accounted for by a lost window in the graph.
      expect(s.spoolEvicted).toBe(summary.evicted.batches);
      expect(s.windows).toBe(11 - summary.evicted.batches + s.lostWindows);
      // Counts are cumulative within the sync: the edges the newest window touched (10 % 3 = 1: two endpoints) hold their full totals despite the evictions.
      const edges = await graph.readText('MATCH (:Workload {id: $w})-[r:DID_CONNECT]->(e) RETURN e.id AS ep, r.count AS count ORDER BY ep', { w: `${host}/agent/bot` }, 'test');
      expect(edges.filter((e) => e.ep !== '10.0.2.1:443')).toEqual([
        { ep: '10.0.0.1:443', count: totals.get('10.0.0.1:443') },
        { ep: '10.0.1.1:443', count: totals.get('10.0.1.1:443') },
      ]);
      const [lost] = await graph.readText('MATCH (c:Coverage {host: $host, lost: true})-[:COVERS]->(w:Workload) RETURN c.from AS from, c.to AS to, collect(w.id) AS workloads ORDER BY from', { host }, 'test');
      expect(lost).toMatchObject({ from: new Date(Date.UTC(2026, 10, 29, 12, 0, 0)).toISOString(), workloads: [`${host}/agent/bot`] });
    } finally {
      await back.stop();
    }
  }, 120_000);

  test('given a key the API refuses, then the sender stops with a coded error and keeps the batches', async () => {
    const host = uniqueScope('ri-key');
    const syncId = `sensor:${host}:run`;
    const spool = new Spool({ dir: path.join(tmp, host) });
    const sink = new RemoteSink({ url: api.url, apiKey: viewerKey, host, syncId, spool, backoffMs: 50 });
    await sink.write(windowBatch(host, syncId, 0, new Map()));
    await expect(sink.close(10_000)).rejects.toMatchObject({ code: 'REMOTE_INGEST_REFUSED' });
    expect(spool.count).toBe(1);
    expect((await state(host)).batches).toBe(0);
  });
});

describe('batch marker retention', () => {
  test('given a marker older than the retention, then the next applied batch removes it and keeps the fresh ones', async () => {
    const host = uniqueScope('ri-ret');
    const syncId = `sensor:${host}:1`;
    const totals = new Map<string, number>();
    const first = await post(api.url, body(host, syncId, windowBatch(host, syncId, 0, totals)), auth(ingestKey, `${syncId}#1`));
    expect(first.json).toMatchObject({ applied: true });
    await graph.inWriteTx('test', (tx) => tx.run('MATCH (b:IngestBatch {id: $id}) SET b.firstSeen = datetime() - duration({days: 31})', { id: `${syncId}#1` }));
    // A fresh route prunes on its first applied batch.
    const route = ingestRoute(graph);
    const server = http.createServer((req, res) => void route.handle(req, res, { principal: { name: 'test', roles: ['ingest'] }, cors: {}, requestId: 'retention-test' }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
      const second = await post(url, body(host, syncId, windowBatch(host, syncId, 1, totals)), auth(ingestKey, `${syncId}#2`));
      expect(second.json).toMatchObject({ applied: true });
      const ids = await graph.readText('MATCH (b:IngestBatch {scope: $host}) RETURN b.id AS id', { host }, 'test');
      expect(ids).toEqual([{ id: `${syncId}#2` }]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
