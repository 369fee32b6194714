// Mutations through GraphQL (issue 14): risk tags and baselines, against the real API server and the real
// test Neo4j with the demo estate. Each mutation changes the graph as asserted, records who did it, and is
// refused for an analyst; `baseline` reads for a viewer; Agent.aiBom and Agent.drift from the demo estate
// and from an observed agent of the test's own.
import crypto from 'node:crypto';
import { createApiKey } from '../../src/api/keys.js';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { detect, learn } from '../../src/behavior/store.js';
import { loadConfig } from '../../src/config.js';
import type { Graph } from '../../src/graph/driver.js';
import { runSync } from '../../src/graph/ingest.js';
import { INJECTION_MARKERS } from '../../src/risk/run.js';
import { node } from '../../src/graph/records.js';
import { codeOf, gql } from '../helpers/api-client.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';
import { observedAgent, type ObservedAgent } from '../helpers/observed-agent.js';
import { expectStampedSince } from '../helpers/stamp.js';

let graph: Graph;
let api: RunningServer;
const keys = { admin: '', analyst: '', viewer: '' };
const names = { admin: '', analyst: '', viewer: '' };
let own: ObservedAgent;

beforeAll(async () => {
  graph = await testGraph();
  // The demo parts these tests read: the cluster, the agents' AI-BOMs, and what the sensor saw (the laptop agent's baseline).
  for (const { part } of [await import('../../src/demo/parts/kubernetes.js'), await import('../../src/demo/parts/aibom.js'), await import('../../src/demo/parts/runtime.js')]) await part.load(graph);
  api = await startApi(graph, loadConfig({ ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: 'test-token-mutations-0123456789' }));
  const tag = crypto.randomBytes(4).toString('hex');
  for (const role of ['admin', 'analyst', 'viewer'] as const) {
    const k = await createApiKey(graph, { name: `mut-${role}-${tag}`, role });
    keys[role] = k.key;
    // How the API names a key's principal (auth.ts), which is what a mutation records.
    names[role] = `key:${k.id}:${k.name}`;
  }
  own = observedAgent(graph, 'api-mut');
  await own.load();
}, 600_000);
afterAll(async () => {
  await api.stop();
  await graph.close();
});

const props = async (id: string) => (await graph.readText('MATCH (n {id: $id}) RETURN properties(n) AS p', { id }, 'test'))[0]?.p as Record<string, unknown>;

describe('tag and untag', () => {
  const TAG = 'mutation M($id: ID!, $tag: RiskTag!) { tag(id: $id, tag: $tag) { id label labels properties } }';
  const UNTAG = 'mutation M($id: ID!, $tag: RiskTag!) { untag(id: $id, tag: $tag) { id label properties } }';

  test('given an admin, when a node is tagged CROWN_JEWEL and ENTRY and then untagged, then riskTags follow and the admin is recorded', async () => {
    const id = `${uniqueScope('api-tag')}.example.test`;
    await runSync(graph, { source: 'test', scope: id, progress: false }, (sink) => sink.write({ nodes: [node('DNSName', id, { name: id })], rels: [] }));

    const before = Date.now();
    const t = await gql(api.url, TAG, { credential: keys.admin, variables: { id, tag: 'CROWN_JEWEL' } });
    expect(t.body.errors).toBeUndefined();
    expect(t.body.data!.tag).toMatchObject({ id, label: 'DNSName', labels: ['DNSName'], properties: { riskTags: ['crown-jewel'], riskTagsBy: names.admin } });
    await gql(api.url, TAG, { credential: keys.admin, variables: { id, tag: 'ENTRY' } });
    await gql(api.url, TAG, { credential: keys.admin, variables: { id, tag: 'ENTRY' } });
    const p = await props(id);
    expect(p.riskTags).toEqual(['crown-jewel', 'entry']);
    expect(p.riskTagsBy).toBe(names.admin);
    // Stamped by these calls: a time, not before the first of them.
    expectStampedSince(p.riskTagsAt, before);

    const u = await gql(api.url, UNTAG, { credential: keys.admin, variables: { id, tag: 'CROWN_JEWEL' } });
    expect(u.body.errors).toBeUndefined();
    expect((u.body.data!.untag as { properties: Record<string, unknown> }).properties.riskTags).toEqual(['entry']);
    await gql(api.url, UNTAG, { credential: keys.admin, variables: { id, tag: 'ENTRY' } });
    expect((await props(id)).riskTags).toBeUndefined();
    // The risk engine reads the tag: a tagged node is an entry point of attackPaths' default search.
    await gql(api.url, TAG, { credential: keys.admin, variables: { id, tag: 'ENTRY' } });
    const entries = await graph.read('queries/risk/entry-points', { injection: INJECTION_MARKERS });
    expect(entries.map((e) => e.id)).toContain(id);
    await gql(api.url, UNTAG, { credential: keys.admin, variables: { id, tag: 'ENTRY' } });
  });

  test('given an analyst or a viewer, then tag and untag are refused and the node is unchanged', async () => {
    const id = 'support-agent';
    const before = await props(id);
    for (const credential of [keys.analyst, keys.viewer]) {
      for (const q of [TAG, UNTAG]) {
        const r = await gql(api.url, q, { credential, variables: { id, tag: 'CROWN_JEWEL' } });
        expect(codeOf(r)).toBe('FORBIDDEN');
        expect(r.body.data ?? null).toBeNull();
      }
    }
    expect(await props(id)).toEqual(before);
  });

  test('given an unknown id, a hostile id or a tag outside the enum, then a coded error names it', async () => {
    const unknown = await gql(api.url, TAG, { credential: keys.admin, variables: { id: `no-such-${crypto.randomUUID()}`, tag: 'ENTRY' } });
    expect(codeOf(unknown)).toBe('BAD_INPUT');
    expect(unknown.body.errors![0]!.message).toMatch(/no node has this id/);
    const hostile = await gql(api.url, TAG, { credential: keys.admin, variables: { id: "x'}) DETACH DELETE n //" + 'x'.repeat(10_000), tag: 'ENTRY' } });
    expect(codeOf(hostile)).toBe('BAD_INPUT');
    expect(codeOf(await gql(api.url, TAG, { credential: keys.admin, variables: { id: 'support-agent', tag: 'OWNED' } }))).toBe('BAD_USER_INPUT');
  });
});

describe('baselines', () => {
  const Q = 'query B($a: ID!) { baseline(agent: $a) { agent state version learnedFrom learnedTo entries coverageComplete lockedAt changedBy change changedAt } }';
  const LOCK = 'mutation L($a: ID!) { lockBaseline(agent: $a) { agent state version entries changedBy change } }';
  const RELEARN = 'mutation R($a: ID!, $w: String) { relearnBaseline(agent: $a, window: $w) { agent state version entries learnedFrom learnedTo changedBy change } }';

  test('given the demo estate, then a viewer reads the laptop agent\'s locked baseline', async () => {
    const r = await gql(api.url, Q, { credential: keys.viewer, variables: { a: 'ada-laptop/agent/claude' } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.baseline).toMatchObject({ agent: 'ada-laptop/agent/claude', state: 'locked', entries: 3, learnedFrom: '2026-11-20T09:00:00.000Z', learnedTo: '2026-11-20T09:30:00.000Z', coverageComplete: true });
    const none = await gql(api.url, Q, { credential: keys.viewer, variables: { a: `nobody-${crypto.randomUUID()}` } });
    expect(codeOf(none)).toBe('BAD_INPUT');
  });

  test('given a learned baseline, when an analyst locks it, then it is refused; when an admin does, it is locked and the admin recorded; then relearn makes the next version', async () => {
    await learn(graph, own.workload, { from: own.t0, windowMs: 30 * 60_000 });
    const learning = await gql(api.url, Q, { credential: keys.viewer, variables: { a: own.agent } });
    expect(learning.body.data!.baseline).toMatchObject({ agent: own.workload, state: 'learning', version: 1, entries: 2, changedBy: null, lockedAt: null });

    const refused = await gql(api.url, LOCK, { credential: keys.analyst, variables: { a: own.workload } });
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(((await gql(api.url, Q, { credential: keys.viewer, variables: { a: own.workload } })).body.data!.baseline as { state: string }).state).toBe('learning');

    const locked = await gql(api.url, LOCK, { credential: keys.admin, variables: { a: own.agent } });
    expect(locked.body.errors).toBeUndefined();
    expect(locked.body.data!.lockBaseline).toEqual({ agent: own.workload, state: 'locked', version: 1, entries: 2, changedBy: names.admin, change: 'lock' });
    const stored = (await graph.readText('MATCH (b:Baseline {id: $id}) RETURN b.state AS state, b.changedBy AS by, b.lockedAt IS NOT NULL AS locked', { id: `baseline:${own.workload}` }, 'test'))[0];
    expect(stored).toEqual({ state: 'locked', by: names.admin, locked: true });

    expect(codeOf(await gql(api.url, RELEARN, { credential: keys.analyst, variables: { a: own.workload, w: '30d' } }))).toBe('FORBIDDEN');
    expect(codeOf(await gql(api.url, RELEARN, { credential: keys.admin, variables: { a: own.workload, w: 'forever' } }))).toBe('BAD_INPUT');
    await own.load({ later: true });
    const relearned = await gql(api.url, RELEARN, { credential: keys.admin, variables: { a: own.workload, w: '1d' } });
    expect(relearned.body.errors).toBeUndefined();
    const b = relearned.body.data!.relearnBaseline as Record<string, unknown>;
    // The window ending now holds all three edges, the new connection included.
    expect(b).toMatchObject({ agent: own.workload, state: 'locked', version: 2, entries: 3, changedBy: names.admin, change: 'relearn' });
    expect(Date.parse(String(b.learnedTo)) - Date.parse(String(b.learnedFrom))).toBe(86_400_000);
  });

  test('given an AIAgent that runs as no sensor Workload, then baseline names why', async () => {
    const r = await gql(api.url, Q, { credential: keys.viewer, variables: { a: 'support-agent' } });
    // support-agent runs as exactly one demo Workload (its pod), which has no baseline.
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.baseline).toBeNull();
  });
});

describe('Agent.aiBom and Agent.drift', () => {
  const AGENT = 'query A($id: ID!) { agent(id: $id) { id aiBom { components { id kind name version status observed } undeclared dormant workloads } drift(limit: 10) { subject kind target classification severity } } }';

  test('given the demo estate, then research-agent\'s AI-BOM is confirmed, undeclared and dormant as the sensor saw it, with no drift', async () => {
    const r = await gql(api.url, AGENT, { credential: keys.viewer, variables: { id: 'research-agent' } });
    expect(r.body.errors).toBeUndefined();
    const a = r.body.data!.agent as { aiBom: { components: Record<string, unknown>[]; undeclared: string[]; dormant: string[]; workloads: string[] }; drift: unknown[] };
    const by = (status: string) => a.aiBom.components.filter((c) => c.status === status).map((c) => `${c.kind} ${c.name}`).sort();
    expect(by('confirmed')).toEqual(['mcp-server github', 'model llama-3.1-8b-instruct.Q4_K_M.gguf']);
    expect(by('undeclared')).toEqual(['mcp-server npx']);
    expect(a.aiBom.undeclared).toEqual(['mcp-server npx']);
    expect(a.aiBom.dormant).toEqual(expect.arrayContaining(['mcp-server sandbox', 'service vllm.inference.svc', 'package npm/@langchain/langgraph']));
    expect(a.aiBom.workloads).toEqual(['ip-10-0-2-41.eu-west-1.compute.internal/pod/demo-eks/research/research-digest-29001440-7kq2m']);
    const npx = a.aiBom.components.find((c) => c.status === 'undeclared')!;
    expect(npx).toMatchObject({ id: 'mcp-server:npx', version: null, observed: ['npx -y @modelcontextprotocol/server-slack'] });
    const model = a.aiBom.components.find((c) => c.kind === 'model' && c.status === 'confirmed')!;
    expect(model.observed).toEqual(['/models/llama-3.1-8b-instruct.Q4_K_M.gguf']);
    expect(a.drift).toEqual([]);
  });

  test('given an observed agent whose locked baseline the behaviour engine finds drift against, then Agent.drift lists it', async () => {
    const drifting = observedAgent(graph, 'api-mut-drift');
    await drifting.load();
    await learn(graph, drifting.workload, { from: drifting.t0, windowMs: 30 * 60_000 });
    const lock = await gql(api.url, 'mutation L($a: ID!) { lockBaseline(agent: $a) { state } }', { credential: keys.admin, variables: { a: drifting.workload } });
    expect(lock.body.errors).toBeUndefined();
    await drifting.load({ later: true });
    await detect(graph, { subject: drifting.workload });
    const r = await gql(api.url, AGENT, { credential: keys.viewer, variables: { id: drifting.agent } });
    expect(r.body.errors).toBeUndefined();
    expect((r.body.data!.agent as { drift: unknown[] }).drift).toEqual([{ subject: drifting.workload, kind: 'connect', target: drifting.newEndpoint, classification: 'unexplained', severity: expect.any(String) }]);
    const bad = await gql(api.url, 'query A($id: ID!) { agent(id: $id) { drift(limit: 0) { id } } }', { credential: keys.viewer, variables: { id: drifting.agent } });
    expect(codeOf(bad)).toBe('BAD_INPUT');
  });
});
