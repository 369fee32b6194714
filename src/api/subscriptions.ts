/**
 * GraphQL subscriptions over graphql-ws on /graphql: new drift events and new findings, pushed.
 *
 * One poller per server (EventHub) asks Neo4j about once a second for DriftEvents detected and Findings
 * first seen since its cursor (index seeks on DriftEvent.detectedAt and Finding.firstSeen), and fans each
 * one out to the subscribers that want it (Fanout). Publishing never waits for a subscriber: each has a
 * bounded queue, and one that falls that far behind is dropped with SUBSCRIBER_TOO_SLOW instead of
 * holding events (or the poller) back for everyone.
 *
 * The WebSocket upgrade passes the same Host and Origin checks as HTTP requests (http.ts hostPolicy), the
 * caller authenticates in `connection_init` (`{ authorization: "Bearer …" }`) through the HTTP path's
 * authenticate function and needs the viewer role, and connections and subscriptions per connection are
 * capped (REACHGRAPH_API_SUBSCRIPTION*, config.ts). Only subscriptions go over the socket: queries and
 * mutations stay on HTTP, with its limits. The credential is verified again while the socket is open,
 * before each event and on a timer no slower than KEY_CACHE_TTL_MS, and a revoked key or an expired JWT
 * closes it with CLOSE_CREDENTIAL_REVOKED. Each upgrade is written to the access log (`"msg":"websocket"`).
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, getOperationAST, parse, validate, type DocumentNode, type ExecutionArgs, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { SubscriptionError } from '../errors.js';
import type { Graph } from '../graph/driver.js';
import { logger, logScope } from '../log.js';
import { ROLE_VIEWER } from './auth.js';
import { newContext, type ApiContext, type Principal } from './context.js';
import type { DriftEvent } from './drift.type.js';
import type { Finding } from './finding.type.js';
import { requestIdOf, type Admission } from './http.js';
import { KEY_CACHE_TTL_MS } from './keys.js';
import { enforceCost, type ApiLimits } from './limits.js';
import { registry } from './metrics.js';
import client from 'prom-client';

/** The hubs of the servers this process runs (tests run several): what the subscription gauges sum. */
const liveHubs = new Set<EventHub>();
const subscriptionsGauge = new client.Gauge({
  name: 'reachgraph_api_subscriptions',
  help: 'GraphQL subscriptions running (graphql-ws), all topics',
  registers: [registry],
  collect() {
    this.set([...liveHubs].reduce((n, h) => n + h.fanout.size, 0));
  },
});
const droppedSubscribers = new client.Counter({ name: 'reachgraph_api_subscribers_dropped_total', help: 'Subscribers ended with SUBSCRIBER_TOO_SLOW for falling a full queue behind', registers: [registry] });

/** What subscribers are fed: a drift event with the AIAgents it belongs to, or a new finding. */
export type HubEvent = { topic: 'drift'; event: DriftEvent; agents: string[] } | { topic: 'finding'; finding: Finding };

/** One subscriber's view of the fan-out: an async iterator over its bounded queue. */
export class Subscriber<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private failWaiting: ((e: unknown) => void) | undefined;
  private ended = false;
  private error: SubscriptionError | undefined;

  constructor(
    private readonly capacity: number,
    private readonly onEnd: (s: Subscriber<T>) => void,
  ) {}

  /** Hands `value` to a waiting reader or queues it; past the capacity the subscriber is dropped. Never blocks. */
  push(value: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = this.failWaiting = undefined;
      w({ value, done: false });
      return;
    }
    if (this.queue.length >= this.capacity) return this.drop();
    this.queue.push(value);
  }

  private drop(): void {
    droppedSubscribers.inc();
    this.error = new SubscriptionError('SUBSCRIBER_TOO_SLOW', `this subscriber fell ${this.capacity} events behind and was dropped; subscribe again (events in between are in the driftEvents / findings queries)`);
    this.queue.length = 0;
    this.finish();
  }

  private finish(): void {
    this.ended = true;
    this.onEnd(this);
    if (this.waiting) {
      const [w, f] = [this.waiting, this.failWaiting];
      this.waiting = this.failWaiting = undefined;
      if (this.error) {
        f!(this.error);
        this.error = undefined;
      } else w({ value: undefined, done: true });
    }
  }

  /** True while events are still delivered to it. */
  get active(): boolean {
    return !this.ended;
  }

  async next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return { value: this.queue.shift()!, done: false };
    if (this.error) {
      const e = this.error;
      this.error = undefined;
      throw e;
    }
    if (this.ended) return { value: undefined, done: true };
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  /** The client unsubscribed or went away. */
  async return(): Promise<IteratorResult<T>> {
    this.queue.length = 0;
    this.error = undefined;
    if (!this.ended) this.finish();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}

/** Subscribers by what they want; publish is synchronous and bounded by the number of subscribers. */
export class Fanout {
  private readonly subs = new Map<Subscriber<unknown>, (e: HubEvent) => unknown>();

  constructor(private readonly capacity: number) {}

  /** A subscriber fed `select(event)` for each event where it is not undefined. */
  subscribe<T>(select: (e: HubEvent) => T | undefined): Subscriber<T> {
    const s = new Subscriber<T>(this.capacity, (x) => this.subs.delete(x as Subscriber<unknown>));
    this.subs.set(s as Subscriber<unknown>, select);
    return s;
  }

  publish(e: HubEvent): void {
    for (const [s, select] of [...this.subs]) {
      const v = select(e);
      if (v !== undefined) s.push(v);
    }
  }

  get size(): number {
    return this.subs.size;
  }

  /** Ends every subscription (server stop). */
  close(): void {
    for (const s of [...this.subs.keys()]) void s.return();
  }
}

/**
 * Where a topic's polling stands. Writers stamp events with the time their run started (a detect run, a
 * findings refresh), so an event can land after one with a later stamp from a concurrent writer: each
 * poll looks back `lookbackMs` behind the newest stamp seen, never before the state at start (`floor`),
 * and skips the ids it published already.
 */
class Cursor {
  /** Newest stamp published (ms). */
  private newest: number;
  /** Published ids still inside the look-back, with their stamps (ms). */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly floor: number,
    startIds: readonly string[],
    private readonly lookbackMs: number,
  ) {
    this.newest = floor;
    for (const id of startIds) this.seen.set(id, floor);
  }

  /** The poll's lower bound (ISO) and the ids to leave out. */
  window(): { from: string; seen: string[] } {
    const from = Math.max(this.floor, this.newest - this.lookbackMs);
    for (const [id, at] of this.seen) if (at < from) this.seen.delete(id);
    return { from: new Date(from).toISOString(), seen: [...this.seen.keys()] };
  }

  /** Records a published event. */
  add(id: string, at: string): void {
    const t = Date.parse(at);
    this.seen.set(id, t);
    if (t > this.newest) this.newest = t;
  }
}

/** How the hub polls. */
export interface HubOptions {
  pollMs: number;
  /** Events read per poll and topic; more wait for the next poll. */
  batch: number;
  queue: number;
  /** How far behind the newest stamp each poll looks for events a slower concurrent writer stamped earlier. */
  lookbackMs: number;
}

/**
 * The one poller of a server. It starts at the newest event already in the graph, so subscribers get
 * what is detected after the server started; events stamped before that (a backdated import) are not
 * pushed, the driftEvents / findings queries list them.
 */
export class EventHub {
  readonly fanout: Fanout;
  private drift: Cursor | undefined;
  private finding: Cursor | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failing = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly graph: Graph,
    private readonly opts: HubOptions,
  ) {
    this.fanout = new Fanout(opts.queue);
  }

  start(): void {
    liveHubs.add(this);
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule(this.opts.pollMs));
    }, ms);
    // The poller alone never keeps the process alive; the HTTP server does.
    this.timer.unref();
  }

  /**
   * Places the cursors at the newest events if they are not placed: a subscribe function calls it after
   * adding its subscriber, so what is written from then on reaches it.
   */
  async ready(): Promise<void> {
    this.drift ??= await this.cursorAt('queries/api/latest-drift-event');
    this.finding ??= await this.cursorAt('queries/api/latest-finding');
  }

  /**
   * One poll of both topics; a failure is logged once per outage and retried next tick. Without
   * subscribers it reads nothing (an idle server costs Neo4j nothing) and forgets its cursors, so the
   * next subscriber starts at the newest events, not at a backlog.
   */
  async tick(): Promise<void> {
    if (this.fanout.size === 0) {
      this.drift = undefined;
      this.finding = undefined;
      return;
    }
    try {
      await this.ready();
      const { drift, finding } = this;
      if (drift) await this.pollDrift(drift);
      if (finding) await this.pollFindings(finding);
      if (this.failing) logger.info('subscription poller reaches Neo4j again');
      this.failing = false;
    } catch (e) {
      if (!this.failing) logger.warn({ err: (e as Error).message }, 'subscription poller cannot read the graph; retrying every poll');
      this.failing = true;
    }
  }

  private async cursorAt(query: string): Promise<Cursor> {
    const r = (await this.graph.read(query))[0];
    return r ? new Cursor(Date.parse(String(r.at)), (r.ids as string[]) ?? [], this.opts.lookbackMs) : new Cursor(0, [], this.opts.lookbackMs);
  }

  private async pollDrift(c: Cursor): Promise<void> {
    const rows = await this.graph.read('queries/api/poll-drift-events', { ...c.window(), limit: this.opts.batch });
    if (rows.length === 0) return;
    const { driftEventOf } = await import('./drift.type.js');
    for (const r of rows) {
      const event = driftEventOf(r.event as Record<string, unknown>);
      c.add(event.id, String(r.at));
      this.fanout.publish({ topic: 'drift', event, agents: (r.agents as string[]) ?? [] });
    }
  }

  private async pollFindings(c: Cursor): Promise<void> {
    const rows = await this.graph.read('queries/api/poll-findings', { ...c.window(), limit: this.opts.batch });
    if (rows.length === 0) return;
    const [{ findingsById }, { findingOf }] = await Promise.all([import('../risk/store.js'), import('./finding.resolver.js')]);
    const byId = new Map((await findingsById(this.graph, rows.map((r) => String(r.id)))).map((f) => [f.id, f]));
    for (const r of rows) {
      const f = byId.get(String(r.id));
      c.add(String(r.id), String(r.at));
      if (f) this.fanout.publish({ topic: 'finding', finding: findingOf(f) });
    }
  }

  async stop(): Promise<void> {
    liveHubs.delete(this);
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    this.fanout.close();
  }
}

/** The context of a subscription operation: the request context plus the server's hub. */
export interface SubscriptionContext extends ApiContext {
  hub: EventHub;
}

/** The hub of a subscription's context; subscriptions only run over the WebSocket. */
export function hubOf(context: ApiContext): EventHub {
  const hub = (context as Partial<SubscriptionContext>).hub;
  if (!hub) throw new SubscriptionError('SUBSCRIPTIONS_OVER_HTTP', 'subscriptions run over graphql-ws on /graphql (a WebSocket), not over HTTP requests');
  return hub;
}

export interface SubscriptionServerOptions {
  schema: GraphQLSchema;
  graph: Graph;
  /** The HTTP path's authenticate function (server.ts): called with the upgrade request carrying the connection_init's authorization. */
  authenticate(req: http.IncomingMessage): Promise<Principal | undefined>;
  /** The HTTP path's Host / Origin checks. */
  admit(req: http.IncomingMessage): Admission;
  /** server.ts formatError: the same masking and codes as HTTP answers. */
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  limits: ApiLimits;
}

const PATHS = new Set(['/', '/graphql']);

/**
 * The close code of a connection whose credential stopped being valid while it was open (an API key
 * revoked, a JWT expired, a role gone). 4401 (graphql-ws's "Unauthorized") because a client's retry with
 * the same credential cannot succeed: graphql-ws clients treat it as fatal and do not reconnect by
 * themselves; the application reconnects with a valid credential.
 */
export const CLOSE_CREDENTIAL_REVOKED = 4401;
/** The close reason sent with CLOSE_CREDENTIAL_REVOKED (a WebSocket reason holds at most 123 bytes). */
export const CREDENTIAL_REVOKED_REASON = 'CREDENTIAL_REVOKED: the API key was revoked or the token expired; reconnect with a valid credential';

/** One open connection: its request id (for its log lines), who it authenticated as and with what. */
interface Session {
  requestId: string;
  path: string;
  /**
   * The upgrade request seen with the connection_init's credential: kept (in memory only, never logged)
   * because verifying it again while the socket is open is how a revoke or an expiry reaches it.
   */
  view: http.IncomingMessage | undefined;
  principal: Principal | undefined;
  /** A re-check in flight, so a slow Neo4j read is not stacked up by the timer. */
  checking: Promise<boolean> | undefined;
}

/** Answers an upgrade request with an HTTP refusal (the JSON error body HTTP requests get) and closes it. */
function refuseUpgrade(socket: Duplex, requestId: string, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  socket.end(`HTTP/1.1 ${status} ${code}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-request-id: ${requestId}\r\n\r\n${body}`);
}

/**
 * The access log of WebSocket connections: one `"msg":"websocket"` line when an upgrade is refused, when
 * connection_init is accepted or refused, and when the connection closes, each with the request id of its
 * upgrade and the principal's name (`key:<id>:<name>`, `token`, `jwt:<sub>`; never a credential).
 */
function accessLog(s: Pick<Session, 'requestId' | 'path'>, fields: { outcome: 'accepted' | 'refused' | 'closed'; principal?: string | undefined; status?: number; code?: string; closeCode?: number; reason?: string }): void {
  logScope.run({ requestId: s.requestId }, () => logger.info({ path: s.path, ...fields }, 'websocket'));
}

/** Serves graphql-ws on the server's /graphql upgrades; returns the stop function (closes sockets, stops the poller). */
export async function attachSubscriptions(server: http.Server, o: SubscriptionServerOptions): Promise<{ hub: EventHub; close(): Promise<void> }> {
  const [{ WebSocketServer }, { useServer }] = await Promise.all([import('ws'), import('graphql-ws/use/ws')]);
  const { limits } = o;
  const hub = new EventHub(o.graph, { pollMs: limits.subscriptionPollMs, batch: 500, queue: limits.subscriptionQueue, lookbackMs: 60_000 });
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxBodyBytes });
  const perAddress = new Map<string, number>();
  const maxPerAddress = Math.min(limits.maxSubscriptionConnections, limits.maxSubscriptionConnectionsPerAddress ?? Math.max(1, Math.ceil(limits.maxSubscriptionConnections / 4)));
  const upgrades = new WeakMap<http.IncomingMessage, Session>();
  const sessions = new WeakMap<object, Session>();

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const session: Session = { requestId: requestIdOf(req), path: (req.url ?? '/').split('?')[0]!.slice(0, 200), view: undefined, principal: undefined, checking: undefined };
    const refused = (status: number, code: string, message: string) => {
      accessLog(session, { outcome: 'refused', status, code });
      refuseUpgrade(socket, session.requestId, status, code, message);
    };
    if (!PATHS.has(session.path)) return refused(404, 'NOT_FOUND', `no such path ${session.path}; subscriptions are served at /graphql`);
    const admitted = o.admit(req);
    if (!admitted.ok) return refused(admitted.status, admitted.code, admitted.message);
    const address = req.socket.remoteAddress ?? 'unknown';
    if (wss.clients.size >= limits.maxSubscriptionConnections) return refused(503, 'TOO_MANY_CONNECTIONS', `the server holds its maximum of ${limits.maxSubscriptionConnections} subscription connections; retry later`);
    if ((perAddress.get(address) ?? 0) >= maxPerAddress) return refused(429, 'TOO_MANY_CONNECTIONS', `too many subscription connections from this address (at most ${maxPerAddress})`);
    upgrades.set(req, session);
    wss.handleUpgrade(req, socket, head, (ws) => {
      sessions.set(ws, session);
      perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
      ws.once('close', (code, reason) => {
        const n = (perAddress.get(address) ?? 1) - 1;
        if (n <= 0) perAddress.delete(address);
        else perAddress.set(address, n);
        accessLog(session, { outcome: 'closed', principal: session.principal?.name, closeCode: code, reason: reason.toString('utf8').slice(0, 123) });
      });
      wss.emit('connection', ws, req);
    });
  };
  server.on('upgrade', onUpgrade);
  // The 101 answer carries the request id too, so a client can find its connection's log lines.
  wss.on('headers', (headers, req) => {
    const s = upgrades.get(req);
    if (s) headers.push(`x-request-id: ${s.requestId}`);
  });

  /**
   * Verifies the connection's credential again (the key verifier's cache bounds how stale the answer
   * is: KEY_CACHE_TTL_MS) and closes the connection with CLOSE_CREDENTIAL_REVOKED when it no longer
   * holds the viewer role. True while the connection may receive events.
   */
  const stillAllowed = (ws: import('ws').WebSocket): Promise<boolean> => {
    const s = sessions.get(ws);
    if (!s?.view || ws.readyState !== ws.OPEN) return Promise.resolve(false);
    s.checking ??= logScope
      .run({ requestId: s.requestId }, () => o.authenticate(s.view!))
      .then((p) => {
        if (p?.roles.includes(ROLE_VIEWER)) return true;
        if (ws.readyState === ws.OPEN) {
          accessLog(s, { outcome: 'closed', principal: s.principal?.name, code: 'CREDENTIAL_REVOKED', closeCode: CLOSE_CREDENTIAL_REVOKED });
          ws.close(CLOSE_CREDENTIAL_REVOKED, CREDENTIAL_REVOKED_REASON);
        }
        return false;
      })
      .finally(() => (s.checking = undefined));
    return s.checking;
  };
  const recheckMs = Math.min(limits.subscriptionRecheckMs ?? KEY_CACHE_TTL_MS, KEY_CACHE_TTL_MS);
  const recheck = setInterval(() => {
    for (const ws of wss.clients)
      // A failed check (Neo4j unreachable) keeps the connection: the next tick asks again.
      stillAllowed(ws).catch((e: unknown) => logScope.run({ requestId: sessions.get(ws)?.requestId ?? 'unknown' }, () => logger.warn({ err: (e as Error).message }, 'could not verify a subscription connection\'s credential again; retrying')));
  }, recheckMs);
  recheck.unref();

  const format = (errors: readonly GraphQLError[]) => errors.map((e) => o.formatError(e.toJSON(), e));
  const refusal = (code: string, message: string) => [new GraphQLError(message, { extensions: { code } })];

  const disposable = useServer(
    {
      connectionInitWaitTimeout: 5_000,
      onConnect: async (ctx) => {
        const header = ctx.connectionParams?.authorization;
        const req = ctx.extra.request;
        const s = sessions.get(ctx.extra.socket)!;
        // The same function as HTTP requests, over a view of the upgrade request that carries the init payload's credentials.
        const view = Object.create(req, { headers: { value: { ...req.headers, authorization: typeof header === 'string' ? header : undefined } } }) as http.IncomingMessage;
        const principal = await logScope.run({ requestId: s.requestId }, () => o.authenticate(view));
        if (!principal || !principal.roles.includes(ROLE_VIEWER)) {
          accessLog(s, { outcome: 'refused', principal: principal?.name, code: principal ? 'FORBIDDEN' : 'UNAUTHENTICATED', closeCode: 4403 });
          return false;
        }
        s.view = view;
        s.principal = principal;
        accessLog(s, { outcome: 'accepted', principal: principal.name });
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) return refusal('TOO_MANY_SUBSCRIPTIONS', `at most ${limits.maxSubscriptionsPerConnection} subscriptions run on one connection`);
        if (!(await stillAllowed(ctx.extra.socket))) return refusal('CREDENTIAL_REVOKED', CREDENTIAL_REVOKED_REASON);
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: limits.maxTokens });
        } catch (e) {
          return [e instanceof GraphQLError ? e : new GraphQLError(String(e))];
        }
        const invalid = validate(o.schema, document);
        if (invalid.length > 0) return invalid;
        const op = getOperationAST(document, payload.operationName);
        if (!op) return refusal('BAD_USER_INPUT', 'the document has no operation of that name');
        if (op.operation !== 'subscription') return refusal('WS_SUBSCRIPTIONS_ONLY', `a ${op.operation} goes over HTTP (POST /graphql); the WebSocket carries subscriptions only`);
        try {
          enforceCost({ schema: o.schema, document, operationName: payload.operationName ?? null, ...(payload.variables ? { variables: payload.variables } : {}), authenticated: true, limits });
        } catch (e) {
          return [e as GraphQLError];
        }
        const context: SubscriptionContext = { ...newContext(o.graph, sessions.get(ctx.extra.socket)?.principal), hub };
        logger.debug({ principal: context.principal?.name, id }, 'subscription started');
        return { schema: o.schema, document, operationName: payload.operationName ?? null, variableValues: payload.variables ?? null, contextValue: context } satisfies ExecutionArgs;
      },
      // Each event is sent only after the credential is verified again: once a revoke is seen the
      // connection is closed here, and graphql-ws sends nothing on a closing socket.
      onNext: async (ctx, _id, _payload, _args, result) => {
        const allowed = await stillAllowed(ctx.extra.socket).catch((e: unknown) => {
          logger.warn({ err: (e as Error).message }, 'could not verify a subscription connection\'s credential before an event; closing it');
          ctx.extra.socket.close(1011, 'could not verify the credential; reconnect');
          return false;
        });
        if (!allowed) return { errors: [] };
        return result.errors ? { ...result, errors: format(result.errors) } : undefined;
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wss,
  );
  hub.start();
  return {
    hub,
    async close() {
      server.off('upgrade', onUpgrade);
      clearInterval(recheck);
      await hub.stop();
      for (const c of wss.clients) c.terminate();
      await disposable.dispose();
    },
  };
}
