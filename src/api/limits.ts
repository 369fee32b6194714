/**
 * What one request may cost the API. Every field has a cost (fields that reach Neo4j cost more,
 * declared with `complexity` on the resolver), and aliases and fields are capped on their own so
 * that many cheap aliases cannot add up. Callers without a token get a smaller budget and a
 * per-address request rate, since `health` needs no token.
 */
import { GraphQLError, Kind, type DocumentNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';

export interface ApiLimits {
  /** Largest request body, checked while reading and before JSON parsing. */
  maxBodyBytes: number;
  /** GraphQL tokens in one document; parsing stops there, so a huge document costs little. */
  maxTokens: number;
  /** Cost budget of an authenticated request. */
  maxCost: number;
  /** Cost budget of a request without a valid token. */
  maxCostAnonymous: number;
  /** Aliased fields in one document. */
  maxAliases: number;
  /** Field selections in one document, fragments counted where they are written. */
  maxFields: number;
  /** Field nesting, fragments expanded: a cyclic schema (introspection's __Type) must not grow a response geometrically. */
  maxDepth: number;
  /** Requests without a valid token: bucket size per client address … */
  anonymousBurst: number;
  /** … refilled at this many requests per second. */
  anonymousPerSecond: number;
  /** Open graphql-ws connections per server. */
  maxSubscriptionConnections: number;
  /** Open graphql-ws connections per client address; unset: a quarter of maxSubscriptionConnections (at least 1). */
  maxSubscriptionConnectionsPerAddress?: number;
  /** Subscriptions running on one connection. */
  maxSubscriptionsPerConnection: number;
  /** Events queued for one subscriber that does not keep up; one more and it is dropped (SUBSCRIBER_TOO_SLOW). */
  subscriptionQueue: number;
  /** How often the server's one poller asks Neo4j for new drift events and findings. */
  subscriptionPollMs: number;
  /** How often every open connection's credential is verified again (a revoked key, an expired JWT); unset: KEY_CACHE_TTL_MS. */
  subscriptionRecheckMs?: number;
}

export const DEFAULT_API_LIMITS: ApiLimits = {
  maxBodyBytes: 1024 * 1024,
  maxTokens: 2000,
  maxCost: 1000,
  maxCostAnonymous: 150,
  maxAliases: 30,
  maxFields: 500,
  maxDepth: 20,
  anonymousBurst: 60,
  anonymousPerSecond: 2,
  maxSubscriptionConnections: 100,
  maxSubscriptionsPerConnection: 10,
  subscriptionQueue: 256,
  subscriptionPollMs: 1000,
};

/** Cost of a field that runs one Neo4j round trip. */
export const COST_NEO4J_READ = 10;
/** Cost of a field that runs one query per label of the model. */
export const COST_NEO4J_SCAN = 100;

/** The error every over-budget request gets: a client error (400), with a stable code. */
export function tooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } });
}

/**
 * Counts aliases and field selections as written in the document (fragments once each), and the
 * deepest field nesting with fragments expanded (a spread that loops counts as infinitely deep;
 * validation refuses such documents anyway).
 */
export function countSelections(document: DocumentNode): { aliases: number; fields: number; depth: number } {
  let aliases = 0;
  let fields = 0;
  const walk = (set: SelectionSetNode | undefined) => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) {
        fields++;
        if (s.alias) aliases++;
      }
      if (s.kind !== Kind.FRAGMENT_SPREAD) walk(s.selectionSet);
    }
  };
  for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) walk(d.selectionSet);

  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const fragmentDepth = new Map<string, number>();
  const depthOf = (set: SelectionSetNode | undefined, visiting: Set<string>): number => {
    let max = 0;
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) max = Math.max(max, 1 + depthOf(s.selectionSet, visiting));
      else if (s.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, depthOf(s.selectionSet, visiting));
      else {
        const name = s.name.value;
        if (visiting.has(name)) return Infinity;
        let d = fragmentDepth.get(name);
        if (d === undefined) {
          visiting.add(name);
          d = depthOf(fragments.get(name), visiting);
          visiting.delete(name);
          fragmentDepth.set(name, d);
        }
        max = Math.max(max, d);
      }
    }
    return max;
  };
  let depth = 0;
  for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION) depth = Math.max(depth, depthOf(d.selectionSet, new Set()));
  return { aliases, fields, depth };
}

/** Introspection reads the schema in memory: free, and bounded by the token, field and depth caps instead. */
const introspectionEstimator: ComplexityEstimator = ({ field, type }) => (field.name.startsWith('__') || type.name.startsWith('__') ? 0 : undefined);

/** Throws QUERY_TOO_COMPLEX when the operation is over any limit; the cost expands fragments. */
export function enforceCost(args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variables?: Record<string, unknown>; authenticated: boolean; limits: ApiLimits }): void {
  const { aliases, fields, depth } = countSelections(args.document);
  if (depth > args.limits.maxDepth) throw tooComplex(`query too complex: depth ${depth} > ${args.limits.maxDepth}`);
  if (aliases > args.limits.maxAliases) throw tooComplex(`query too complex: ${aliases} aliases > ${args.limits.maxAliases}`);
  if (fields > args.limits.maxFields) throw tooComplex(`query too complex: ${fields} fields > ${args.limits.maxFields}`);
  const budget = args.authenticated ? args.limits.maxCost : args.limits.maxCostAnonymous;
  let cost: number;
  try {
    cost = getComplexity({
      schema: args.schema,
      query: args.document,
      operationName: args.operationName ?? undefined,
      variables: args.variables,
      estimators: [introspectionEstimator, fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (e) {
    // The cost walk coerces variables (for @include/@skip) before execution would: a bad value is the caller's error.
    throw new GraphQLError((e as Error).message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
  }
  if (cost > budget) throw tooComplex(`query too complex: cost ${cost} > ${budget}${args.authenticated ? '' : ' (without a token)'}`);
}

/**
 * Token buckets per client address. Small and in-process: one API process serves one machine.
 * The map is bounded: full buckets are dropped first, since forgetting them changes nothing.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly maxClients = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token for `key`; returns the seconds to wait when there is none. */
  take(key: string): { ok: true } | { ok: false; retryAfterS: number } {
    const t = this.now();
    let b = this.buckets.get(key);
    if (b) this.buckets.delete(key);
    else {
      if (this.buckets.size >= this.maxClients) this.evict(t, this.maxClients - 1);
      b = { tokens: this.burst, at: t };
    }
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.perSecond);
    b.at = t;
    // Re-inserted last, so the map's order is least recently seen first.
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / this.perSecond)) };
  }

  private evict(t: number, keep: number): void {
    for (const [k, b] of this.buckets) {
      if (this.buckets.size <= keep) return;
      if (b.tokens + ((t - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(k);
    }
    // Still too many busy clients: drop the least recently seen.
    while (this.buckets.size > keep) this.buckets.delete(this.buckets.keys().next().value!);
  }
}
