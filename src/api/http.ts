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
import { logger } from '../log.js';
import { authenticate } from './auth.js';
import { newContext, type ApiContext } from './context.js';
import { RateLimiter, type ApiLimits } from './limits.js';

export interface HttpOptions {
  /** The bind address: its name is an accepted Host unless it is a wildcard. */
  host: string;
  token: string;
  corsOrigins: string[];
  allowedHosts: string[];
  limits: ApiLimits;
}

const PATHS = new Set(['/', '/graphql']);
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

/** Sends `{errors:[{message, extensions:{code}}]}` with `status`. */
function refuse(res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
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

/** The node:http server for one Apollo instance. */
export function createApiHttpServer(apollo: ApolloServer<ApiContext>, graph: Graph, opts: HttpOptions): http.Server {
  const hosts = new Set(['localhost', '127.0.0.1', '[::1]', ...opts.allowedHosts]);
  const bind = opts.host.toLowerCase();
  if (!WILDCARDS.has(bind)) hosts.add(bind.includes(':') && !bind.startsWith('[') ? `[${bind}]` : bind);
  const limiter = new RateLimiter(opts.limits.anonymousBurst, opts.limits.anonymousPerSecond);

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const name = hostName(req.headers.host);
    if (name === undefined || !hosts.has(name)) return refuse(res, 421, 'HOST_NOT_ALLOWED', `Host "${String(req.headers.host ?? '')}" is not this API's address; set REACHGRAPH_API_ALLOWED_HOSTS to add a name`);

    const origin = req.headers.origin;
    const sameOrigin = origin !== undefined && originHost(origin) === String(req.headers.host).toLowerCase();
    const corsAllowed = origin !== undefined && opts.corsOrigins.includes(origin);
    const cors: Record<string, string> = corsAllowed ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
    if (origin !== undefined && !corsAllowed && !sameOrigin) return refuse(res, 403, 'ORIGIN_NOT_ALLOWED', `origin ${origin} may not call this API; set REACHGRAPH_API_CORS_ORIGINS to allow it`);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': 'authorization, content-type, apollo-require-preflight', 'access-control-max-age': '600' });
      return void res.end();
    }

    const path = (req.url ?? '/').split('?')[0]!;
    if (!PATHS.has(path)) return refuse(res, 404, 'NOT_FOUND', `no such path ${path}; GraphQL is served at /graphql`, cors);
    if (req.method !== 'GET' && req.method !== 'POST') return refuse(res, 405, 'METHOD_NOT_ALLOWED', `method ${req.method} is not allowed; use POST (or GET)`, { ...cors, allow: 'GET, POST, OPTIONS' });

    const principal = authenticate(req.headers.authorization, opts.token);
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
    const out = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method, headers, search: (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?')) : '', body },
      context: async () => newContext(graph, principal),
    });
    for (const [k, v] of out.headers) res.setHeader(k, v);
    for (const [k, v] of Object.entries(cors)) res.setHeader(k, v);
    res.setHeader('x-content-type-options', 'nosniff');
    res.statusCode = out.status ?? 200;
    if (out.body.kind === 'complete') return void res.end(out.body.string);
    for await (const chunk of out.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      logger.error({ err: (e as Error)?.message }, 'API request failed');
      refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'internal error');
    });
  });
  // A client that trickles its request holds a socket at most this long.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return server;
}
