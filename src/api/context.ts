/** Per-request GraphQL context: the graph, who is asking, and the request's memo. Loaders, when added, are built here per request. */
import type { Graph } from '../graph/driver.js';

export interface Principal {
  name: string;
  roles: string[];
}

export interface ApiContext {
  graph: Graph;
  principal: Principal | undefined;
  /** Results already fetched in this request, so that aliases of one field cost one Neo4j query. */
  memo: Map<string, Promise<unknown>>;
}

/** A new context for one request. */
export function newContext(graph: Graph, principal: Principal | undefined): ApiContext {
  return { graph, principal, memo: new Map() };
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
