/**
 * The API's HTTP transport: node:http in front of Apollo's executeHTTPGraphQLRequest. Everything a
 * request can cost before GraphQL sees it is decided here, in this order: the Host header (DNS
 * rebinding), CORS (off unless origins are configured), the per-address rate of callers without a
 * token, the media type, and the body size (counted while reading, before JSON parsing). Every
 * refusal is a JSON GraphQL error body with a stable `extensions.code`, never an HTML page.
 */
import http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { Graph } from '../graph/driver.js';
import { logger, logScope } from '../log.js';
import crypto from 'node:crypto';
import { newContext, type ApiContext, type Principal } from './context.js';
import { RateLimiter, type ApiLimits } from './limits.js';
import { apiErrors, httpDuration, httpRequests } from './metrics.js';

/**
 * A non-GraphQL route (health, metrics, remote ingest, the explorer's files). It runs after the Host
 * and CORS checks; `role` undefined means no credentials are needed, else the caller must hold it (or,
 * for a list, one of them).
 */
export interface Route {
  path: string | ((path: string) => boolean);
  methods: readonly string[];
  role?: string | readonly string[];
  /** The route's label in metrics and request logs; defaults to `path` when that is a string. */
  name?: string;
  handle(req: http.IncomingMessage, res: http.ServerResponse, ctx: { principal: Principal | undefined; cors: Record<string, string>; requestId: string }): Promise<void>;
}

export interface HttpOptions {
  /** The bind address: its name is an accepted Host unless it is a wildcard. */
  host: string;
  /** Who presents this request's credentials, if anyone (auth.ts). */
  authenticate(req: http.IncomingMessage): Promise<Principal | undefined>;
  /** Routes tried before GraphQL's paths, in order. */
  routes?: readonly Route[];
  corsOrigins: string[];
  allowedHosts: string[];
  limits: ApiLimits;
}

const PATHS = new Set(['/', '/graphql']);
/** An x-request-id a caller may choose: short, and safe in a header and a log line. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The request's id: the caller's x-request-id when it is a plain token (to follow a request across services), else a new UUID. */
export function requestIdOf(req: http.IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/** What the transport knows about one request for its log line and metrics. */
interface RequestScope {
  requestId: string;
  /** A served route (a Route's name or path, "/graphql"), else "other": bounded, for metrics. */
  route: string;
  /** The principal's name once authenticated (a key id and name, "token", "jwt:<sub>"); never a credential. */
  principal: string | undefined;
}
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

/** Sends `{errors:[{message, extensions:{code}}]}` with `status`. */
export function refuse(res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  apiErrors.inc({ code });
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff', ...headers });
  res.end(body);
}

/** `Host: example:4000` → `example`; `[::1]:4000` → `[::1]`. */
function hostName(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1) || undefined;
  return h.split(':')[0];
}

/** `https://ui.example:8080` → `ui.example:8080`; undefined when it is not a URL. */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Reads the body up to `max` bytes; past that it drains without keeping (bounded memory) and reports too large. */
function readBody(req: http.IncomingMessage, max: number): Promise<{ tooLarge: true } | { tooLarge: false; text: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let drained = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= max) chunks.push(c);
      else {
        chunks.length = 0;
        drained += c.length;
        // A client that keeps sending far past the limit is cut off rather than drained forever.
        if (drained > 64 * max) req.destroy();
      }
    });
    req.on('end', () => resolve(size > max ? { tooLarge: true } : { tooLarge: false, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) resolve({ tooLarge: true });
    });
  });
}

/** Why a request's Host or Origin is refused, or the CORS headers its answer carries. */
export type Admission = { ok: true; cors: Record<string, string> } | { ok: false; status: number; code: string; message: string };

/**
 * The Host (DNS rebinding) and Origin checks every request passes first: HTTP requests here, and the
 * WebSocket upgrades of subscriptions (subscriptions.ts), so both transports admit the same callers.
 */
export function hostPolicy(opts: Pick<HttpOptions, 'host' | 'allowedHosts' | 'corsOrigins'>): (req: http.IncomingMessage) => Admission {
  const hosts = new Set(['localhost', '127.0.0.1', '[::1]', ...opts.allowedHosts]);
  const bind = opts.host.toLowerCase();
  if (!WILDCARDS.has(bind)) hosts.add(bind.includes(':') && !bind.startsWith('[') ? `[${bind}]` : bind);
  return (req): Admission => {
    const name = hostName(req.headers.host);
    if (name === undefined || !hosts.has(name)) return { ok: false, status: 421, code: 'HOST_NOT_ALLOWED', message: `Host "${String(req.headers.host ?? '')}" is not this API's address; set REACHGRAPH_API_ALLOWED_HOSTS to add a name` };
    const origin = req.headers.origin;
    const sameOrigin = origin !== undefined && originHost(origin) === String(req.headers.host).toLowerCase();
    const corsAllowed = origin !== undefined && opts.corsOrigins.includes(origin);
    if (origin !== undefined && !corsAllowed && !sameOrigin) return { ok: false, status: 403, code: 'ORIGIN_NOT_ALLOWED', message: `origin ${origin} may not call this API; set REACHGRAPH_API_CORS_ORIGINS to allow it` };
    return { ok: true, cors: corsAllowed ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {} };
  };
}

/** The node:http server for one Apollo instance. */
export function createApiHttpServer(apollo: ApolloServer<ApiContext>, graph: Graph, opts: HttpOptions): http.Server {
  const admit = hostPolicy(opts);
  const limiter = new RateLimiter(opts.limits.anonymousBurst, opts.limits.anonymousPerSecond);

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, scope: RequestScope): Promise<void> => {
    const admitted = admit(req);
    if (!admitted.ok) return refuse(res, admitted.status, admitted.code, admitted.message);
    const cors = admitted.cors;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': 'authorization, content-type, apollo-require-preflight', 'access-control-max-age': '600' });
      return void res.end();
    }

    const path = (req.url ?? '/').split('?')[0]!;
    const requestId = scope.requestId;
    const route = opts.routes?.find((r) => (typeof r.path === 'string' ? r.path === path : r.path(path)) && r.methods.includes(req.method ?? ''));
    if (route) {
      scope.route = route.name ?? (typeof route.path === 'string' ? route.path : 'route');
      const principal = await opts.authenticate(req);
      scope.principal = principal?.name;
      if (route.role !== undefined && !principal) return refuse(res, 401, 'UNAUTHENTICATED', 'not authenticated: send Authorization: Bearer <key>', cors);
      const anyOf = typeof route.role === 'string' ? [route.role] : (route.role ?? []);
      if (route.role !== undefined && !anyOf.some((r) => principal!.roles.includes(r))) return refuse(res, 403, 'FORBIDDEN', `this needs the ${anyOf.join(' or ')} role`, cors);
      return route.handle(req, res, { principal, cors, requestId });
    }
    if (PATHS.has(path)) scope.route = '/graphql';
    if (!PATHS.has(path)) return refuse(res, 404, 'NOT_FOUND', `no such path ${path}; GraphQL is served at /graphql`, cors);
    if (req.method !== 'GET' && req.method !== 'POST') return refuse(res, 405, 'METHOD_NOT_ALLOWED', `method ${req.method} is not allowed; use POST (or GET)`, { ...cors, allow: 'GET, POST, OPTIONS' });

    const principal = await opts.authenticate(req);
    scope.principal = principal?.name;
    if (!principal) {
      const r = limiter.take(req.socket.remoteAddress ?? 'unknown');
      if (!r.ok) return refuse(res, 429, 'RATE_LIMITED', `too many requests without a token; retry in ${r.retryAfterS}s`, { ...cors, 'retry-after': String(r.retryAfterS) });
    }

    let body: unknown;
    if (req.method === 'POST') {
      const [mediaType, ...params] = String(req.headers['content-type'] ?? '').split(';').map((s) => s.trim().toLowerCase());
      if (mediaType !== 'application/json') return refuse(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'the body must be application/json', cors);
      const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return refuse(res, 415, 'UNSUPPORTED_MEDIA_TYPE', `charset ${charset} is not supported; send utf-8`, cors);
      const max = opts.limits.maxBodyBytes;
      const tooLarge = () => refuse(res, 413, 'PAYLOAD_TOO_LARGE', `the body is larger than ${max} bytes`, { ...cors, connection: 'close' });
      if (Number(req.headers['content-length'] ?? 0) > max) {
        req.resume();
        return tooLarge();
      }
      const read = await readBody(req, max);
      if (read.tooLarge) return tooLarge();
      try {
        body = JSON.parse(read.text);
      } catch {
        return refuse(res, 400, 'MALFORMED_JSON', 'the body is not valid JSON', cors);
      }
    }

    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    let context: ApiContext | undefined;
    const out = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method, headers, search: (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?')) : '', body },
      context: async () => (context = newContext(graph, principal)),
    });
    for (const [k, v] of out.headers) res.setHeader(k, v);
    // Statements the request sent to Neo4j: shows a resolver that does not batch (docs/api.md, "Cost").
    if (context) res.setHeader('x-reachgraph-neo4j-statements', String(context.statements));
    for (const [k, v] of Object.entries(cors)) res.setHeader(k, v);
    res.setHeader('x-content-type-options', 'nosniff');
    res.statusCode = out.status ?? 200;
    if (out.body.kind === 'complete') return void res.end(out.body.string);
    for await (const chunk of out.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const server = http.createServer((req, res) => {
    const started = performance.now();
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    const scope: RequestScope = { requestId, route: 'other', principal: undefined };
    res.once('close', () => {
      const seconds = (performance.now() - started) / 1000;
      const status = res.writableFinished ? res.statusCode : 499;
      httpRequests.inc({ route: scope.route, method: req.method ?? 'unknown', status: String(status) });
      httpDuration.observe({ route: scope.route }, seconds);
      logScope.run({ requestId }, () =>
        logger.info({ method: req.method, path: (req.url ?? '/').split('?')[0]!.slice(0, 200), route: scope.route, status, ms: Math.round(seconds * 10_000) / 10, principal: scope.principal }, 'request'),
      );
    });
    logScope.run({ requestId }, () =>
      handle(req, res, scope).catch((e: unknown) => {
        logger.error({ err: (e as Error)?.message }, 'API request failed');
        refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'internal error');
      }),
    );
  });
  // A client that trickles its request holds a socket at most this long.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return server;
}
