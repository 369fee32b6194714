/**
 * The API's read side (issue 14) against the real Neo4j and the demo estate, over real HTTP: agents
 * (keyset pages, filters, totalCount), agent(id) with identities, edge counts, blast radius (compared
 * with the risk engine the CLI runs) and gaps, attack paths, node and neighbours, full-text search, the
 * blast-radius cache and its invalidation by a finished sync, batching (Neo4j statements per page do not
 * grow with the page) and the read timeout.
 */
import fc from 'fast-check';
import { loadConfig } from '../../src/config.js';
import { loadDemoEstate } from '../../src/demo/estate.js';
import type { Graph } from '../../src/graph/driver.js';
import { runSync } from '../../src/graph/ingest.js';
import { node, rel, type NodeRecord, type RelRecord } from '../../src/graph/records.js';
import { blastCache, subjectCache } from '../../src/api/blast-cache.js';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { attackPaths, blastRadius, checkBlastOptions, gaps, resolveSubject, subjectAnchors } from '../../src/risk/run.js';
import { codeOf, gql as post, type GqlAnswer } from '../helpers/api-client.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';

const TOKEN = 'read-test-token-0123456789abcdef';
const P = uniqueScope('apiread');
let graph: Graph;
let api: RunningServer;

const gql = (query: string, variables?: Record<string, unknown>): Promise<GqlAnswer> => post(api.url, query, { credential: TOKEN, variables });
/** The data of an answer that must not carry errors. */
async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const a = await gql(query, variables);
  expect(a.body.errors).toBeUndefined();
  return a.body.data as T;
}

const R = (label: string, id: string) => ({ label, id });
/** Pagination agents: scores with ties and one missing (0), names out of id order. */
const PAGED: { id: string; name: string; riskScore?: number; openFindings?: number }[] = [
  { id: `${P}-pg-a`, name: 'delta', riskScore: 5 },
  { id: `${P}-pg-b`, name: 'alpha', riskScore: 5 },
  { id: `${P}-pg-c`, name: 'charlie', riskScore: 9.5 },
  { id: `${P}-pg-d`, name: 'bravo' },
  { id: `${P}-pg-e`, name: 'alpha', riskScore: 1 },
  { id: `${P}-pg-f`, name: 'echo', riskScore: 5 },
  { id: `${P}-pg-g`, name: 'foxtrot', riskScore: 3, openFindings: 2 },
];
const BULK = 60;
const TOOL2 = `${P}/mcp/delete_all`;

async function sync(scope: string, nodes: NodeRecord[], rels: RelRecord[]): Promise<void> {
  const s = await runSync(graph, { source: 'test-api-read', scope }, async (sink) => sink.write({ nodes, rels }));
  expect(s.status).toBe('succeeded');
}

/** The planted estate: paged agents, bulk agents each with a service account, two pods sharing NS/NAME in two clusters, an agent with a tool. */
function planted(withSecondTool: boolean): { nodes: NodeRecord[]; rels: RelRecord[] } {
  const nodes: NodeRecord[] = [
    ...PAGED.map(({ id, name, riskScore, openFindings }) => node('AIAgent', id, { name, namespace: `${P}-ns`, ...(riskScore !== undefined ? { riskScore } : {}), ...(openFindings !== undefined ? { openFindings } : {}) })),
    ...Array.from({ length: BULK }, (_, i) => node('AIAgent', `${P}-bulk-${String(i).padStart(2, '0')}`, { name: `bulk ${String(i).padStart(2, '0')}` })),
    ...Array.from({ length: BULK }, (_, i) => node('K8sServiceAccount', `${P}/ns/sa-${i}`, { name: `sa-${i}`, namespace: 'ns', cluster: P })),
    node('K8sCluster', `${P}-c1`, { name: `${P}-c1` }),
    node('K8sCluster', `${P}-c2`, { name: `${P}-c2` }),
    node('K8sPod', `${P}-c1/${P}/dup`, { name: 'dup', namespace: P, cluster: `${P}-c1` }),
    node('K8sPod', `${P}-c2/${P}/dup`, { name: 'dup', namespace: P, cluster: `${P}-c2` }),
    node('MCPServer', `${P}/mcp`, { name: 'mcp' }),
    node('MCPTool', `${P}/mcp/write_file`, { name: 'write_file', writes: true }),
    ...(withSecondTool ? [node('MCPTool', TOOL2, { name: 'delete_all', writes: true })] : []),
  ];
  const rels: RelRecord[] = [
    ...Array.from({ length: BULK }, (_, i) => rel('USES_IDENTITY', R('AIAgent', `${P}-bulk-${String(i).padStart(2, '0')}`), R('K8sServiceAccount', `${P}/ns/sa-${i}`))),
    rel('MAY_USE_TOOL', R('AIAgent', `${P}-pg-a`), R('MCPServer', `${P}/mcp`)),
    rel('OFFERS', R('MCPServer', `${P}/mcp`), R('MCPTool', `${P}/mcp/write_file`)),
    ...(withSecondTool ? [rel('OFFERS', R('MCPServer', `${P}/mcp`), R('MCPTool', TOOL2))] : []),
  ];
  return { nodes, rels };
}

beforeAll(async () => {
  graph = await testGraph();
  const loaded = await loadDemoEstate(graph);
  expect(loaded.filter((p) => !p.ok)).toEqual([]);
  const { nodes, rels } = planted(false);
  await sync(P, nodes, rels);
  api = await startApi(graph, loadConfig({ ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: TOKEN }));
}, 600_000);
afterAll(async () => {
  await api?.stop();
  await graph?.close();
});

type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null }; edges: { cursor: string; node: { id: string; name: string; riskScore: number } }[] };
const PAGE = `query($first: Int, $after: String, $filter: AgentFilter, $orderBy: AgentOrder) {
  agents(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id name riskScore } } } }`;

/** Walks every page; returns the ids in order and the pages. */
async function walk(vars: Record<string, unknown>): Promise<{ ids: string[]; pages: Page[] }> {
  const pages: Page[] = [];
  let after: string | null = null;
  for (;;) {
    const { agents }: { agents: Page } = await data<{ agents: Page }>(PAGE, { ...vars, after });
    pages.push(agents);
    if (!agents.pageInfo.hasNextPage) break;
    after = agents.pageInfo.endCursor;
    expect(pages.length).toBeLessThan(500);
  }
  return { ids: pages.flatMap((p) => p.edges.map((e) => e.node.id)), pages };
}

describe('agents', () => {
  test('given RISK_DESC and pages of 2, then every agent comes once, highest risk first (missing = 0), ties by id', async () => {
    const { ids, pages } = await walk({ first: 2, filter: { text: `${P}-PG-` }, orderBy: 'RISK_DESC' });
    const expected = [...PAGED].sort((a, b) => (b.riskScore ?? 0) - (a.riskScore ?? 0) || a.id.localeCompare(b.id)).map((a) => a.id);
    expect(ids).toEqual(expected);
    expect(pages.map((p) => p.totalCount)).toEqual(pages.map(() => PAGED.length));
    expect(pages.map((p) => p.pageInfo.hasPreviousPage)).toEqual(pages.map((_, i) => i > 0));
    expect(pages[0]!.edges[0]!.node).toEqual({ id: `${P}-pg-c`, name: 'charlie', riskScore: 9.5 });
  });

  test('given NAME_ASC, then agents come by name, ties by id', async () => {
    const { ids } = await walk({ first: 3, filter: { text: `${P}-pg-` }, orderBy: 'NAME_ASC' });
    expect(ids).toEqual([`${P}-pg-b`, `${P}-pg-e`, `${P}-pg-d`, `${P}-pg-c`, `${P}-pg-a`, `${P}-pg-f`, `${P}-pg-g`]);
  });

  test('given no filter, then a walk visits every agent of the graph exactly once', async () => {
    const before = (await graph.read('queries/api/agents-count', { text: null, namespace: null, observed: null, hasFindings: null }))[0]!.count as number;
    const { ids } = await walk({ first: 7 });
    expect(new Set(ids).size).toBe(ids.length);
    const all = (await graph.readText('MATCH (a:AIAgent) RETURN a.id AS id', {}, 'test')).map((r) => String(r.id));
    // Agents other test files add meanwhile may or may not be seen; those present all along are seen once.
    for (const id of all.filter((x) => x.startsWith(P) || ['support-agent', 'research-agent'].includes(x))) expect(ids.filter((x) => x === id)).toEqual([id]);
    expect(ids.length).toBeGreaterThanOrEqual(Math.min(before, all.length));
  });

  test('given filters, then namespace, hasFindings and observed narrow the list', async () => {
    const ids = async (filter: Record<string, unknown>) => (await walk({ first: 100, filter })).ids;
    expect((await ids({ namespace: `${P}-ns` })).sort()).toEqual(PAGED.map((a) => a.id).sort());
    expect(await ids({ namespace: `${P}-ns`, hasFindings: true })).toEqual([`${P}-pg-g`]);
    expect(await ids({ namespace: `${P}-ns`, hasFindings: false })).not.toContain(`${P}-pg-g`);
    expect(await ids({ text: 'support-agent', observed: true })).toEqual(['support-agent']);
    expect(await ids({ text: 'support-agent', observed: false })).toEqual([]);
  });

  test('given bad arguments, then each is a BAD_INPUT naming the argument', async () => {
    const bad = async (vars: Record<string, unknown>, re: RegExp) => {
      const a = await gql(PAGE, vars);
      expect({ code: codeOf(a), message: a.body.errors?.[0]?.message }).toEqual({ code: 'BAD_INPUT', message: expect.stringMatching(re) });
    };
    await bad({ first: 0 }, /^first: /);
    await bad({ first: 101 }, /^first: /);
    await bad({ first: 2, after: 'not-a-cursor' }, /^after: /);
    const { agents } = await data<{ agents: Page }>(PAGE, { first: 1, orderBy: 'NAME_ASC' });
    await bad({ first: 2, after: agents.pageInfo.endCursor, orderBy: 'RISK_DESC' }, /^after: .*RISK_DESC/);
  });

  test('given no token, then agents is refused as unauthenticated', async () => {
    expect(codeOf(await post(api.url, PAGE, { variables: { first: 1 } }))).toBe('UNAUTHENTICATED');
  });
});

describe('agent(id)', () => {
  const AGENT = `query($id: ID!) { agent(id: $id) { id name label riskScore observed identities { id label } declaredEdgeCount observedEdgeCount } }`;
  type A = { id: string; name: string; label: string; observed: boolean; identities: { id: string; label: string }[]; declaredEdgeCount: number; observedEdgeCount: number };

  test('given support-agent, then its identities are its anchors and its edge counts those of the graph', async () => {
    const { agent } = await data<{ agent: A }>(AGENT, { id: 'support-agent' });
    const anchors = await subjectAnchors(graph, await resolveSubject(graph, 'support-agent'));
    expect(agent).toMatchObject({ id: 'support-agent', name: 'support-agent', label: 'AIAgent', observed: true });
    expect(agent.identities).toEqual(anchors.filter((a) => a.id !== 'support-agent').map((a) => ({ id: a.id, label: a.label })));
    expect(agent.identities).toEqual(expect.arrayContaining([{ id: 'demo-eks/agents/support-agent', label: 'K8sServiceAccount' }, { id: 'arn:aws:iam::111122223333:role/support-agent-role', label: 'AWSRole' }]));
    const counts = await graph.readText(
      "UNWIND $els AS e MATCH (n)-[r]->() WHERE elementId(n) = e RETURN sum(CASE WHEN type(r) STARTS WITH 'MAY_' THEN 1 ELSE 0 END) AS declared, sum(CASE WHEN type(r) STARTS WITH 'DID_' THEN 1 ELSE 0 END) AS observed",
      { els: [...new Set(anchors.map((a) => a.anchor))] },
      'test',
    );
    expect({ declared: agent.declaredEdgeCount, observed: agent.observedEdgeCount }).toEqual({ declared: counts[0]!.declared, observed: counts[0]!.observed });
    expect(agent.declaredEdgeCount).toBeGreaterThan(0);
    expect(agent.observedEdgeCount).toBeGreaterThan(0);
  });

  test('given a pod id, then the subject is that pod, as the CLI resolves it', async () => {
    const { agent } = await data<{ agent: A }>(AGENT, { id: 'demo-eks/agents/support-agent-6d8f7-q2x9z' });
    expect(agent).toMatchObject({ id: 'demo-eks/agents/support-agent-6d8f7-q2x9z', label: 'K8sPod', observed: true });
  });

  test('given an unknown id, then null; given an ambiguous one, then BAD_INPUT listing the candidates', async () => {
    expect(await data(AGENT, { id: `${P}-nobody` })).toEqual({ agent: null });
    const a = await gql(AGENT, { id: `${P}/dup` });
    expect(codeOf(a)).toBe('BAD_INPUT');
    expect(a.body.errors?.[0]?.message).toContain(`K8sPod ${P}-c1/${P}/dup`);
    expect(a.body.errors?.[0]?.message).toContain(`K8sPod ${P}-c2/${P}/dup`);
    expect(codeOf(await gql(AGENT, { id: '   ' }))).toBe('BAD_INPUT');
  });
});

describe('agent(id) resolution cache', () => {
  const AGENT = `query($id: ID!) { agent(id: $id) { id } }`;
  test('given an id asked twice, then the second resolution is a cache hit; an unknown id is not kept, so an agent synced a moment later is found at once', async () => {
    const cache = subjectCache(graph);
    const id = `${P}-pg-b`;
    expect(await data(AGENT, { id })).toMatchObject({ agent: { id } });
    const hits = cache.stats.hits;
    expect(await data(AGENT, { id })).toMatchObject({ agent: { id } });
    expect(cache.stats.hits).toBe(hits + 1);

    const late = `${P}-late`;
    expect(await data(AGENT, { id: late })).toEqual({ agent: null });
    await sync(`${P}-late`, [node('AIAgent', late, { name: 'late' })], []);
    expect(await data(AGENT, { id: late })).toMatchObject({ agent: { id: late } });
  });
});

describe('blast radius and gaps', () => {
  const BLAST = `query($id: ID!, $mode: BlastMode, $depth: Int, $domains: [String!]) { agent(id: $id) { blastRadius(mode: $mode, depth: $depth, domains: $domains) {
    complete coverage anchors { id label } targets { id label kind reason score observed path { type from to declared observed props } } } } }`;
  type B = { complete: boolean; coverage: string | null; anchors: { id: string; label: string }[]; targets: { id: string; label: string; kind: string; score: number; observed: boolean; path: { type: string; from: string; to: string; declared: boolean; observed: boolean }[] }[] };

  test.each([
    [{}, {}],
    [{ mode: 'DECLARED', depth: 3, domains: ['identity'] }, { mode: 'declared', depth: 3, domain: ['identity'] }],
    [{ mode: 'OBSERVED' }, { mode: 'observed' }],
  ])('given support-agent and %j, then the targets are those the engine (the CLI) finds', async (args, cli) => {
    const { agent } = await data<{ agent: { blastRadius: B } }>(BLAST, { id: 'support-agent', ...args });
    const engine = await blastRadius(graph, await resolveSubject(graph, 'support-agent'), checkBlastOptions(cli));
    expect(agent.blastRadius.targets.map((t) => [t.label, t.id, t.kind, t.score, t.path.map((h) => h.type)])).toEqual(engine.targets.map((t) => [t.label, t.target, t.kind, t.score, t.path.map((h) => h.type)]));
    expect(agent.blastRadius.targets.length).toBeGreaterThan(0);
    expect(agent.blastRadius.complete).toBe(true);
    expect(agent.blastRadius.coverage).toBeNull();
    expect(agent.blastRadius.anchors[0]).toEqual({ id: 'support-agent', label: 'AIAgent' });
    for (const t of agent.blastRadius.targets) for (const h of t.path) expect(h.observed).toBe(h.type.startsWith('DID_') && !h.declared);
  });

  test('given the demo, then support-agent reaches the crown-jewel secret and a credential file it opened', async () => {
    const { agent } = await data<{ agent: { blastRadius: B } }>(BLAST, { id: 'support-agent' });
    expect(agent.blastRadius.targets).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:support/crm-token-Q1w2E3', kind: 'crown-jewel-secret' }),
        expect.objectContaining({ id: '/var/run/secrets/kubernetes.io/serviceaccount/token', kind: 'credential-file', observed: true }),
      ]),
    );
  });

  test('given an agent no sensor watches, then the answer says the observed side cannot appear', async () => {
    const { agent } = await data<{ agent: { blastRadius: B } }>(BLAST, { id: `${P}-pg-a` });
    expect(agent.blastRadius.coverage).toMatch(/no sensor Workload/);
    expect(agent.blastRadius.targets.map((t) => t.id)).toEqual([`${P}/mcp/write_file`]);
  });

  test('given the same question twice, then the second comes from the cache; after a sync finishes, the answer is fresh', async () => {
    const cache = blastCache(graph);
    const ask = async () => (await data<{ agent: { blastRadius: B } }>(BLAST, { id: `${P}-pg-a`, domains: ['tools'] })).agent.blastRadius.targets.map((t) => t.id).sort();
    expect(await ask()).toEqual([`${P}/mcp/write_file`]);
    const hits = cache.stats.hits;
    expect(await ask()).toEqual([`${P}/mcp/write_file`]);
    expect(cache.stats.hits).toBe(hits + 1);

    const { nodes, rels } = planted(true);
    await sync(P, nodes, rels);
    // The generation is read at most once a second: wait past that, then the cache must be dropped.
    await new Promise((r) => setTimeout(r, 1100));
    const invalidations = cache.stats.invalidations;
    expect(await ask()).toEqual([TOOL2, `${P}/mcp/write_file`].sort());
    expect(cache.stats.invalidations).toBeGreaterThan(invalidations);
  });

  test('given bad blast-radius arguments, then BAD_INPUT', async () => {
    for (const args of [{ depth: 0 }, { depth: 11 }, { domains: ['bogus'] }]) {
      const a = await gql(BLAST, { id: 'support-agent', ...args });
      expect({ args, code: codeOf(a) }).toEqual({ args, code: 'BAD_INPUT' });
    }
  });

  test('given support-agent, then gaps are those of the engine; a bad since is BAD_INPUT', async () => {
    const GAPS = `query($since: String) { agent(id: "support-agent") { gaps(since: $since) { window { from to } completeness grantedUnused { domain subject grant status reason } doneUndeclared { domain subject observed detail count lastSeen } } } }`;
    const { agent } = await data<{ agent: { gaps: { window: unknown; completeness: unknown; grantedUnused: unknown[]; doneUndeclared: unknown[] } } }>(GAPS);
    const engine = await gaps(graph, await resolveSubject(graph, 'support-agent'));
    const instant = (v: string | null) => (v === null ? null : new Date(v).toISOString());
    const win = agent.gaps.window as { from: string; to: string };
    expect({ from: instant(win.from), to: instant(win.to) }).toEqual({ from: instant(engine.window!.from), to: instant(engine.window!.to) });
    expect(agent.gaps.completeness).toEqual(JSON.parse(JSON.stringify(engine.completeness)));
    expect(agent.gaps.grantedUnused).toEqual(engine.grantedUnused);
    const undeclared = agent.gaps.doneUndeclared as { lastSeen: string | null }[];
    expect(undeclared.map((u) => ({ ...u, lastSeen: instant(u.lastSeen) }))).toEqual(engine.doneUndeclared.map((u) => ({ ...u, lastSeen: instant(u.lastSeen) })));
    expect(agent.gaps.grantedUnused.length).toBeGreaterThan(0);
    const a = await gql(GAPS, { since: 'last tuesday' });
    expect({ code: codeOf(a), message: a.body.errors?.[0]?.message }).toEqual({ code: 'BAD_INPUT', message: expect.stringMatching(/^gaps\(since\): /) });
  });
});

describe('attack paths', () => {
  const PATHS = `query($from: String, $to: String, $k: Int, $maxHops: Int) { attackPaths(from: $from, to: $to, k: $k, maxHops: $maxHops) {
    entries { id label } targets { id label } paths { entry entryReason target targetLabel targetReason length observed score path { type from to } } } }`;
  type Res = { entries: { id: string }[]; targets: { id: string }[]; paths: { entry: string; target: string; targetLabel: string; length: number; score: number; path: { type: string }[] }[] };

  test('given support-agent to crown jewels, then the paths are those of the engine (the CLI)', async () => {
    const { attackPaths: r } = await data<{ attackPaths: Res }>(PATHS, { from: 'support-agent', k: 2, maxHops: 6 });
    const engine = await attackPaths(graph, { from: 'support-agent', toCrownJewels: true, k: 2, maxHops: 6 });
    expect(r.paths.map((p) => [p.entry, p.target, p.targetLabel, p.length, p.score, p.path.map((h) => h.type)])).toEqual(engine.paths.map((p) => [p.entry, p.target, p.targetLabel, p.length, p.score, p.path.map((h) => h.type)]));
    expect(r.entries).toEqual([{ id: 'support-agent', label: 'AIAgent' }]);
    expect(r.paths.map((p) => p.target)).toContain('arn:aws:secretsmanager:eu-west-1:111122223333:secret:support/crm-token-Q1w2E3');
  });

  test('given bad arguments or an unknown node, then BAD_INPUT naming it', async () => {
    for (const [vars, re] of [
      [{ k: 0 }, /^k: /],
      [{ k: 9 }, /^k: /],
      [{ maxHops: 11 }, /^maxHops: /],
      [{ from: 'support-agent', to: `${P}-no-such-node` }, /no node has this id/],
      [{ from: '' }, /^from: /],
    ] as const) {
      const a = await gql(PATHS, vars);
      expect({ vars, code: codeOf(a), message: a.body.errors?.[0]?.message }).toEqual({ vars, code: 'BAD_INPUT', message: expect.stringMatching(re) });
    }
  });
});

describe('node and search', () => {
  const NODE = `query($id: ID!, $label: String, $first: Int) { node(id: $id, label: $label) { id label labels name properties neighbours(first: $first) { type direction props other { id label name } } } }`;
  type N = { id: string; label: string; labels: string[]; name: string | null; properties: Record<string, unknown>; neighbours: { type: string; direction: string; other: { id: string; label: string } }[] };

  test('given an agent id, then the node with its properties and its relationships both ways', async () => {
    const { node: n } = await data<{ node: N }>(NODE, { id: 'support-agent', first: 100 });
    expect(n).toMatchObject({ id: 'support-agent', label: 'AIAgent', labels: ['AIAgent'], name: 'support-agent', properties: expect.objectContaining({ namespace: 'agents', framework: 'langgraph' }) });
    expect(n.neighbours).toEqual(expect.arrayContaining([{ type: 'RUNS_ON', direction: 'OUT', props: expect.anything(), other: { id: 'demo-eks/agents/Deployment/support-agent', label: 'K8sWorkload', name: 'support-agent' } }]));
    const { node: sa } = await data<{ node: N }>(NODE, { id: 'demo-eks/agents/support-agent', label: 'K8sServiceAccount', first: 100 });
    expect(sa.neighbours).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'USES_IDENTITY', direction: 'IN', other: expect.objectContaining({ id: 'support-agent' }) })]));
    const { node: few } = await data<{ node: N }>(NODE, { id: 'support-agent', first: 2 });
    expect(few.neighbours).toEqual(n.neighbours.slice(0, 2));
  });

  test('given an unknown id, null; an id two labels share, BAD_INPUT until the label is given; a bad label, BAD_INPUT', async () => {
    expect(await data(NODE, { id: `${P}-nothing` })).toEqual({ node: null });
    const a = await gql(NODE, { id: 'demo-eks/agents/support-agent' });
    expect({ code: codeOf(a), message: a.body.errors?.[0]?.message }).toEqual({ code: 'BAD_INPUT', message: expect.stringMatching(/K8sService, K8sServiceAccount.*give label/) });
    expect(codeOf(await gql(NODE, { id: 'support-agent', label: 'NotALabel) DETACH DELETE (x' }))).toBe('BAD_INPUT');
    expect(codeOf(await gql(NODE, { id: 'support-agent', first: 0 }))).toBe('BAD_INPUT');
  });

  const SEARCH = `query($text: String!, $first: Int) { search(text: $text, first: $first) { id label name } }`;
  type S = { id: string; label: string; name: string | null }[];

  test('given words, then nodes of the main labels whose id or name match, exact matches first', async () => {
    const { search } = await data<{ search: S }>(SEARCH, { text: 'support-agent', first: 100 });
    expect(search.slice(0, 4).every((s) => s.id === 'support-agent' || s.name === 'support-agent')).toBe(true);
    expect(search).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'support-agent', label: 'AIAgent' }), expect.objectContaining({ id: 'arn:aws:iam::111122223333:role/support-agent-role', label: 'AWSRole' })]));
    const { search: dotted } = await data<{ search: S }>(SEARCH, { text: 'qdrant.data' });
    expect(dotted.map((s) => s.id)).toContain('http://qdrant.data.svc:6333');
    const { search: typeahead } = await data<{ search: S }>(SEARCH, { text: `${P}-pg-CHAR` });
    expect(typeahead[0]).toMatchObject({ id: `${P}-pg-c`, label: 'AIAgent', name: 'charlie' });
    const { search: arn } = await data<{ search: S }>(SEARCH, { text: 'arn:aws:iam::111122223333:role/support-agent-role' });
    expect(arn[0]).toMatchObject({ id: 'arn:aws:iam::111122223333:role/support-agent-role' });
    expect(await data(SEARCH, { text: '*:* ()' })).toEqual({ search: [] });
    const { search: withEdges } = await data<{ search: { id: string; neighbours: { type: string; other: { id: string } }[] }[] }>(`{ search(text: "${P}-pg-a", first: 3) { id neighbours(first: 5) { type other { id } } } }`);
    expect(withEdges.find((s) => s.id === `${P}-pg-a`)?.neighbours).toEqual([{ type: 'MAY_USE_TOOL', other: { id: `${P}/mcp` } }]);
    expect(codeOf(await gql(SEARCH, { text: 'x', first: 101 }))).toBe('BAD_INPUT');
    expect(codeOf(await gql(SEARCH, { text: 'x'.repeat(201) }))).toBe('BAD_INPUT');
  });

  test('given hostile search text, then it is data: hits or none, never a failed query', async () => {
    const hostile = ['") OR 1=1 //', '\\', 'AND OR NOT', 'a~2^3', '[a TO z]', '{!lucene}x', 'id:*', '/.*/', '"unclosed', 'a && b || c', "'; MATCH (n) DETACH DELETE n //", '\u0000\uffff', '🙂 agent'];
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...hostile), fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 30 })), async (text) => {
        const a = await gql(SEARCH, { text, first: 5 });
        expect({ text, errors: a.body.errors }).toEqual({ text, errors: undefined });
      }),
      { numRuns: 60 },
    );
  });
});

describe('cost', () => {
  const BATCHED = `query($first: Int) { agents(first: $first, filter: { text: "${P}-bulk-" }, orderBy: NAME_ASC) { edges { node { id identities { id label } declaredEdgeCount observedEdgeCount } } } }`;

  test('given pages of 5 and of 50 agents, then both cost the same number of Neo4j statements', async () => {
    const small = await gql(BATCHED, { first: 5 });
    const large = await gql(BATCHED, { first: 50 });
    expect(small.body.errors).toBeUndefined();
    expect(large.body.errors).toBeUndefined();
    type E = { node: { id: string; identities: { id: string }[]; declaredEdgeCount: number } }[];
    const edges = (a: GqlAnswer) => (a.body.data as { agents: { edges: E } }).agents.edges;
    expect([edges(small).length, edges(large).length]).toEqual([5, 50]);
    expect(edges(large)[7]!.node).toMatchObject({ id: `${P}-bulk-07`, identities: [{ id: `${P}/ns/sa-7` }] });
    const statements = [small, large].map((a) => Number(a.headers.get('x-reachgraph-neo4j-statements')));
    expect(statements[0]).toBeGreaterThan(0);
    expect(statements[1]).toBe(statements[0]);
  });

  test('given a read timeout, then Neo4j stops a long read and the error is QUERY_TIMEOUT', async () => {
    const quick = graph.withOptions({ readTimeoutMs: 100 });
    await expect(quick.readText('UNWIND range(1, 500000000) AS x WITH x WHERE x % 7 = 123 RETURN count(*) AS n', {}, 'test-timeout')).rejects.toMatchObject({ code: 'QUERY_TIMEOUT' });
    expect(loadConfig({ REACHGRAPH_API_QUERY_TIMEOUT_MS: '2500' }).api.queryTimeoutMs).toBe(2500);
    expect(() => loadConfig({ REACHGRAPH_API_QUERY_TIMEOUT_MS: '5' })).toThrow(/REACHGRAPH_API_QUERY_TIMEOUT_MS/);
  });
});
