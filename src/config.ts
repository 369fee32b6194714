/**
 * Runtime configuration from the environment, validated once with zod. The local Neo4j is the
 * default; NEO4J_URI (+ NEO4J_USERNAME, NEO4J_PASSWORD) points every command at another server.
 */
import path from 'node:path';
import { z } from 'zod';
import type { ApiLimits } from './api/limits.js';
import { InputError } from './errors.js';

/** A whole number from min to max, with a message that says so (the caller prefixes the variable's name). */
function count(min: number, max: number) {
  return z.coerce.number({ error: `a whole number from ${min} to ${max}` }).int(`a whole number from ${min} to ${max}`).min(min, `a whole number from ${min} to ${max}`).max(max, `a whole number from ${min} to ${max}`);
}

const envSchema = z.object({
  NEO4J_URI: z.string().regex(/^(bolt|neo4j)(\+s|\+ssc)?:\/\/.+/, 'NEO4J_URI must be a bolt:// or neo4j:// URI').optional(),
  NEO4J_USERNAME: z.string().min(1).optional(),
  NEO4J_PASSWORD: z.string().min(1).optional(),
  NEO4J_DATABASE: z.string().min(1).optional(),
  REACHGRAPH_STATE_DIR: z.string().min(1).optional(),
  REACHGRAPH_NEO4J_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  REACHGRAPH_NEO4J_HEAP: z.string().regex(/^\d+[mgMG]$/, 'heap like 2g or 512m').optional(),
  REACHGRAPH_NEO4J_PAGECACHE_MB: z.coerce.number().int().min(64).optional(),
  REACHGRAPH_API_HOST: z.string().optional(),
  REACHGRAPH_API_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  REACHGRAPH_API_TOKEN: z.string().min(16, 'REACHGRAPH_API_TOKEN must be at least 16 characters').optional(),
  REACHGRAPH_API_CORS_ORIGINS: z.string().regex(/^\s*(https?:\/\/[^\s,/]+\s*(,\s*|$))*$/, 'a comma-separated list of origins like https://ui.example:8080').optional(),
  REACHGRAPH_API_ALLOWED_HOSTS: z.string().regex(/^[A-Za-z0-9.:[\],\s-]*$/, 'a comma-separated list of host names').optional(),
  REACHGRAPH_API_JWKS_URL: z.url({ protocol: /^https?$/, error: 'an http(s) URL of a JWKS document' }).optional(),
  REACHGRAPH_API_JWT_ISSUER: z.string().min(1).optional(),
  REACHGRAPH_API_JWT_AUDIENCE: z.string().min(1).optional(),
  REACHGRAPH_API_JWT_ROLE_CLAIM: z.string().min(1).optional(),
  REACHGRAPH_METRICS_PUBLIC: z.enum(['0', '1']).optional(),
  REACHGRAPH_API_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).optional(),
  REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS: count(1, 100_000).optional(),
  REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS_PER_ADDRESS: count(1, 100_000).optional(),
  REACHGRAPH_API_SUBSCRIPTIONS_PER_CONNECTION: count(1, 1000).optional(),
  REACHGRAPH_API_SUBSCRIPTION_QUEUE: count(1, 100_000).optional(),
  REACHGRAPH_API_SUBSCRIPTION_POLL_MS: count(100, 60_000).optional(),
});

export interface Config {
  stateDir: string;
  neo4j: { external: boolean; uri: string | undefined; username: string; password: string | undefined; database: string | undefined; port: number; heap: string; pagecacheMb: number };
  /** corsOrigins: browser origins allowed to call the API (none unless configured); allowedHosts: Host header names accepted besides loopback and the bind address. */
  api: { host: string; port: number; token: string | undefined; corsOrigins: string[]; allowedHosts: string[]; jwt: JwtConfig | undefined; metricsPublic: boolean; queryTimeoutMs: number; limits: SubscriptionLimits };
}

/** The subscription limits set through the environment (REACHGRAPH_API_SUBSCRIPTION*); unset ones keep DEFAULT_API_LIMITS. */
export type SubscriptionLimits = Partial<Pick<ApiLimits, 'maxSubscriptionConnections' | 'maxSubscriptionConnectionsPerAddress' | 'maxSubscriptionsPerConnection' | 'subscriptionQueue' | 'subscriptionPollMs'>>;

/** Bearer JWTs verified against a JWKS (docs/api.md, "Authentication and operations"). */
export interface JwtConfig {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** The claim holding the role name(s): a top-level claim of that exact name, else a dotted path. */
  roleClaim: string;
}

/** Reads and validates the environment; errors name the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.NEO4J_URI && !e.NEO4J_PASSWORD) throw new InputError('environment variable NEO4J_PASSWORD: required when NEO4J_URI is set');
  if (e.REACHGRAPH_API_JWKS_URL) {
    // Without an issuer and an audience, any token the identity provider signs for any application would be accepted.
    for (const v of ['REACHGRAPH_API_JWT_ISSUER', 'REACHGRAPH_API_JWT_AUDIENCE'] as const) if (!e[v]) throw new InputError(`environment variable ${v}: required when REACHGRAPH_API_JWKS_URL is set`);
    const u = new URL(e.REACHGRAPH_API_JWKS_URL);
    if (u.protocol === 'http:' && !LOOPBACK.has(u.hostname)) throw new InputError('environment variable REACHGRAPH_API_JWKS_URL: must be https:// unless it is on loopback (the keys it serves decide who is admin)');
  }
  const perAddress = e.REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS_PER_ADDRESS;
  if (perAddress !== undefined && e.REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS !== undefined && perAddress > e.REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS)
    throw new InputError(`environment variable REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS_PER_ADDRESS: ${perAddress} is more than REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS (${e.REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS})`);
  const host = e.REACHGRAPH_API_HOST ?? '127.0.0.1';
  const metricsPublic = e.REACHGRAPH_METRICS_PUBLIC === '1';
  if (metricsPublic && !LOOPBACK.has(host)) throw new InputError(`environment variable REACHGRAPH_METRICS_PUBLIC: only allowed while the API listens on loopback (REACHGRAPH_API_HOST is ${host})`);
  return {
    stateDir: path.resolve(e.REACHGRAPH_STATE_DIR ?? '.reachgraph'),
    neo4j: {
      external: e.NEO4J_URI !== undefined,
      uri: e.NEO4J_URI,
      username: e.NEO4J_USERNAME ?? 'neo4j',
      password: e.NEO4J_PASSWORD,
      database: e.NEO4J_DATABASE,
      port: e.REACHGRAPH_NEO4J_PORT ?? 7687,
      heap: e.REACHGRAPH_NEO4J_HEAP ?? '2g',
      pagecacheMb: e.REACHGRAPH_NEO4J_PAGECACHE_MB ?? 1024,
    },
    api: {
      host,
      port: e.REACHGRAPH_API_PORT ?? 4000,
      token: e.REACHGRAPH_API_TOKEN,
      corsOrigins: list(e.REACHGRAPH_API_CORS_ORIGINS),
      allowedHosts: list(e.REACHGRAPH_API_ALLOWED_HOSTS).map((h) => h.toLowerCase()),
      jwt: e.REACHGRAPH_API_JWKS_URL
        ? { jwksUrl: e.REACHGRAPH_API_JWKS_URL, issuer: e.REACHGRAPH_API_JWT_ISSUER!, audience: e.REACHGRAPH_API_JWT_AUDIENCE!, roleClaim: e.REACHGRAPH_API_JWT_ROLE_CLAIM ?? 'reachgraph_role' }
        : undefined,
      metricsPublic,
      // Each API read transaction; Neo4j stops one that runs longer, so a runaway query cannot hold a reader.
      queryTimeoutMs: e.REACHGRAPH_API_QUERY_TIMEOUT_MS ?? 30_000,
      limits: defined({
        maxSubscriptionConnections: e.REACHGRAPH_API_SUBSCRIPTION_CONNECTIONS,
        maxSubscriptionConnectionsPerAddress: perAddress,
        maxSubscriptionsPerConnection: e.REACHGRAPH_API_SUBSCRIPTIONS_PER_CONNECTION,
        subscriptionQueue: e.REACHGRAPH_API_SUBSCRIPTION_QUEUE,
        subscriptionPollMs: e.REACHGRAPH_API_SUBSCRIPTION_POLL_MS,
      }),
    },
  };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);
const list = (v: string | undefined): string[] => (v ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '');
/** `o` without its undefined entries, so spreading it over defaults keeps the defaults. */
const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
