// API limits and production error behaviour (issue 8, findings 8 and 9), against the real server
// (our node:http transport + Apollo) and the real test Neo4j.
import http from 'node:http';
import net from 'node:net';
import { getIntrospectionQuery } from 'graphql';
import neo4j from 'neo4j-driver';
import { loadConfig } from '../../src/config.js';
import { Graph, type Params, type Row } from '../../src/graph/driver.js';
import type { TemplateVars } from '../../src/graph/cypher.js';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { testGraph } from '../helpers/graph.js';

const TOKEN = 'test-token-limits-0123456789';

/** The real graph, counting the Neo4j round trips resolvers ask for. */
class CountingGraph extends Graph {
  reads = 0;
  override async read(name: string, params: Params = {}, vars?: TemplateVars): Promise<Row[]> {
    this.reads++;
    return super.read(name, params, vars);
  }
  override async readEach(name: string, params: Params, varsList: TemplateVars[]): Promise<Row[][]> {
    this.reads++;
    return super.readEach(name, params, varsList);
  }
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** One HTTP request with full control of the headers (fetch may not set Host). `chunks` sends a chunked body without a length. */
function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] } = {}): Promise<Reply> {
  const u = new URL('graphql', url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: opts.method ?? 'POST', headers: opts.headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json: Reply['json'] = {};
        try {
          json = JSON.parse(text) as Reply['json'];
        } catch {
          json = {};
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (opts.chunks) {
      for (const c of opts.chunks) req.write(c);
      req.end();
    } else req.end(opts.body);
  });
}

function gql(url: string, query: string, opts: { token?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return request(url, { body: JSON.stringify({ query }), headers: { 'content-type': 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers } });
}

const aliases = (n: number, field = 'health { neo4j }') => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

/** A response carries no stack, no source path and no Bolt address. */
function expectNoInternals(r: Reply): void {
  expect(r.text).not.toMatch(/stacktrace|\bat [\w.<>]+ \(|\.ts:\d+|\.js:\d+|node_modules|\/work\/|bolt:\/\/|127\.0\.0\.1:\d+/i);
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

let base: Graph;
let graph: CountingGraph;
let api: RunningServer;
let limited: RunningServer;
let cors: RunningServer;
let down: RunningServer;
let downGraph: Graph;

beforeAll(async () => {
  base = await testGraph();
  graph = new CountingGraph(base.driver, base.database);
  const env = { ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: TOKEN };
  api = await startApi(graph, loadConfig(env), { limits: { anonymousBurst: 10_000 } });
  limited = await startApi(graph, loadConfig(env), { limits: { anonymousBurst: 3, anonymousPerSecond: 0.001 } });
  cors = await startApi(graph, loadConfig({ ...env, REACHGRAPH_API_CORS_ORIGINS: 'https://ui.example:8443' }), { limits: { anonymousBurst: 10_000 } });
  // Neo4j down: a real driver aimed at a port where nothing listens.
  downGraph = new Graph(neo4j.driver(`bolt://127.0.0.1:${await freePort()}`, neo4j.auth.basic('neo4j', 'x'), { connectionTimeout: 2000, maxTransactionRetryTime: 0 }), undefined);
  down = await startApi(downGraph, loadConfig(env));
});
afterAll(async () => {
  for (const s of [api, limited, cors, down]) await s?.stop();
  await downGraph?.close();
  await base?.close();
});

describe('API cost model (finding 8)', () => {
  test('given aliases of health without a token, then they count: 15 run on one Neo4j query, 16 are refused as too complex with HTTP 400', async () => {
    const before = graph.reads;
    const ok = await gql(api.url, aliases(5));
    expect(ok.status).toBe(200);
    expect(ok.json.errors).toBeUndefined();
    expect(Object.keys(ok.json.data ?? {})).toHaveLength(5);
    expect(graph.reads - before).toBe(1);

    const over = await gql(api.url, aliases(16));
    expect(over.status).toBe(400);
    expect(over.json.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(over.json.errors?.[0]?.message).toMatch(/without a token/);
    expectNoInternals(over);
  });

  test('given aliases of estate with the token, then they share one Neo4j transaction', async () => {
    const before = graph.reads;
    const r = await gql(api.url, aliases(3, 'estate { label count }'), { token: TOKEN });
    expect(r.json.errors).toBeUndefined();
    expect(graph.reads - before).toBe(1);
  });

  test('given more aliases or fields than the caps, even with the token, then QUERY_TOO_COMPLEX with HTTP 400', async () => {
    const manyAliases = await gql(api.url, aliases(31, '__typename'), { token: TOKEN });
    expect(manyAliases.status).toBe(400);
    expect(manyAliases.json.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(manyAliases.json.errors?.[0]?.message).toMatch(/31 aliases > 30/);

    const manyFields = await gql(api.url, `{ health { ${'neo4j '.repeat(600)} } }`, { token: TOKEN });
    expect(manyFields.status).toBe(400);
    expect(manyFields.json.errors?.[0]?.message).toMatch(/fields > 500/);

    const deep = await gql(api.url, `{ __schema { queryType { ${'fields { type { ofType { '.repeat(8)}name${' } } }'.repeat(8)} } } }`, { token: TOKEN });
    expect(deep.status).toBe(400);
    // graphql's own introspection-depth rule or our depth cap, whichever sees it first: never run.
    expect(deep.json.errors?.[0]?.message).toMatch(/depth/i);
  });

  test("given a client's standard introspection query without a token, then it is answered: the schema costs no Neo4j query", async () => {
    const r = await gql(api.url, getIntrospectionQuery());
    expect(r.status).toBe(200);
    expect(r.json.errors).toBeUndefined();
    expect((r.json.data as { __schema: { queryType: { name: string } } }).__schema.queryType.name).toBe('Query');
  });

  test('given a document of 100,000 aliases, then it is refused before parsing (413) or at the token limit (400), never run', async () => {
    const huge = await gql(api.url, aliases(100_000), { token: TOKEN });
    expect(huge.status).toBe(413);
    expect(huge.json.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    const underBody = await gql(api.url, `{ ${Array.from({ length: 40_000 }, (_, i) => `a${i}:__typename`).join(' ')} }`, { token: TOKEN });
    expect(underBody.status).toBe(400);
    expect(underBody.json.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(underBody.json.errors?.[0]?.message).toMatch(/more than 2000 tokens/);
  });
});

describe('API transport limits (findings 8 and 9)', () => {
  test('given requests without a token from one address, then past the burst they get 429 RATE_LIMITED while the token still passes', async () => {
    for (let i = 0; i < 3; i++) expect((await gql(limited.url, '{ health { version } }')).status).toBe(200);
    const r = await gql(limited.url, '{ health { version } }');
    expect(r.status).toBe(429);
    expect(r.json.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    const wrong = await gql(limited.url, '{ health { version } }', { token: 'wrong-token-0123456789' });
    expect(wrong.status).toBe(429);
    const authed = await gql(limited.url, '{ health { version } }', { token: TOKEN });
    expect(authed.status).toBe(200);
  });

  test('given a body over 1 MB, with a length or chunked without one, then 413 PAYLOAD_TOO_LARGE as JSON', async () => {
    const big = JSON.stringify({ query: '{ health { version } }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } });
    const withLength = await request(api.url, { body: big, headers: { 'content-type': 'application/json' } });
    const chunked = await request(api.url, { chunks: Array.from({ length: 40 }, () => Buffer.alloc(64 * 1024, 0x20)), headers: { 'content-type': 'application/json' } });
    for (const r of [withLength, chunked]) {
      expect(r.status).toBe(413);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.json.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
      expectNoInternals(r);
    }
  });

  test('given 12 concurrent 8 MB bodies, then each gets 413 and the server keeps none of them in memory', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    const replies = await Promise.all(Array.from({ length: 12 }, () => request(api.url, { chunks: Array.from({ length: 32 }, () => chunk), headers: { 'content-type': 'application/json' } })));
    for (const r of replies) expect(r.json.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    // 96 MB went in; what stays is at most about one limit (1 MB) per request, not the bodies.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(48 * 1024 * 1024);
  });

  test('given malformed JSON or another media type, then a JSON error with a stable code (400 MALFORMED_JSON, 415 UNSUPPORTED_MEDIA_TYPE)', async () => {
    const bad = await request(api.url, { body: '{"query": "{ health { version } }"', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/json/);
    expect(bad.json.errors?.[0]?.extensions?.code).toBe('MALFORMED_JSON');
    const text = await request(api.url, { body: '{ health { version } }', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.json.errors?.[0]?.extensions?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const latin1 = await request(api.url, { body: '{}', headers: { 'content-type': 'application/json; charset=latin1' } });
    expect(latin1.status).toBe(415);
    for (const r of [bad, text, latin1]) expectNoInternals(r);
  });

  test('given client errors of every kind, then no response carries a stack trace, a path or extensions beyond the code', async () => {
    const replies = [
      await gql(api.url, '{ health { '),
      await gql(api.url, '{ nope }'),
      await gql(api.url, '{ estate { label } }'),
      await gql(api.url, aliases(16)),
      await request(api.url, { body: JSON.stringify({ query: 'query($b: Boolean!) { health { version @include(if: $b) } }', variables: { b: 'x' } }), headers: { 'content-type': 'application/json' } }),
      await request(api.url, { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json' } }),
    ];
    expect(replies.map((r) => r.status)).toEqual([400, 400, 200, 400, 400, 405]);
    for (const r of replies) {
      expectNoInternals(r);
      for (const e of r.json.errors ?? []) expect(Object.keys(e.extensions ?? {})).toEqual(['code']);
    }
    expect(replies.map((r) => r.json.errors?.[0]?.extensions?.code)).toEqual(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'UNAUTHENTICATED', 'QUERY_TOO_COMPLEX', 'BAD_USER_INPUT', 'METHOD_NOT_ALLOWED']);
  });

  test('given Neo4j down, then estate fails with GRAPH_ERROR without the Bolt address and health says unreachable', async () => {
    const estate = await gql(down.url, '{ estate { label count } }', { token: TOKEN });
    expect(estate.json.errors?.[0]?.extensions?.code).toBe('GRAPH_ERROR');
    expectNoInternals(estate);
    expect(estate.text).not.toMatch(/bolt|7687|ServiceUnavailable|ECONNREFUSED/i);
    const health = await gql(down.url, '{ health { neo4j } }');
    expect(health.json.data).toEqual({ health: { neo4j: 'unreachable' } });
  });

  test('given no configured origins, then cross-origin calls and preflights are refused and no CORS header is sent', async () => {
    const pre = await request(api.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(403);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const post = await gql(api.url, '{ health { version } }', { headers: { origin: 'https://evil.example' } });
    expect(post.status).toBe(403);
    expect(post.json.errors?.[0]?.extensions?.code).toBe('ORIGIN_NOT_ALLOWED');
  });

  test('given REACHGRAPH_API_CORS_ORIGINS, then that origin alone gets CORS headers', async () => {
    const pre = await request(cors.url, { method: 'OPTIONS', headers: { origin: 'https://ui.example:8443', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('https://ui.example:8443');
    const post = await gql(cors.url, '{ health { version } }', { headers: { origin: 'https://ui.example:8443' } });
    expect(post.status).toBe(200);
    expect(post.headers['access-control-allow-origin']).toBe('https://ui.example:8443');
    const other = await gql(cors.url, '{ health { version } }', { headers: { origin: 'https://ui.example:9999' } });
    expect(other.status).toBe(403);
  });

  test('given a Host header that is not the bind address or loopback, then 421 HOST_NOT_ALLOWED; localhost and 127.0.0.1 pass', async () => {
    const port = new URL(api.url).port;
    const rebound = await gql(api.url, '{ health { version } }', { headers: { host: `attacker.example:${port}` } });
    expect(rebound.status).toBe(421);
    expect(rebound.json.errors?.[0]?.extensions?.code).toBe('HOST_NOT_ALLOWED');
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) expect((await gql(api.url, '{ health { version } }', { headers: { host } })).status).toBe(200);
  });
});
