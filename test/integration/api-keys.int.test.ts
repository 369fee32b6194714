// API keys (issue 14): `reachgraph api-key create|list|revoke` against the real test Neo4j, and the
// real API server verifying them over loopback: stored hashed, shown once, refused after a revoke
// within the cache bound, last use recorded.
import crypto from 'node:crypto';
import { ApiKeyVerifier, KEY_CACHE_TTL_MS, createApiKey, parseApiKey, revokeApiKey } from '../../src/api/keys.js';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { register } from '../../src/cli/verbs/api-key.js';
import { loadConfig } from '../../src/config.js';
import { InputError } from '../../src/errors.js';
import type { Graph } from '../../src/graph/driver.js';
import { codeOf, gql } from '../helpers/api-client.js';
import { testGraph } from '../helpers/graph.js';
import { runVerb } from '../helpers/run-verb.js';

let graph: Graph;
let api: RunningServer;

beforeAll(async () => {
  graph = await testGraph();
  api = await startApi(graph, loadConfig({ ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: 'test-token-keys-0123456789' }));
});
afterAll(async () => {
  await api.stop();
  await graph.close();
});

const cli = (...args: string[]) => runVerb(register, args);
const name = () => `test-${crypto.randomBytes(4).toString('hex')}`;

async function keyNode(id: string): Promise<Record<string, unknown>> {
  const rows = await graph.readText('MATCH (k:ApiKey {id: $id}) RETURN properties(k) AS p', { id }, 'test');
  return rows[0]!.p as Record<string, unknown>;
}

describe('api-key create, list, revoke', () => {
  test('given create, then the key is printed once in the rgk_<id>_<secret> form and the graph holds only its SHA-256', async () => {
    const created = JSON.parse(await cli('api-key', 'create', '--name', name(), '--role', 'viewer', '--format', 'json')) as { id: string; key: string; role: string };
    const parts = parseApiKey(created.key);
    expect(parts?.id).toBe(created.id);
    expect(created.role).toBe('viewer');

    const props = await keyNode(created.id);
    expect(props.secretHash).toBe(crypto.createHash('sha256').update(parts!.secret).digest('hex'));
    for (const v of Object.values(props)) expect(String(v)).not.toContain(parts!.secret);

    const listed = (JSON.parse(await cli('api-key', 'list', '--format', 'json')) as Record<string, unknown>[]).find((k) => k.id === created.id)!;
    expect(listed).toMatchObject({ id: created.id, role: 'viewer', revokedAt: null });
    expect(Object.keys(listed).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'role']);
    expect(JSON.stringify(listed)).not.toContain(parts!.secret);
  });

  test('given the table format, then create prints the key alone on stdout', async () => {
    const out = await cli('api-key', 'create', '--name', name(), '--role', 'analyst');
    expect(out.trim()).toMatch(/^rgk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  });

  test('given a bad role, a bad name or an unknown id, then the error names the input', async () => {
    await expect(createApiKey(graph, { name: 'x', role: 'root' })).rejects.toThrow(/--role: must be one of viewer, analyst, admin, ingest, got "root"/);
    await expect(createApiKey(graph, { name: ' ', role: 'viewer' })).rejects.toThrow(/--name/);
    await expect(revokeApiKey(graph, 'not-an-id')).rejects.toThrow(InputError);
    await expect(revokeApiKey(graph, '0123456789abcdef')).rejects.toThrow(/"0123456789abcdef": no such key/);
  });
});

describe('key nodes are not served as graph nodes', () => {
  test('given a key id, then node(id) finds nothing and node(id, label: ApiKey) is refused, for a viewer and for the admin token alike', async () => {
    const k = await createApiKey(graph, { name: name(), role: 'viewer' });
    const secret = parseApiKey(k.key)!.secret;
    for (const credential of [k.key, 'test-token-keys-0123456789']) {
      const any = await gql(api.url, 'query($id: ID!) { node(id: $id) { id label properties } }', { credential, variables: { id: k.id } });
      expect(any.body.errors).toBeUndefined();
      expect(any.body.data).toEqual({ node: null });
      const labelled = await gql(api.url, 'query($id: ID!) { node(id: $id, label: "ApiKey") { id properties } }', { credential, variables: { id: k.id } });
      expect(codeOf(labelled)).toBe('BAD_INPUT');
      expect(labelled.body.errors![0]!.message).toMatch(/ApiKey nodes are not served by node\(\)/);
      for (const a of [any, labelled]) expect(JSON.stringify(a.body)).not.toMatch(new RegExp(`secretHash|${secret}`));
    }
    // The node is there: what hides it is the API, not its absence.
    expect((await keyNode(k.id)).role).toBe('viewer');
  });
});

describe('the API verifies keys', () => {
  test('given a viewer key, then a read answers; a wrong secret for the same id, a malformed key or no key is unauthenticated', async () => {
    const k = await createApiKey(graph, { name: name(), role: 'viewer' });
    const ok = await gql(api.url, '{ estate { label count } }', { credential: k.key });
    expect(ok.body.errors).toBeUndefined();
    expect(Array.isArray(ok.body.data?.estate)).toBe(true);

    const wrongSecret = `rgk_${k.id}_${'A'.repeat(43)}`;
    for (const credential of [wrongSecret, k.key.slice(0, -1), `${k.key}x`, 'rgk_', undefined]) {
      const r = await gql(api.url, '{ estate { label count } }', { credential });
      expect(codeOf(r)).toBe('UNAUTHENTICATED');
    }
  });

  test('given an ingest key, then GraphQL reads are forbidden', async () => {
    const k = await createApiKey(graph, { name: name(), role: 'ingest' });
    const r = await gql(api.url, '{ estate { label count } }', { credential: k.key });
    expect(codeOf(r)).toBe('FORBIDDEN');
  });

  test('given a key revoked through the CLI, then the running API refuses it once the cache bound has passed', async () => {
    const k = await createApiKey(graph, { name: name(), role: 'viewer' });
    expect((await gql(api.url, '{ estate { label } }', { credential: k.key })).body.errors).toBeUndefined();
    const out = JSON.parse(await cli('api-key', 'revoke', k.id)) as { id: string; revokedAt: string };
    expect(out.id).toBe(k.id);
    expect(Date.parse(out.revokedAt)).not.toBeNaN();
    await new Promise((r) => setTimeout(r, KEY_CACHE_TTL_MS + 250));
    expect(codeOf(await gql(api.url, '{ estate { label } }', { credential: k.key }))).toBe('UNAUTHENTICATED');
  });

  test('given a key revoked before its first use, then it is refused at once', async () => {
    const k = await createApiKey(graph, { name: name(), role: 'admin' });
    await revokeApiKey(graph, k.id);
    expect(codeOf(await gql(api.url, '{ estate { label } }', { credential: k.key }))).toBe('UNAUTHENTICATED');
  });

  test('given a key used twice, then last use is recorded once (at most once a minute)', async () => {
    const k = await createApiKey(graph, { name: name(), role: 'viewer' });
    expect((await keyNode(k.id)).lastUsedAt).toBeUndefined();
    await gql(api.url, '{ estate { label } }', { credential: k.key });
    let first: unknown;
    for (let i = 0; i < 50 && first === undefined; i++) {
      first = (await keyNode(k.id)).lastUsedAt;
      if (first === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    expect(first).toBeDefined();
    await gql(api.url, '{ estate { label } }', { credential: k.key });
    await new Promise((r) => setTimeout(r, 300));
    expect(String((await keyNode(k.id)).lastUsedAt)).toBe(String(first));
  });
});

describe('ApiKeyVerifier cache, on a controlled clock', () => {
  test('given a verified key revoked in the graph, then it is still trusted before the TTL and refused after it', async () => {
    let now = 1_000_000;
    const v = new ApiKeyVerifier(graph, { now: () => now });
    const k = await createApiKey(graph, { name: name(), role: 'analyst' });
    expect((await v.verify(k.key))?.roles).toEqual(['viewer', 'analyst']);
    await revokeApiKey(graph, k.id);
    now += KEY_CACHE_TTL_MS - 1;
    expect(await v.verify(k.key)).toBeDefined();
    now += 2;
    expect(await v.verify(k.key)).toBeUndefined();
    await v.drain();
  });

  test('given a cached key, then a wrong secret for its id is still refused', async () => {
    const v = new ApiKeyVerifier(graph);
    const k = await createApiKey(graph, { name: name(), role: 'viewer' });
    expect(await v.verify(k.key)).toBeDefined();
    expect(await v.verify(`rgk_${k.id}_${'B'.repeat(43)}`)).toBeUndefined();
    await v.drain();
  });
});
