// Operations routes (issue 14) on the real API server and the real test Neo4j: /healthz, /readyz,
// /metrics (who may scrape, what it counts, sensor losses read from Coverage at scrape), and the
// structured request log of `reachgraph serve` carrying each request's id.
import crypto from 'node:crypto';
import neo4j from 'neo4j-driver';
import { createApiKey } from '../../src/api/keys.js';
import { checkReadiness } from '../../src/api/ops.js';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/config.js';
import { Graph } from '../../src/graph/driver.js';
import { GRAPH_MODEL_VERSION } from '../../src/graph/model/index.js';
import { get, gql } from '../helpers/api-client.js';
import { testGraph } from '../helpers/graph.js';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process.js';

let graph: Graph;
let api: RunningServer;
let viewer: string;
let ingest: string;
const host = `ops-test-${crypto.randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  graph = await testGraph();
  api = await startApi(graph, loadConfig({ ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: 'test-token-ops-0123456789' }));
  viewer = (await createApiKey(graph, { name: 'ops-test-scraper', role: 'viewer' })).key;
  ingest = (await createApiKey(graph, { name: 'ops-test-sensor', role: 'ingest' })).key;
  // Two observation windows of one host, one of which lost events: what the sensor would have written.
  await graph.inWriteTx('test', (tx) =>
    tx.run(
      `MERGE (h:Host {id: $host})
       CREATE (a:Coverage {id: $host + '/a', ringLost: 7, mapFull: 2, queueOverflow: 1, lost: true})-[:ON_HOST]->(h)
       CREATE (b:Coverage {id: $host + '/b', ringLost: 0, mapFull: 0, queueOverflow: 0, lost: false})-[:ON_HOST]->(h)`,
      { host },
    ),
  );
});
afterAll(async () => {
  await graph.inWriteTx('test', (tx) => tx.run('MATCH (c:Coverage)-[:ON_HOST]->(h:Host {id: $host}) DETACH DELETE c, h', { host }));
  await api.stop();
  await graph.close();
});

/** The value of one sample line `name{labels} value` in Prometheus text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const m = /^[^{]+\{(.*)\} (\S+)$/.exec(line);
    if (!m) continue;
    const got = Object.fromEntries([...m[1]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[2]);
  }
  return undefined;
}

describe('/healthz and /readyz', () => {
  test('given no credentials, then /healthz says the process is up, with a request id', async () => {
    const r = await get(api.url, 'healthz');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ status: 'ok', version: '0.1.0' });
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('given the test Neo4j with the schema applied, then /readyz is ready without credentials', async () => {
    const r = await get(api.url, 'readyz');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ status: 'ready', schemaVersion: GRAPH_MODEL_VERSION, neo4j: expect.stringMatching(/^Neo4j\//) });
  });

  test('given a Neo4j that does not answer, then readiness is refused with a reason that does not name its address', async () => {
    const driver = neo4j.driver('bolt://127.0.0.1:1', neo4j.auth.basic('neo4j', 'x'), { connectionTimeout: 1000 });
    try {
      const r = await checkReadiness(new Graph(driver, undefined));
      expect(r).toEqual({ ready: false, reason: 'Neo4j is unreachable or failed' });
    } finally {
      await driver.close();
    }
  });

  test('given a graph whose model version is not this build\'s, then readiness says which and what to run', async () => {
    const set = (v: number) => graph.inWriteTx('test', (tx) => tx.run("MATCH (v:SchemaVersion {id: 'reachgraph'}) SET v.version = $v", { v: neo4j.int(v) }));
    await set(GRAPH_MODEL_VERSION + 1);
    try {
      expect(await checkReadiness(graph)).toEqual({ ready: false, reason: expect.stringMatching(new RegExp(`version ${GRAPH_MODEL_VERSION + 1} is newer than this build's ${GRAPH_MODEL_VERSION}`)) });
      await set(GRAPH_MODEL_VERSION - 1);
      expect(await checkReadiness(graph)).toEqual({ ready: false, reason: expect.stringMatching(/reachgraph schema apply/) });
    } finally {
      await set(GRAPH_MODEL_VERSION);
    }
  });
});

describe('/metrics', () => {
  test('given no key, an ingest-only key or a viewer key, then it is unauthenticated, forbidden, or served', async () => {
    expect((await get(api.url, 'metrics')).status).toBe(401);
    const forbidden = await get(api.url, 'metrics', ingest);
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.text).errors[0].extensions.code).toBe('FORBIDDEN');
    const r = await get(api.url, 'metrics', viewer);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  test('given named GraphQL operations and errors, then counts and latencies by operation, route and error code are exported', async () => {
    const before = await get(api.url, 'metrics', viewer);
    const ok0 = sample(before.text, 'reachgraph_graphql_operations_total', { operation: 'OpsEstate', result: 'ok' }) ?? 0;
    const unauth0 = sample(before.text, 'reachgraph_api_errors_total', { code: 'UNAUTHENTICATED' }) ?? 0;
    for (let i = 0; i < 3; i++) expect((await gql(api.url, 'query OpsEstate { estate { label } }', { credential: viewer })).body.errors).toBeUndefined();
    await gql(api.url, 'query OpsDenied { estate { label } }');
    const after = (await get(api.url, 'metrics', viewer)).text;
    expect(sample(after, 'reachgraph_graphql_operations_total', { operation: 'OpsEstate', result: 'ok' })).toBe(ok0 + 3);
    expect(sample(after, 'reachgraph_graphql_operations_total', { operation: 'OpsDenied', result: 'error' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'reachgraph_api_errors_total', { code: 'UNAUTHENTICATED' })).toBeGreaterThanOrEqual(unauth0 + 1);
    expect(sample(after, 'reachgraph_graphql_operation_duration_seconds_count', { operation: 'OpsEstate' })).toBeGreaterThanOrEqual(3);
    expect(sample(after, 'reachgraph_http_requests_total', { route: '/graphql', method: 'POST', status: '200' })).toBeGreaterThanOrEqual(4);
    expect(sample(after, 'reachgraph_http_request_duration_seconds_count', { route: '/metrics' })).toBeGreaterThanOrEqual(1);
    // Neo4j latency by query file: the key lookups and the estate counts went through the timed graph.
    expect(sample(after, 'reachgraph_neo4j_query_duration_seconds_count', { query: 'queries/api/keys-get', result: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(after).toMatch(/# TYPE reachgraph_ingest_batches_total counter/);
    expect(after).toMatch(/# TYPE reachgraph_ingest_rows_total counter/);
  });

  test('given an operation name that is not a GraphQL name, then it is counted as "other", never as its text', async () => {
    await gql(api.url, '{ health { version } }', { operationName: 'x y"z' });
    const text = (await get(api.url, 'metrics', viewer)).text;
    expect(text).not.toContain('x y');
  });

  test('given Coverage windows of a host in the graph, then lost events per kind and lossy windows are read at scrape', async () => {
    const text = (await get(api.url, 'metrics', viewer)).text;
    expect(sample(text, 'reachgraph_sensor_lost_events', { host, kind: 'ring' })).toBe(7);
    expect(sample(text, 'reachgraph_sensor_lost_events', { host, kind: 'map_full' })).toBe(2);
    expect(sample(text, 'reachgraph_sensor_lost_events', { host, kind: 'queue_overflow' })).toBe(1);
    expect(sample(text, 'reachgraph_sensor_windows', { host, lossy: 'true' })).toBe(1);
    expect(sample(text, 'reachgraph_sensor_windows', { host, lossy: 'false' })).toBe(1);
    expect(/^reachgraph_graph_up (\S+)$/m.exec(text)?.[1]).toBe('1');
  });

  test('given REACHGRAPH_METRICS_PUBLIC=1, then it is refused unless the API listens on loopback', () => {
    expect(() => loadConfig({ REACHGRAPH_METRICS_PUBLIC: '1', REACHGRAPH_API_HOST: '0.0.0.0' })).toThrow(/REACHGRAPH_METRICS_PUBLIC: only allowed while the API listens on loopback/);
    expect(loadConfig({ REACHGRAPH_METRICS_PUBLIC: '1' }).api.metricsPublic).toBe(true);
  });

  test('given a public-metrics server on loopback, then /metrics answers without a key', async () => {
    const open = await startApi(graph, loadConfig({ ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: 'test-token-ops-0123456789', REACHGRAPH_METRICS_PUBLIC: '1' }));
    try {
      expect((await get(open.url, 'metrics')).status).toBe(200);
    } finally {
      await open.stop();
    }
  });
});

describe('request logs of `reachgraph serve`', () => {
  let serve: ServeProcess | undefined;

  afterAll(async () => {
    await serve?.stop();
  });

  test('given requests to the real CLI server, then each JSON log line of a request carries that request\'s id', async () => {
    serve = await startServeProcess({ REACHGRAPH_API_TOKEN: 'test-token-ops-0123456789' });
    const { url } = serve;

    const mine = 'trace-0123456789abcdef';
    const a = await gql(url, '{ estate { label } }', { credential: 'test-token-ops-0123456789', headers: { 'x-request-id': mine } });
    expect(a.headers.get('x-request-id')).toBe(mine);
    const b = await gql(url, '{ estate { label } }', { credential: 'rgk_0123456789abcdef_' + 'C'.repeat(43) });
    const idB = b.headers.get('x-request-id')!;
    expect(idB).toMatch(/^[0-9a-f-]{36}$/);
    const replaced = await fetch(new URL('healthz', url), { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    await new Promise((r) => setTimeout(r, 300));
    const lines = serve.logLines();
    const requestLines = lines.filter((l) => l.msg === 'request');
    const lineA = requestLines.find((l) => l.requestId === mine);
    expect(lineA).toMatchObject({ method: 'POST', path: '/graphql', route: '/graphql', status: 200, principal: 'token' });
    expect(typeof lineA!.ms).toBe('number');
    expect(requestLines.find((l) => l.requestId === idB)).toMatchObject({ status: 200, route: '/graphql' });
    // Every request line has an id; no log line carries a credential.
    for (const l of requestLines) expect(typeof l.requestId).toBe('string');
    const logged = lines.map((l) => JSON.stringify(l)).join('\n');
    expect(logged).not.toContain('test-token-ops-0123456789');
    expect(logged).not.toContain('C'.repeat(43));
  });
});
