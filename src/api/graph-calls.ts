/**
 * A view of a Graph whose statement-running methods go through `around`: how the API counts a
 * request's statements (context.ts) and times each query for /metrics (metrics.ts). A view, not a
 * copy: everything else, the driver and its pool included, is the wrapped graph's.
 */
import type { Graph } from '../graph/driver.js';

/** The Graph methods that send statements to Neo4j. */
export const STATEMENT_METHODS = ['read', 'readText', 'readEach', 'readStream', 'write', 'inWriteTx'] as const;
export type StatementMethod = (typeof STATEMENT_METHODS)[number];

const METHODS: ReadonlySet<string> = new Set(STATEMENT_METHODS);

/** `graph` with every call of a statement method handed to `around` (which must call `call`). */
export function aroundStatements(graph: Graph, around: (method: StatementMethod, args: unknown[], call: () => Promise<unknown>) => Promise<unknown>): Graph {
  return new Proxy(graph, {
    get(target, prop) {
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      const fn = v as (...args: unknown[]) => Promise<unknown>;
      if (typeof prop !== 'string' || !METHODS.has(prop)) return fn.bind(target);
      return (...args: unknown[]) => around(prop as StatementMethod, args, () => fn.apply(target, args));
    },
  });
}
