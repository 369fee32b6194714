// GraphQL subscriptions over graphql-ws (issues 14 and 15) against the real API server and the real test
// Neo4j: a graphql-ws client over `ws` subscribes, the behaviour engine's detect writes a drift event
// (and a findings refresh a new finding) and it arrives; connections without a valid viewer credential,
// from a foreign Host or Origin, or carrying queries are refused with codes.
import crypto from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createApiKey } from '../../src/api/keys.js';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { detect, learn, lock } from '../../src/behavior/store.js';
import { loadConfig } from '../../src/config.js';
import type { Graph } from '../../src/graph/driver.js';
import { runSync } from '../../src/graph/ingest.js';
import { node, rel } from '../../src/graph/records.js';
import { refreshFindings } from '../../src/risk/store.js';
import { get } from '../helpers/api-client.js';
import { testGraph } from '../helpers/graph.js';
import { observedAgent } from '../helpers/observed-agent.js';

const TOKEN = 'test-token-subscriptions-0123456789';
let graph: Graph;
let api: RunningServer;
let viewer: string;
let ingestOnly: string;
const clients: Client[] = [];

const wsUrl = () => api.url.replace(/^http/, 'ws') + 'graphql';

function client(credential: string | undefined, onClose?: (code: number, reason: string) => void): Client {
  const c = createClient({
    url: wsUrl(),
    webSocketImpl: WebSocket,
    connectionParams: credential ? { authorization: `Bearer ${credential}` } : {},
    retryAttempts: 0,
    on: { closed: (e) => onClose?.((e as { code: number }).code, String((e as { reason?: string }).reason ?? '')) },
  });
  clients.push(c);
  return c;
}

/** Collects a subscription's results; `next(pred)` waits for the first one matching (the test's timeout bounds it). */
function collect<T>(c: Client, query: string, variables: Record<string, unknown> = {}) {
  const results: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] }[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  const unsubscribe = c.subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        results.push(r as never);
        waiters.splice(0).forEach((w) => w());
      },
      error: (e) => {
        results.push({ errors: Array.isArray(e) ? (e as never) : [{ message: String((e as Error)?.message ?? e) }] });
        ended = true;
        waiters.splice(0).forEach((w) => w());
      },
      complete: () => {
        ended = true;
        waiters.splice(0).forEach((w) => w());
      },
    },
  );
  return {
    results,
    unsubscribe,
    get ended() {
      return ended;
    },
    async next(pred: (r: (typeof results)[number]) => boolean): Promise<(typeof results)[number]> {
      for (;;) {
        const hit = results.find(pred);
        if (hit) return hit;
        if (ended) throw new Error(`subscription ended without a match: ${JSON.stringify(results)}`);
        await new Promise<void>((r) => waiters.push(r));
      }
    },
  };
}

/** Waits until the server runs at least `n` subscriptions (its /metrics gauge), so an event written next is not missed by a subscriber still registering. */
async function subscriptionsRunning(n: number): Promise<void> {
  for (;;) {
    const m = await get(api.url, 'metrics', TOKEN);
    const v = Number(/^reachgraph_api_subscriptions (\d+)/m.exec(m.text)?.[1] ?? -1);
    if (v >= n) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A raw graphql-transport-ws connection: the close code and reason the server ends it with, or the HTTP status an upgrade is refused with. */
function rawConnect(init: unknown, headers: Record<string, string> = {}): Promise<{ close?: number; reason?: string; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(wsUrl(), 'graphql-transport-ws', { headers });
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: init })));
    ws.on('close', (code, reason) => resolve({ close: code, reason: reason.toString() }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode });
      res.resume();
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}

beforeAll(async () => {
  graph = await testGraph();
  api = await startApi(graph, loadConfig({ ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: TOKEN }), { limits: { subscriptionPollMs: 250, maxSubscriptionsPerConnection: 3 } });
  const tag = crypto.randomBytes(4).toString('hex');
  viewer = (await createApiKey(graph, { name: `sub-viewer-${tag}`, role: 'viewer' })).key;
  ingestOnly = (await createApiKey(graph, { name: `sub-ingest-${tag}`, role: 'ingest' })).key;
}, 600_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await api.stop();
  await graph.close();
});

type DriftData = { driftEvents: { id: string; subject: string; kind: string; target: string; classification: string; detectedAt: string } };
const DRIFT = 'subscription D($a: ID) { driftEvents(agent: $a) { id subject kind target classification detectedAt } }';

describe('subscriptions over graphql-ws', () => {
  test('given a viewer subscribed to an agent\'s drift, when the behaviour engine detects drift against its locked baseline, then the event arrives; a subscriber to another agent gets nothing', async () => {
    const own = observedAgent(graph, 'api-sub');
    await own.load();
    await learn(graph, own.workload, { from: own.t0, windowMs: 30 * 60_000 });
    await lock(graph, own.workload);

    const c = client(viewer);
    const mine = collect<DriftData>(c, DRIFT, { a: own.agent });
    const bySubject = collect<DriftData>(c, DRIFT, { a: own.workload });
    const other = collect<DriftData>(client(viewer), DRIFT, { a: 'support-agent' });
    await subscriptionsRunning(3);

    await own.load({ later: true });
    const written = Date.now();
    const [detected] = await detect(graph, { subject: own.workload });
    expect(detected!.events.map((e) => [e.kind, e.target, e.created])).toEqual([['connect', own.newEndpoint, true]]);

    const got = await mine.next((r) => r.data?.driftEvents.subject === own.workload);
    const arrivedMs = Date.now() - written;
    expect(got.errors).toBeUndefined();
    expect(got.data!.driftEvents).toMatchObject({ id: detected!.events[0]!.id, subject: own.workload, kind: 'connect', target: own.newEndpoint, classification: 'unexplained' });
    expect((await bySubject.next((r) => r.data?.driftEvents.subject === own.workload)).data!.driftEvents.id).toBe(detected!.events[0]!.id);
    // Figures for docs/behavior.md (not asserted: no test asserts a duration).
    process.stderr.write(`api-subscriptions: drift event pushed ${arrivedMs} ms after detect began writing\n`);

    // Detect again: the same event is updated, not new, so nothing more is pushed.
    await detect(graph, { subject: own.workload });
    await subscriptionsRunning(3);
    await new Promise((r) => setTimeout(r, 1000));
    expect(mine.results.filter((r) => r.data?.driftEvents.subject === own.workload)).toHaveLength(1);
    expect(other.results.filter((r) => r.data?.driftEvents.subject === own.workload)).toEqual([]);
    mine.unsubscribe();
    bySubject.unsubscribe();
    other.unsubscribe();
  });

  test('given a viewer subscribed to findingAdded, when a findings refresh first stores a finding, then it arrives', async () => {
    const own = observedAgent(graph, 'api-sub-find');
    await own.load();
    const file = `/home/${crypto.randomBytes(4).toString('hex')}/.aws/credentials`;
    await runSync(graph, { source: 'test-sensor', scope: `${own.workload}-open`, progress: false }, (sink) =>
      sink.write({ nodes: [node('File', file, { class: 'credential', relative: false })], rels: [rel('DID_OPEN', { label: 'Workload', id: own.workload }, { label: 'File', id: file }, { count: 1, firstSeen: new Date(own.t0).toISOString(), lastSeen: new Date(own.t0).toISOString(), key: '/usr/bin/python3', props: { class: 'credential', executable: '/usr/bin/python3' } })] }),
    );
    const c = client(viewer);
    const added = collect<{ findingAdded: { id: string; ruleId: string; subject: { id: string }; target: string; status: string; exercised: boolean } }>(c, 'subscription { findingAdded { id ruleId subject { id } target status exercised } }');
    await subscriptionsRunning(1);
    await refreshFindings(graph);
    const got = await added.next((r) => r.data?.findingAdded.subject.id === own.agent);
    expect(got.data!.findingAdded).toMatchObject({ ruleId: 'RG-005', target: file, status: 'open', exercised: true });
    added.unsubscribe();
  });

  test('given connection_init without a credential, with a wrong one or with an ingest-only key, then the server closes with 4403 (a malformed one with 4400)', async () => {
    expect(await rawConnect({})).toMatchObject({ close: 4403 });
    expect(await rawConnect({ authorization: 'Bearer not-a-key-0123456789' })).toMatchObject({ close: 4403 });
    expect(await rawConnect({ authorization: `Bearer ${ingestOnly}` })).toMatchObject({ close: 4403 });
    // A payload that is not an object is a malformed message: 4400.
    expect(await rawConnect('not an object')).toMatchObject({ close: 4400 });
    let closed: number | undefined;
    const c = client(undefined, (code) => (closed = code));
    const s = collect<DriftData>(c, DRIFT);
    await s.next(() => false).catch(() => undefined);
    expect(closed).toBe(4403);
  });

  test('given a foreign Host or Origin, then the upgrade is refused like an HTTP request', async () => {
    expect(await rawConnect({ authorization: `Bearer ${viewer}` }, { host: 'evil.example' })).toEqual({ status: 421 });
    expect(await rawConnect({ authorization: `Bearer ${viewer}` }, { origin: 'https://evil.example' })).toEqual({ status: 403 });
  });

  test('given a query, too many subscriptions on one connection, or an unknown agent, then each is refused with a code', async () => {
    const c = client(viewer);
    const q = collect<unknown>(c, '{ estate { label } }');
    await q.next(() => q.ended).catch(() => undefined);
    expect(q.results[0]?.errors?.[0]?.extensions?.code).toBe('WS_SUBSCRIPTIONS_ONLY');

    const unknown = collect<DriftData>(c, DRIFT, { a: `nobody-${crypto.randomUUID()}` });
    await unknown.next((r) => r.errors !== undefined);
    expect(unknown.results[0]!.errors![0]!.extensions?.code).toBe('BAD_INPUT');

    const subs = [1, 2, 3, 4].map(() => collect<DriftData>(c, DRIFT));
    const refused = await Promise.race(subs.map((s) => s.next((r) => r.errors !== undefined)));
    expect(refused.errors![0]!.extensions?.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    for (const s of subs) s.unsubscribe();
  });
});
