// GraphQL subscriptions over graphql-ws (issues 14 and 15) against the real API server and the real test
// Neo4j: a graphql-ws client over `ws` subscribes, the behaviour engine's detect writes a drift event
// (and a findings refresh a new finding) and it arrives; connections without a valid viewer credential,
// from a foreign Host or Origin, or carrying queries are refused with codes; a revoked key's connection
// is closed; the limits come from the environment; upgrades are written to the access log.
import crypto from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createApiKey, KEY_CACHE_TTL_MS, revokeApiKey } from '../../src/api/keys.js';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { CLOSE_CREDENTIAL_REVOKED } from '../../src/api/subscriptions.js';
import { detect, learn, lock } from '../../src/behavior/store.js';
import { loadConfig } from '../../src/config.js';
import { InputError } from '../../src/errors.js';
import type { Graph } from '../../src/graph/driver.js';
import { runSync } from '../../src/graph/ingest.js';
import { node, rel } from '../../src/graph/records.js';
import { refreshFindings } from '../../src/risk/store.js';
import { get } from '../helpers/api-client.js';
import { testGraph } from '../helpers/graph.js';
import { observedAgent } from '../helpers/observed-agent.js';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process.js';

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
    // Another agent of its own rather than one of the demo estate, which the test graph need not hold (an unknown agent is refused).
    const elsewhere = observedAgent(graph, 'api-sub-other');
    await elsewhere.load();
    await learn(graph, own.workload, { from: own.t0, windowMs: 30 * 60_000 });
    await lock(graph, own.workload);

    const c = client(viewer);
    const mine = collect<DriftData>(c, DRIFT, { a: own.agent });
    const bySubject = collect<DriftData>(c, DRIFT, { a: own.workload });
    const other = collect<DriftData>(client(viewer), DRIFT, { a: elsewhere.agent });
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

  test('given a viewer key subscribed, when the key is revoked, then its connection closes with 4401 CREDENTIAL_REVOKED and a drift event written after the revoke reaches only the still-valid subscriber', async () => {
    const own = observedAgent(graph, 'api-sub-revoke');
    await own.load();
    await learn(graph, own.workload, { from: own.t0, windowMs: 30 * 60_000 });
    await lock(graph, own.workload);
    const key = await createApiKey(graph, { name: `sub-revoked-${crypto.randomBytes(4).toString('hex')}`, role: 'viewer' });

    let closedWith: (c: { code: number; reason: string }) => void = () => undefined;
    const closed = new Promise<{ code: number; reason: string }>((resolve) => (closedWith = resolve));
    const revoked = collect<DriftData>(client(key.key, (code, reason) => closedWith({ code, reason })), DRIFT, { a: own.agent });
    const valid = collect<DriftData>(client(TOKEN), DRIFT, { a: own.agent });
    await subscriptionsRunning(2);

    await revokeApiKey(graph, key.id);
    // The verifier trusts a verified key for KEY_CACHE_TTL_MS: an event written once that has passed must not reach the revoked key.
    await new Promise((r) => setTimeout(r, KEY_CACHE_TTL_MS + 250));
    await own.load({ later: true });
    const [detected] = await detect(graph, { subject: own.workload });
    expect(detected!.events).toHaveLength(1);

    expect((await valid.next((r) => r.data?.driftEvents.subject === own.workload)).data!.driftEvents.id).toBe(detected!.events[0]!.id);
    const { code, reason } = await closed;
    expect(code).toBe(CLOSE_CREDENTIAL_REVOKED);
    expect(reason).toMatch(/^CREDENTIAL_REVOKED: /);
    expect(revoked.results.filter((r) => r.data !== undefined)).toEqual([]);
    // A new connection with the revoked key is refused at connection_init.
    expect(await rawConnect({ authorization: `Bearer ${key.key}` })).toMatchObject({ close: 4403 });
    valid.unsubscribe();
  });

  test('given subscription limit variables that are not whole numbers in range, or more per address than in all, then the configuration is refused naming the variable', () => {
    for (const [name, value] of [
      ['REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS', '0'],
      ['REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS_PER_ADDRESS', 'many'],
      ['REACHGRAPH_API_SUBSCRIPTIONS_PER_CONNECTION', '2.5'],
      ['REACHGRAPH_API_SUBSCRIPTION_QUEUE', '-1'],
      ['REACHGRAPH_API_SUBSCRIPTION_POLL_MS', '10'],
    ] as const) {
      expect(() => loadConfig({ [name]: value })).toThrow(InputError);
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^environment variable ${name}: a whole number from \\d+ to \\d+`));
    }
    expect(() => loadConfig({ REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS: '4', REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS_PER_ADDRESS: '5' })).toThrow(/^environment variable REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS_PER_ADDRESS: 5 is more than REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS \(4\)/);
    expect(loadConfig({ REACHGRAPH_API_SUBSCRIPTIONS_PER_CONNECTION: '7', REACHGRAPH_API_SUBSCRIPTION_POLL_MS: '500' }).api.limits).toEqual({ maxSubscriptionsPerConnection: 7, subscriptionPollMs: 500 });
    expect(loadConfig({}).api.limits).toEqual({});
  });
});

/** A graphql-transport-ws connection left open once acknowledged: the socket and its upgrade's x-request-id, or how it was refused. */
function openAcked(base: string, credential: string, headers: Record<string, string> = {}): Promise<{ ws?: WebSocket; requestId?: string; close?: number; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(base.replace(/^http/, 'ws') + 'graphql', 'graphql-transport-ws', { headers });
    let requestId: string | undefined;
    ws.on('upgrade', (res) => (requestId = String(res.headers['x-request-id'])));
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${credential}` } })));
    ws.on('message', (m) => {
      if ((JSON.parse(m.toString()) as { type: string }).type === 'connection_ack') resolve({ ws, ...(requestId ? { requestId } : {}) });
    });
    ws.on('close', (code) => resolve({ close: code, ...(requestId ? { requestId } : {}) }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode, requestId: String(res.headers['x-request-id']) });
      res.resume();
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}

describe('`reachgraph serve` with configured subscription limits: limits and the access log of WebSocket upgrades', () => {
  let serve: ServeProcess | undefined;
  const open: WebSocket[] = [];

  afterAll(async () => {
    for (const ws of open) ws.terminate();
    await serve?.stop();
  });

  const logLines = () => (serve?.logLines() ?? []).filter((l) => l.msg === 'websocket');
  /** The first access-log line matching, once the server has written it. */
  async function logged(match: Record<string, unknown>): Promise<Record<string, unknown>> {
    for (;;) {
      const hit = logLines().find((l) => Object.entries(match).every(([k, v]) => l[k] === v));
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  test('given 2 connections and 1 subscription per connection configured, then a second subscription and a third connection are refused with codes, and every upgrade is logged with its request id, principal (never a secret) and outcome', async () => {
    const tag = crypto.randomBytes(4).toString('hex');
    const key = await createApiKey(graph, { name: `ws-log-${tag}`, role: 'viewer' });
    const secret = key.key.split('_')[2]!;
    serve = await startServeProcess({
      REACHGRAPH_API_TOKEN: TOKEN,
      REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS: '2',
      REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS_PER_ADDRESS: '2',
      REACHGRAPH_API_SUBSCRIPTIONS_PER_CONNECTION: '1',
    });
    const { url } = serve;

    // Accepted: the caller's request id is kept, the principal is the key's id and name.
    const a = await openAcked(url, key.key, { 'x-request-id': `ws-trace-${tag}` });
    expect(a.ws).toBeDefined();
    open.push(a.ws!);
    expect(a.requestId).toBe(`ws-trace-${tag}`);
    expect(await logged({ requestId: `ws-trace-${tag}`, outcome: 'accepted' })).toMatchObject({ path: '/graphql', principal: `key:${key.id}:ws-log-${tag}` });

    // One subscription per connection: the second is refused.
    const answers: { id: string; type: string; payload?: { extensions?: { code?: string } }[] }[] = [];
    a.ws!.on('message', (m) => answers.push(JSON.parse(m.toString()) as never));
    for (const id of ['1', '2']) a.ws!.send(JSON.stringify({ id, type: 'subscribe', payload: { query: DRIFT } }));
    for (;;) {
      const refused = answers.find((x) => x.type === 'error');
      if (refused) {
        expect(refused).toMatchObject({ id: '2', payload: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }] });
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }

    // Refused at connection_init: a key that does not exist.
    const bad = await openAcked(url, `rgk_0123456789abcdef_${'D'.repeat(43)}`);
    expect(bad.close).toBe(4403);
    expect(await logged({ requestId: bad.requestId, outcome: 'refused' })).toMatchObject({ code: 'UNAUTHENTICATED', closeCode: 4403 });
    // Its close is logged after the server let go of the connection, so the count below is two again.
    await logged({ requestId: bad.requestId, outcome: 'closed' });

    const b = await openAcked(url, TOKEN);
    expect(b.ws).toBeDefined();
    open.push(b.ws!);
    expect(await logged({ requestId: b.requestId, outcome: 'accepted' })).toMatchObject({ principal: 'token' });
    const c = await openAcked(url, key.key);
    expect(c).toMatchObject({ status: 503 });
    expect(await logged({ requestId: c.requestId, outcome: 'refused' })).toMatchObject({ status: 503, code: 'TOO_MANY_CONNECTIONS' });
    const foreign = await openAcked(url, key.key, { host: 'evil.example' });
    expect(foreign).toMatchObject({ status: 421 });
    expect(await logged({ requestId: foreign.requestId, outcome: 'refused' })).toMatchObject({ status: 421, code: 'HOST_NOT_ALLOWED' });

    // Revoking the key closes its open connection, which the log shows with the close code.
    const aClosed = new Promise<number>((r) => a.ws!.once('close', (code) => r(code)));
    await revokeApiKey(graph, key.id);
    expect(await aClosed).toBe(CLOSE_CREDENTIAL_REVOKED);
    expect(await logged({ requestId: `ws-trace-${tag}`, code: 'CREDENTIAL_REVOKED' })).toMatchObject({ outcome: 'closed', closeCode: CLOSE_CREDENTIAL_REVOKED, principal: `key:${key.id}:ws-log-${tag}` });

    // Every line names its request; none carries a credential.
    for (const l of logLines()) expect(typeof l.requestId).toBe('string');
    const jsonLines = serve.logLines().map((l) => JSON.stringify(l)).join('\n');
    expect(jsonLines).not.toContain(secret);
    expect(jsonLines).not.toContain(TOKEN);
  });
});
