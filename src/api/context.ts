/**
 * Per-request GraphQL context: the graph, who is asking, the request's memo and its DataLoaders
 * (built here per request, so batching and caching never cross requests or principals).
 */
import type { Graph } from '../graph/driver.js';
import { aroundStatements, type StatementMethod } from './graph-calls.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface Principal {
  name: string;
  roles: string[];
}

export interface ApiContext {
  graph: Graph;
  principal: Principal | undefined;
  /** Results already fetched in this request, so that aliases of one field cost one Neo4j query. */
  memo: Map<string, Promise<unknown>>;
  /** Batching loaders over `graph` (loaders.ts). */
  loaders: Loaders;
  /** Statements this request sent to Neo4j (each a round trip): http.ts reports it in a response header. */
  statements: number;
}

/** A new context for one request. */
export function newContext(graph: Graph, principal: Principal | undefined): ApiContext {
  const ctx = { principal, memo: new Map(), statements: 0 } as ApiContext;
  ctx.graph = counting(graph, (n) => void (ctx.statements += n));
  ctx.loaders = createLoaders(ctx.graph);
  return ctx;
}

/** Statements a call sends: readEach one per set of names, every other statement method one. */
function statementsOf(method: StatementMethod, args: unknown[]): number {
  return method === 'readEach' && Array.isArray(args[2]) ? args[2].length : 1;
}

/** `graph` with every statement counted (a view: calls go to `graph`, whatever wraps it). */
function counting(graph: Graph, add: (n: number) => void): Graph {
  return aroundStatements(graph, (method, args, call) => {
    add(statementsOf(method, args));
    return call();
  });
}

/** Runs `fetch` once per request for `key`; later calls (aliases) share its promise. */
export function once<T>(ctx: ApiContext, key: string, fetch: () => Promise<T>): Promise<T> {
  let p = ctx.memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = fetch();
    ctx.memo.set(key, p);
  }
  return p;
}
