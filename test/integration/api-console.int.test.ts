// The analyst Cypher console through GraphQL (issue 14, item 4) against the real API server and the real
// test Neo4j with the demo estate: analysts read, writes and reads outside the graph are refused with
// codes, limits hold, viewers are refused.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiKey } from '../../src/api/keys.js';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/config.js';
import type { Graph } from '../../src/graph/driver.js';
import { codeOf, gql } from '../helpers/api-client.js';
import { testGraph } from '../helpers/graph.js';

let graph: Graph;
let api: RunningServer;
let analyst: string;
let viewer: string;
let web: http.Server;
let webUrl: string;
let webHits = 0;

const CONSOLE = 'query C($q: String!, $p: JSON, $max: Int, $timeout: Int) { cypher(query: $q, params: $p, maxRows: $max, timeoutMs: $timeout) { columns rows truncated } }';
type Console = { columns: string[]; rows: Record<string, unknown>[]; truncated: boolean };

const run = (q: string, o: { p?: unknown; max?: number; timeout?: number; credential?: string } = {}) =>
  gql(api.url, CONSOLE, { credential: o.credential ?? analyst, variables: { q, p: o.p, max: o.max, timeout: o.timeout } });
const answer = async (q: string, o: Parameters<typeof run>[1] = {}) => {
  const r = await run(q, o);
  expect(r.body.errors).toBeUndefined();
  return (r.body.data as { cypher: Console }).cypher;
};

beforeAll(async () => {
  graph = await testGraph();
  // The demo's AI-BOM part holds the agents these queries read.
  await (await import('../../src/demo/parts/aibom.js')).part.load(graph);
  api = await startApi(graph, loadConfig({ ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: 'test-token-console-0123456789' }));
  const tag = crypto.randomBytes(4).toString('hex');
  analyst = (await createApiKey(graph, { name: `console-analyst-${tag}`, role: 'analyst' })).key;
  viewer = (await createApiKey(graph, { name: `console-viewer-${tag}`, role: 'viewer' })).key;
  // A real HTTP server on loopback: any request it gets is one Neo4j was made to send.
  web = http.createServer((_req, res) => {
    webHits++;
    res.end('a,b\n1,2\n');
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}/x.csv`;
}, 600_000);
afterAll(async () => {
  await api.stop();
  await graph.close();
  await new Promise((r) => web.close(r));
});

describe('cypher console over GraphQL', () => {
  test('given an analyst and a parameterized read, then the demo agents come back as columns and JSON rows', async () => {
    const r = await answer('MATCH (a:AIAgent) WHERE a.id IN $ids RETURN a.id AS id, a.framework AS framework, a AS node ORDER BY id', { p: { ids: ['support-agent', 'research-agent', 'no-such-agent'] } });
    expect(r.columns).toEqual(['id', 'framework', 'node']);
    expect(r.rows.map((x) => [x.id, x.framework])).toEqual([
      ['research-agent', 'langgraph'],
      ['support-agent', 'langgraph'],
    ]);
    expect(r.rows[0]!.node).toMatchObject({ labels: ['AIAgent'], id: 'research-agent', name: 'research-agent' });
    expect(r.truncated).toBe(false);
  });

  test('given no rows, then the columns are still named', async () => {
    expect(await answer('MATCH (a:AIAgent {id: $id}) RETURN a.id AS id, a.name AS name', { p: { id: `none-${crypto.randomUUID()}` } })).toEqual({ columns: ['id', 'name'], rows: [], truncated: false });
  });

  test('given more rows than the API cap or a lower maxRows, then the first rows come back marked truncated', async () => {
    const capped = await answer('UNWIND range(1, 5000) AS x RETURN x');
    expect(capped.rows).toHaveLength(1000);
    expect(capped.rows[999]).toEqual({ x: 1000 });
    expect(capped.truncated).toBe(true);
    const five = await answer('UNWIND range(1, 5000) AS x RETURN x', { max: 5 });
    expect(five).toEqual({ columns: ['x'], rows: [1, 2, 3, 4, 5].map((x) => ({ x })), truncated: true });
    expect(codeOf(await run('RETURN 1 AS x', { max: 1001 }))).toBe('BAD_INPUT');
    expect(codeOf(await run('RETURN 1 AS x', { timeout: 0 }))).toBe('BAD_INPUT');
  });

  test('given a runaway read and a short time limit, then Neo4j stops it with QUERY_TIMEOUT', async () => {
    const r = await run('UNWIND range(1, 100000000000) AS x WITH x WHERE x < 0 RETURN count(x) AS c', { timeout: 500 });
    expect(codeOf(r)).toBe('QUERY_TIMEOUT');
    expect(r.body.errors![0]!.message).toMatch(/time limit/);
  });

  test('given writes (also hidden in a subquery or by MERGE), then they are refused with QUERY_REFUSED and nothing is written', async () => {
    const id = `console-write-${crypto.randomUUID()}`;
    for (const q of ['CREATE (n:AIAgent {id: $id}) RETURN n', 'MERGE (n:AIAgent {id: $id}) RETURN n.id', 'CALL { CREATE (n:AIAgent {id: $id}) } RETURN 1 AS one', 'MATCH (a:AIAgent {id: "support-agent"}) SET a.owned = $id RETURN a.id', 'CREATE INDEX x_idx IF NOT EXISTS FOR (n:Nope) ON (n.x)']) {
      const r = await run(q, { p: { id } });
      expect([q, codeOf(r)]).toEqual([q, 'QUERY_REFUSED']);
      expect(r.body.data ?? null).toBeNull();
    }
    expect(await graph.readText('MATCH (n:AIAgent) WHERE n.id = $id OR n.owned = $id RETURN n', { id }, 'test')).toEqual([]);
  });

  test('given LOAD CSV of a file or an http URL, then it is refused and no request leaves Neo4j', async () => {
    const before = webHits;
    for (const [q, p] of [
      ["LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", {}],
      ['LOAD CSV FROM $url AS line RETURN line', { url: webUrl }],
      ['CALL { LOAD CSV FROM $url AS line RETURN line } RETURN line', { url: webUrl }],
    ] as const) {
      const r = await run(q, { p });
      expect(codeOf(r)).toBe('QUERY_REFUSED');
      expect(r.body.errors![0]!.message).toMatch(/LOAD CSV/);
    }
    expect(webHits).toBe(before);
  });

  test('given procedures off the allow-list (APOC file and URL loaders, configuration, administration), then they are refused with a code', async () => {
    // APOC is not installed on the local Neo4j: its loaders do not even plan (BAD_INPUT); installed built-ins off the list are QUERY_REFUSED.
    for (const q of ["CALL apoc.load.json('file:///etc/passwd') YIELD value RETURN value", 'CALL apoc.load.csv($url) YIELD map RETURN map']) expect(['QUERY_REFUSED', 'BAD_INPUT']).toContain(codeOf(await run(q, { p: { url: webUrl } })));
    for (const q of ['CALL dbms.listConfig() YIELD name RETURN name', 'SHOW TRANSACTIONS', 'CALL db.clearQueryCaches()']) {
      const r = await run(q);
      expect([q, codeOf(r)]).toEqual([q, 'QUERY_REFUSED']);
    }
    expect(webHits).toBe(0);
    const ok = await answer('CALL db.labels() YIELD label RETURN label');
    expect(ok.rows.map((r) => r.label)).toContain('AIAgent');
  });

  test('given hostile strings, then they come back as data or as a coded error', async () => {
    const hostile = "x'}) DETACH DELETE n //\u0000" + 'é'.repeat(5000);
    const echoed = await answer('RETURN $s AS s', { p: { s: hostile } });
    expect(echoed.rows).toEqual([{ s: hostile }]);
    expect(codeOf(await run("MATCH (n) WHERE n.id = 'x'}) DETACH DELETE n //"))).toBe('BAD_INPUT');
    expect(codeOf(await run('RETURN 1', { p: [1, 2] }))).toBe('BAD_INPUT');
    expect(codeOf(await run('RETURN 1', { p: 'not an object' }))).toBe('BAD_INPUT');
    expect(codeOf(await run('   '))).toBe('BAD_INPUT');
    expect(codeOf(await run('RETURN 1 AS x //' + 'a'.repeat(70_000)))).toBe('BAD_INPUT');
  });

  test('given a viewer or no credential, then the console is refused; the admin token may use it', async () => {
    expect(codeOf(await run('RETURN 1 AS x', { credential: viewer }))).toBe('FORBIDDEN');
    const anonymous = await gql(api.url, '{ cypher(query: "RETURN 1 AS x") { rows } }');
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    expect((await answer('RETURN 1 AS x', { credential: 'test-token-console-0123456789' })).rows).toEqual([{ x: 1 }]);
  });
});
