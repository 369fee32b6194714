/**
 * Stored findings against the real Neo4j on the demo estate: the refresh materializes the findings report
 * as Finding nodes with stable ids, resolves only after a complete refresh, risk acceptances keep their
 * audit trail and expire, and the GraphQL API pages, filters and accepts (admin only).
 *
 * The test graph is shared by the files of a run and kept between runs, so assertions are about the demo
 * agents and relative to what was there before (a former run's acceptances stay: they are the audit trail).
 */
import { createApiKey } from '../../src/api/keys.js';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/config.js';
import { loadDemoEstate } from '../../src/demo/estate.js';
import { InputError } from '../../src/errors.js';
import type { Graph } from '../../src/graph/driver.js';
import { loadCatalog } from '../../src/risk/findings.js';
import { findingId, riskScore } from '../../src/risk/finding-state.js';
import { findings } from '../../src/risk/run.js';
import { acceptRisk, findingsById, findingsOfAgents, listFindings, refreshFindings, type StoredFinding } from '../../src/risk/store.js';
import { register as registerFindings } from '../../src/cli/verbs/findings.js';
import { testGraph } from '../helpers/graph.js';
import { runVerb } from '../helpers/run-verb.js';
import { expectStampedSince } from '../helpers/stamp.js';

const DEMO = ['support-agent', 'research-agent', 'gen-1-agent-0', 'gen-1-agent-1', 'gen-1-agent-2'];
const TOKEN = 'findings-store-test-token-0123456789';
const DAY = 86_400_000;
/** Acceptances the tests make run out soon after the file, so the next run finds the demo findings open again. */
const SOON = 15 * 60_000;
let graph: Graph;
let api: RunningServer;
let adminKey: { id: string; key: string };
let viewerKey: { key: string };
/** The agent whose finding the acceptance test accepted (for the status filter later). */
let acceptedAgent = 'support-agent';
/** The finding the acceptance test accepted, and the expiry its latest acceptance set. */
let acceptedFinding: { id: string; until: string } | undefined;

type GqlBody = { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[] };
async function gql(query: string, variables: Record<string, unknown> = {}, key = adminKey.key): Promise<GqlBody> {
  const res = await fetch(new URL('graphql', api.url), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as GqlBody;
}

async function gqlRaw(query: string): Promise<{ body: GqlBody; statements: number }> {
  const res = await fetch(new URL('graphql', api.url), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey.key}` }, body: JSON.stringify({ query }) });
  return { body: (await res.json()) as GqlBody, statements: Number(res.headers.get('x-reachgraph-neo4j-statements')) };
}

/** An open stored finding, of `agent` when it has one, else of another demo agent (a former run's acceptances may still run). */
async function openFinding(agent: string): Promise<StoredFinding> {
  const current = await findingsOfAgents(graph, DEMO);
  const f = [agent, ...DEMO].flatMap((a) => current.get(a)!).find((x) => x.status === 'open');
  expect(f).toBeDefined();
  return f!;
}

/** Every stored finding of the demo agents, any status. */
async function demoStored(): Promise<StoredFinding[]> {
  const out: StoredFinding[] = [];
  for (const agent of DEMO) {
    const page = await listFindings(graph, { filter: { agent }, first: 500 });
    expect(page.hasNext).toBe(false);
    out.push(...page.findings);
  }
  return out;
}

/** The ids the live report finds for the demo agents. */
async function liveDemoIds(catalog?: ReturnType<typeof loadCatalog>): Promise<string[]> {
  const r = await findings(graph, { catalog });
  return r.findings.filter((f) => DEMO.includes(f.subject.id)).map((f) => findingId(f.ruleId, f.subject, f.target)).sort();
}

/** Relationships a test removed, put back after the file so the next run finds the demo estate whole. */
const removed: { from: string; to: string; props: Record<string, unknown> }[] = [];

async function deleteRel(from: string, type: 'MAY_USE_TOOL', to: string): Promise<number> {
  return graph.inWriteTx('test-delete-evidence', async (tx) => {
    const res = await tx.run('MATCH (a:AIAgent {id: $from})-[r]->(b {id: $to}) WHERE type(r) = $type WITH r, properties(r) AS props DELETE r RETURN props', { from, to, type });
    for (const r of res.records) removed.push({ from, to, props: r.get('props') as Record<string, unknown> });
    return res.records.length;
  });
}

beforeAll(async () => {
  graph = await testGraph();
  const loaded = await loadDemoEstate(graph);
  expect(loaded.filter((r) => !r.ok)).toEqual([]);
  const agents = await graph.readText('MATCH (a:AIAgent) WHERE a.id IN $ids RETURN a.id AS id ORDER BY id', { ids: DEMO }, 'test');
  expect(agents.map((a) => a.id)).toEqual([...DEMO].sort());
  api = await startApi(graph, loadConfig({ ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: TOKEN }));
  adminKey = await createApiKey(graph, { name: 'findings-admin', role: 'admin' });
  viewerKey = await createApiKey(graph, { name: 'findings-viewer', role: 'viewer' });
}, 900_000);
afterAll(async () => {
  for (const r of removed) await graph.inWriteTx('test-restore-evidence', (tx) => tx.run('MATCH (a:AIAgent {id: $from}), (b {id: $to}) CREATE (a)-[r:MAY_USE_TOOL]->(b) SET r = $props', r));
  await api?.stop();
  await graph?.close();
});

describe('findings refresh', () => {
  let first: StoredFinding[];

  test('given the demo estate, when refreshed twice, then every finding of the report is stored once under the same stable id, linked to its agent, with firstSeen kept and lastSeen moved', async () => {
    const r1 = await refreshFindings(graph);
    expect(r1).toMatchObject({ complete: true, failures: [], resolved: expect.any(Number) });
    const live = await liveDemoIds();
    expect(live.length).toBeGreaterThan(10);
    first = await demoStored();
    expect(first.filter((f) => f.status !== 'resolved').map((f) => f.id).sort()).toEqual(live);
    for (const f of first.filter((x) => x.status !== 'resolved')) expect(f.lastSeen).toBe(r1.startedAt);

    // The gen-1 plant: agent 0's role may escalate to the admin role (RG-001), with its catalog mappings.
    const esc = first.find((f) => f.ruleId === 'RG-001' && f.subject.id === 'gen-1-agent-0')!;
    expect(esc).toMatchObject({ severity: 'critical', subject: { label: 'AIAgent', id: 'gen-1-agent-0' }, target: expect.stringMatching(/:role\/gen-1-admin$/) });
    expect(['open', 'accepted']).toContain(esc.status);
    expect(esc.id).toBe(findingId('RG-001', { label: 'AIAgent', id: 'gen-1-agent-0' }, esc.target));
    expect(esc.frameworks).toEqual(expect.arrayContaining([{ framework: 'owasp-llm', id: 'LLM06:2025', name: 'Excessive Agency' }, { framework: 'soc2', id: 'CC6.1', name: null }]));
    expect(esc.path.map((h) => h.type)).toContain('MAY_ESCALATE_TO');

    const links = await graph.readText('MATCH (f:Finding)-[:FINDING_OF]->(a:AIAgent) WHERE f.id IN $ids RETURN f.id AS id, a.id AS agent', { ids: live }, 'test');
    expect(links.length).toBe(live.length);
    const byId = new Map(first.map((f) => [f.id, f]));
    for (const l of links) expect(l.agent).toBe(byId.get(String(l.id))!.subject.id);

    const r2 = await refreshFindings(graph);
    expect(r2).toMatchObject({ complete: true, created: 0, resolved: 0, found: r1.found });
    const second = await demoStored();
    expect(second.map((f) => f.id).sort()).toEqual(first.map((f) => f.id).sort());
    for (const f of second) {
      expect(f.firstSeen).toBe(byId.get(f.id)!.firstSeen);
      if (f.status !== 'resolved') expect(f.lastSeen).toBe(r2.startedAt);
    }
  });

  test('given a refresh, then each demo agent\'s riskScore follows from the priorities of its open findings', async () => {
    const rows = await graph.readText('MATCH (a:AIAgent) WHERE a.id IN $ids RETURN a.id AS id, a.riskScore AS riskScore, a.openFindings AS open', { ids: DEMO }, 'test');
    const current = await findingsOfAgents(graph, DEMO);
    for (const r of rows) {
      const open = current.get(String(r.id))!.filter((f) => f.status === 'open');
      expect({ id: r.id, riskScore: r.riskScore, open: r.open }).toEqual({ id: r.id, riskScore: riskScore(open.map((f) => f.priority)), open: open.length });
    }
    // The top open priority is a floor; an agent with open findings scores above 0, one without scores 0.
    for (const r of rows) {
      const open = current.get(String(r.id))!.filter((f) => f.status === 'open').map((f) => f.priority);
      expect(Number(r.riskScore)).toBeGreaterThanOrEqual(Math.max(0, ...open));
      expect(Number(r.riskScore) > 0).toBe(open.length > 0);
    }
    expect(rows.some((r) => Number(r.riskScore) > 50)).toBe(true);
  });

  test('given a tool link removed from the estate, when refreshed, then exactly the findings that link supported are resolved', async () => {
    const target = first.find((f) => f.ruleId === 'RG-003' && f.subject.id === 'research-agent' && f.target.endsWith('/create_pull_request'))!;
    expect(target).toBeDefined();
    const hop = target.path[0]!;
    expect(hop.type).toBe('MAY_USE_TOOL');
    const before = (await demoStored()).filter((f) => f.status !== 'resolved');
    expect(await deleteRel(hop.from, 'MAY_USE_TOOL', hop.to)).toBe(1);

    const live = new Set(await liveDemoIds());
    const gone = before.filter((f) => !live.has(f.id)).map((f) => f.id).sort();
    expect(gone).toContain(target.id);
    const r = await refreshFindings(graph);
    expect(r.complete).toBe(true);
    expect(r.resolved).toBeGreaterThanOrEqual(gone.length);

    const after = await demoStored();
    expect(after.filter((f) => f.status === 'resolved' && before.some((b) => b.id === f.id)).map((f) => f.id).sort()).toEqual(gone);
    const resolved = after.find((f) => f.id === target.id)!;
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolvedAt! >= r.startedAt).toBe(true);
    expect(after.filter((f) => f.status !== 'resolved').map((f) => f.id).sort()).toEqual([...live].sort());
  });

  test('given a catalog query that throws, when refreshed, then what was found is stored, the refresh says it is incomplete and nothing is resolved', async () => {
    const victim = first.find((f) => f.ruleId === 'RG-003' && f.subject.id === 'gen-1-agent-1')!;
    expect(victim).toBeDefined();
    const hop = victim.path[0]!;
    expect(await deleteRel(hop.from, 'MAY_USE_TOOL', hop.to)).toBe(1);
    const catalog = loadCatalog();
    const broken = [...catalog, { ...catalog[0]!, id: 'RG-999', query: 'risk/findings/no-such-query' }];

    const r = await refreshFindings(graph, { catalog: broken });
    expect(r.complete).toBe(false);
    expect(r.failures.map((f) => f.rule)).toContain('RG-999');
    expect(r.resolved).toBe(0);
    const [still] = await findingsById(graph, [victim.id]);
    expect(still!.status).not.toBe('resolved');
    expect(still!.lastSeen < r.startedAt).toBe(true);
    const others = (await demoStored()).filter((f) => f.id !== victim.id && f.status !== 'resolved');
    for (const f of others) expect(f.lastSeen).toBe(r.startedAt);

    const ok = await refreshFindings(graph);
    expect(ok.complete).toBe(true);
    const [now] = await findingsById(graph, [victim.id]);
    expect(now!.status).toBe('resolved');
  });
});

describe('risk acceptance', () => {
  test('given an open finding, when accepted twice, then each acceptance is kept with who, when and why, the latest governs, and the agent\'s riskScore leaves it out', async () => {
    const f = await openFinding('support-agent');
    acceptedAgent = f.subject.id;
    const history = f!.acceptances.length;
    const expires = new Date(Date.now() + SOON).toISOString();
    const before = Date.now();
    const a = await acceptRisk(graph, { findingId: f!.id, reason: '  egress goes through the audited proxy  ', expires, by: 'alice' });
    expect(a.status).toBe('accepted');
    expect(a.acceptance).toMatchObject({ by: 'alice', reason: 'egress goes through the audited proxy', expires });
    // Stamped by this call: a time, not before it.
    expectStampedSince(a.acceptance!.at, before);

    const later = new Date(Date.now() + SOON / 2).toISOString();
    acceptedFinding = { id: f!.id, until: later };
    const b = await acceptRisk(graph, { findingId: f!.id, reason: 'proxy migration slipped a week', expires: later, by: 'bob' });
    expect(b.acceptances.length).toBe(history + 2);
    expect(b.acceptance).toMatchObject({ by: 'bob', reason: 'proxy migration slipped a week', expires: later });
    expect(b.acceptances.map((x) => x.by).slice(0, 2)).toEqual(['bob', 'alice']);
    const nodes = await graph.readText('MATCH (r:RiskAcceptance)-[:ACCEPTS]->(:Finding {id: $id}) RETURN r.by AS by, r.reason AS reason, r.expires AS expires, r.at AS at', { id: f!.id }, 'test');
    expect(nodes.length).toBe(history + 2);
    expect(nodes).toEqual(expect.arrayContaining([expect.objectContaining({ by: 'alice', reason: 'egress goes through the audited proxy', expires }), expect.objectContaining({ by: 'bob', expires: later })]));

    const accepted = await listFindings(graph, { filter: { agent: acceptedAgent, status: 'accepted' }, first: 500 });
    expect(accepted.findings.map((x) => x.id)).toContain(f!.id);
    const open = (await findingsOfAgents(graph, [acceptedAgent])).get(acceptedAgent)!.filter((x) => x.status === 'open');
    expect(open.map((x) => x.id)).not.toContain(f!.id);
    const [row] = await graph.readText('MATCH (a:AIAgent {id: $id}) RETURN a.riskScore AS s', { id: acceptedAgent }, 'test');
    expect(row!.s).toBe(riskScore(open.map((x) => x.priority)));
  });

  test('given an acceptance that has expired, then the finding reads open again, at read time and after a refresh', async () => {
    const f = await openFinding('gen-1-agent-2');
    const then = new Date(Date.now() - 10 * DAY);
    const a = await acceptRisk(graph, { findingId: f!.id, reason: 'accepted for the pilot', expires: new Date(Date.now() - 5 * DAY).toISOString(), by: 'carol' }, { now: then });
    expect(a.acceptances.find((x) => x.by === 'carol')).toMatchObject({ reason: 'accepted for the pilot', at: then.toISOString() });
    const [row] = await graph.readText('MATCH (f:Finding {id: $id}) RETURN f.acceptedUntil AS until', { id: f!.id }, 'test');
    // A backdated acceptance never overrides a later one: the latest by `at` governs.
    expect(row!.until).toBe(a.acceptances[0]!.expires);
    const [now] = await findingsById(graph, [f!.id]);
    expect(now!.status).toBe('open');
    const [past] = await findingsById(graph, [f!.id], new Date(Date.now() - 7 * DAY));
    expect(past!.status).toBe('accepted');
    await refreshFindings(graph);
    const [stored] = await graph.readText('MATCH (f:Finding {id: $id}) RETURN f.status AS status', { id: f!.id }, 'test');
    expect(stored!.status).toBe('open');
  });

  test('given a bad acceptance, then a coded error names the argument and nothing is recorded', async () => {
    const [f] = (await findingsOfAgents(graph, ['research-agent'])).get('research-agent')!;
    const count = async () => Number((await graph.readText('MATCH (r:RiskAcceptance {findingId: $id}) RETURN count(r) AS n', { id: f!.id }, 'test'))[0]!.n);
    const before = await count();
    const cases: [Partial<Parameters<typeof acceptRisk>[1]>, RegExp][] = [
      [{ expires: new Date(Date.now() - DAY).toISOString() }, /^expires: .* is not in the future/],
      [{ expires: new Date(Date.now() + 400 * DAY).toISOString() }, /^expires: .* more than a year ahead/],
      [{ expires: 'next tuesday' }, /^expires: "next tuesday" is not an ISO-8601 date/],
      [{ reason: '   ' }, /^reason: must say why/],
      [{ findingId: 'RG-001-00000000000000000000' }, /^findingId: no stored finding has id/],
      [{ findingId: "x' OR 1=1 //" }, /^findingId: .* is not a finding id/],
    ];
    for (const [change, message] of cases) {
      const p = acceptRisk(graph, { findingId: f!.id, reason: 'ok', expires: new Date(Date.now() + DAY).toISOString(), by: 'dave', ...change });
      await expect(p).rejects.toBeInstanceOf(InputError);
      await expect(p).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(message) });
    }
    expect(await count()).toBe(before);
  });
});

describe('findings through GraphQL', () => {
  const PAGE = `query($first: Int, $after: String, $filter: FindingFilter) { findings(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id ruleId severity priority status subject { id label } target exercised entry firstSeen lastSeen
      frameworks { framework id name } path { type from to declared observed } acceptance { by reason expires } } } } }`;

  test('given pages of 3, then walking them returns the filter\'s findings exactly once each, highest priority first, as the store holds them', async () => {
    const expected = (await listFindings(graph, { filter: { agent: 'support-agent' }, first: 500 })).findings;
    expect(expected.length).toBeGreaterThan(3);
    const seen: any[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r = await gql(PAGE, { first: 3, after, filter: { agent: 'support-agent' } });
      expect(r.errors).toBeUndefined();
      const c = r.data!.findings;
      expect(c.totalCount).toBe(expected.length);
      expect(c.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...c.edges.map((e: any) => e.node));
      pages++;
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(pages).toBe(Math.ceil(expected.length / 3));
    expect(seen.map((n) => n.id)).toEqual(expected.map((f) => f.id));
    for (let i = 1; i < seen.length; i++) expect(seen[i - 1].priority).toBeGreaterThanOrEqual(seen[i].priority);
    const top = seen[0];
    const want = expected[0]!;
    expect(top).toMatchObject({ ruleId: want.ruleId, severity: want.severity, priority: want.priority, status: want.status, subject: { id: 'support-agent', label: 'AIAgent' }, target: want.target, firstSeen: want.firstSeen });
    expect(top.frameworks).toEqual(want.frameworks);
    expect(top.path.map((h: any) => [h.type, h.observed])).toEqual(want.path.map((h) => [h.type, h.type.startsWith('DID_')]));
  });

  test('given filters on severity, framework and status, then every finding returned matches them and the known ones are there', async () => {
    const crit = await gql(PAGE, { first: 100, filter: { severity: ['critical'], agent: 'gen-1-agent-0' } });
    expect(crit.errors).toBeUndefined();
    const critNodes = crit.data!.findings.edges.map((e: any) => e.node);
    expect(critNodes.length).toBeGreaterThan(0);
    for (const n of critNodes) expect(n.severity).toBe('critical');
    expect(critNodes.map((n: any) => `${n.ruleId} ${n.subject.id}`)).toContain('RG-001 gen-1-agent-0');

    // LLM01 (prompt injection) is mapped by RG-004 only; the short id matches LLM01:2025.
    const inj = await gql(PAGE, { first: 100, filter: { framework: 'llm01', agent: 'support-agent' } });
    const injNodes = inj.data!.findings.edges.map((e: any) => e.node);
    expect(injNodes.length).toBeGreaterThan(0);
    for (const n of injNodes) {
      expect(n.ruleId).toBe('RG-004');
      expect(n.frameworks).toContainEqual({ framework: 'owasp-llm', id: 'LLM01:2025', name: 'Prompt Injection' });
    }
    const hipaa = await gql(PAGE, { first: 100, filter: { framework: 'HIPAA', agent: 'support-agent' } });
    expect(hipaa.data!.findings.totalCount).toBe((await listFindings(graph, { filter: { agent: 'support-agent' }, first: 500 })).findings.filter((f) => f.frameworks.some((x) => x.framework === 'hipaa')).length);

    const acc = await gql(PAGE, { first: 100, filter: { status: 'accepted', agent: acceptedAgent } });
    const accNodes = acc.data!.findings.edges.map((e: any) => e.node);
    expect(accNodes.length).toBeGreaterThan(0);
    for (const n of accNodes) expect(n.status).toBe('accepted');
    expect(accNodes.find((n: any) => n.id === acceptedFinding?.id)?.acceptance.expires).toBe(acceptedFinding?.until);
    const res = await gql(PAGE, { first: 100, filter: { status: 'resolved', agent: 'research-agent' } });
    expect(res.data!.findings.edges.map((e: any) => e.node.target)).toContain('mcp/research-agent/github/create_pull_request');
  });

  test('given bad arguments, then coded errors name them', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ filter: { severity: ['urgent'] } }, /^filter\.severity: /],
      [{ filter: { status: 'closed' } }, /^filter\.status: /],
      [{ after: 'not-a-cursor' }, /^after: not a cursor/],
      [{ first: 0 }, /^first: /],
      [{ first: 100000 }, /^first: /],
    ];
    for (const [vars, message] of cases) {
      const r = await gql(PAGE, { first: 10, ...vars });
      expect({ vars, code: r.errors?.[0]?.extensions?.code }).toEqual({ vars, code: 'BAD_INPUT' });
      expect(r.errors![0]!.message).toMatch(message);
    }
    const hostile = await gql(PAGE, { first: 10, filter: { agent: "') MATCH (n) DETACH DELETE n //", framework: '{{label}}' } });
    expect(hostile.errors).toBeUndefined();
    expect(hostile.data!.findings).toMatchObject({ totalCount: 0, edges: [] });
  });

  const ACCEPT = `mutation($id: ID!, $reason: String!, $expires: DateTime!) { acceptRisk(findingId: $id, reason: $reason, expires: $expires) { id status acceptance { by at reason expires } acceptances { by } } }`;

  test('given acceptRisk as admin, then the finding is accepted by that key; as viewer it is refused as FORBIDDEN and nothing is recorded', async () => {
    const f = await openFinding('gen-1-agent-0');
    const count = async () => Number((await graph.readText('MATCH (r:RiskAcceptance {findingId: $id}) RETURN count(r) AS n', { id: f!.id }, 'test'))[0]!.n);
    const before = await count();
    const expires = new Date(Date.now() + SOON).toISOString();

    const denied = await gql(ACCEPT, { id: f!.id, reason: 'viewer tries', expires }, viewerKey.key);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(denied.data ?? null).toBeNull();
    expect(await count()).toBe(before);

    const ok = await gql(ACCEPT, { id: f!.id, reason: 'isolated sandbox account', expires });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.acceptRisk).toMatchObject({ id: f!.id, status: 'accepted', acceptance: { by: `key:${adminKey.id}:findings-admin`, reason: 'isolated sandbox account', expires } });
    expect(await count()).toBe(before + 1);

    const past = await gql(ACCEPT, { id: f!.id, reason: 'x', expires: new Date(Date.now() - DAY).toISOString() });
    expect(past.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_INPUT' }, message: expect.stringMatching(/^expires: /) });
    const empty = await gql(ACCEPT, { id: f!.id, reason: '', expires });
    expect(empty.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_INPUT' }, message: expect.stringMatching(/^reason: /) });
    expect(await count()).toBe(before + 1);
  });

  test('given a page of agents, then Agent.findings costs one Neo4j statement whatever the page size and returns each agent\'s current findings', async () => {
    const query = (first: number, withFindings: boolean) => `{ agents(first: ${first}, filter: { text: "agent" }, orderBy: NAME_ASC) { edges { node { id ${withFindings ? 'findings { id status priority }' : ''} } } } }`;
    // The API counts the statements a request sent (x-reachgraph-neo4j-statements): the field's cost is the difference.
    const cost = async (first: number) => (await gqlRaw(query(first, true))).statements - (await gqlRaw(query(first, false))).statements;
    // A key's last use is written at most once a minute, as a statement of the request: spend it before measuring.
    await gqlRaw(query(1, false));
    expect(await cost(1)).toBe(1);
    expect(await cost(100)).toBe(1);
    const r = await gqlRaw(query(100, true));
    expect(r.body.errors).toBeUndefined();
    expect(r.statements).toBeGreaterThan(0);
    const nodes = r.body.data!.agents.edges.map((e: any) => e.node) as { id: string; findings: unknown[] }[];
    // Other files' agents share the graph: the page holds at least the gen-1 agents (names sort first).
    const demo = nodes.filter((n) => DEMO.includes(n.id));
    expect(demo.length).toBeGreaterThanOrEqual(3);
    const want = await findingsOfAgents(graph, DEMO);
    for (const n of demo) {
      expect(n.findings.length).toBeGreaterThan(0);
      expect({ id: n.id, findings: n.findings }).toEqual({ id: n.id, findings: want.get(n.id)!.map((f) => ({ id: f.id, status: f.status, priority: f.priority })) });
    }
  });
});

describe('findings on the command line', () => {
  test('given --refresh, --stored and accept, then the CLI stores, lists and accepts with the CLI user as who, and names a bad flag', async () => {
    const refreshed = JSON.parse(await runVerb(registerFindings, ['findings', '--refresh', '--format', 'json']));
    expect(refreshed).toMatchObject({ complete: true, failures: [] });
    const current = await findingsOfAgents(graph, DEMO);
    const agent = DEMO.find((a) => current.get(a)!.some((f) => f.status === 'open'))!;
    const listed = JSON.parse(await runVerb(registerFindings, ['findings', '--stored', '--agent', agent, '--status', 'open', '--format', 'json']));
    const want = await listFindings(graph, { filter: { agent, status: 'open' }, first: 100 });
    expect(want.findings.length).toBeGreaterThan(0);
    expect(listed.findings.map((f: StoredFinding) => f.id)).toEqual(want.findings.map((f) => f.id));
    const id = listed.findings[0].id as string;

    const until = new Date(Date.now() + SOON).toISOString();
    const accepted = JSON.parse(await runVerb(registerFindings, ['findings', 'accept', id, '--reason', 'batch job only, no network', '--expires', until, '--format', 'json']));
    expect(accepted).toMatchObject({ id, status: 'accepted', acceptance: { by: expect.stringMatching(/^cli:.+@.+/), reason: 'batch job only, no network', expires: until } });

    await expect(runVerb(registerFindings, ['findings', 'accept', id, '--reason', 'x', '--expires', '2020-01-01'])).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/^--expires: /) });
    await expect(runVerb(registerFindings, ['findings', '--refresh', '--subject', 'support-agent'])).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/^--subject: not with --refresh/) });
  });
});
