import { loadConfig } from '../../src/config.js';
import type { Graph } from '../../src/graph/driver.js';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { testGraph } from '../helpers/graph.js';

const TOKEN = 'test-token-0123456789abcdef';
let graph: Graph;
let api: RunningServer;

async function gql(query: string, token?: string): Promise<{ status: number; body: { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] } }> {
  const res = await fetch(new URL('graphql', api.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as never };
}

beforeAll(async () => {
  graph = await testGraph();
  const cfg = loadConfig({ ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: TOKEN });
  api = await startApi(graph, cfg);
});
afterAll(async () => {
  await api.stop();
  await graph.close();
});

describe('GraphQL API', () => {
  test('given no token, health answers with the Neo4j version', async () => {
    const r = await gql('{ health { neo4j version } }');
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data).toEqual({ health: { neo4j: expect.stringMatching(/^5\.26\./), version: '0.1.0' } });
  });

  test('given no token or a wrong one, estate is refused as unauthenticated', async () => {
    for (const token of [undefined, 'wrong-token-0123456789']) {
      const r = await gql('{ estate { label count } }', token);
      expect(r.body.data ?? null).toBeNull();
      expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  test('given the token, estate lists labels with counts', async () => {
    const r = await gql('{ estate { label count } }', TOKEN);
    expect(r.body.errors).toBeUndefined();
    const estate = (r.body.data as { estate: { label: string; count: number }[] }).estate;
    expect(estate.find((e) => e.label === 'SchemaVersion')?.count).toBe(1);
    for (const e of estate) expect(e.count).toBeGreaterThanOrEqual(0);
  });

  test('given a query far too large, then the complexity guard refuses it', async () => {
    const fields = Array.from({ length: 1200 }, (_, i) => `a${i}: health { neo4j }`).join(' ');
    const r = await gql(`{ ${fields} }`, TOKEN);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });
});
