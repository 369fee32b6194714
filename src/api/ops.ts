/**
 * Operations routes (docs/api.md, "Authentication and operations"):
 * - `GET /healthz`, no credentials: the process is up and serving (liveness; never touches Neo4j).
 * - `GET /readyz`, no credentials: Neo4j answers and its graph-model version is the one this build
 *   needs (readiness); 503 with the reason otherwise. One check runs at a time and an answer is
 *   reused for READY_CACHE_MS, so probes without credentials cannot multiply the load on Neo4j.
 * - `GET /metrics`: Prometheus text. A scraper needs a key of the viewer role (or stronger): metrics
 *   say less than viewer answers already do, and a scraper should not hold an admin key. An
 *   ingest-only key is refused, like for every read. REACHGRAPH_METRICS_PUBLIC=1 serves it without
 *   credentials, allowed only while the API listens on loopback (config.ts).
 */
import type http from 'node:http';
import type { Config } from '../config.js';
import { cypher } from '../graph/cypher.js';
import type { Graph } from '../graph/driver.js';
import { GRAPH_MODEL_VERSION } from '../graph/model/index.js';
import { logger } from '../log.js';
import { VERSION } from '../version.js';
import { ROLE_VIEWER } from './auth.js';
import type { Route } from './http.js';
import { graphUp, refreshGraphGauges, registry } from './metrics.js';

/** How long a readiness answer is reused. */
export const READY_CACHE_MS = 1_000;
/** How long /readyz and /metrics wait for Neo4j before answering without it. */
export const GRAPH_WAIT_MS = 3_000;

export type Readiness = { ready: true; neo4j: string; schemaVersion: number } | { ready: false; reason: string };

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(text);
}

/** Resolves to `fallback` when `p` has not settled within `ms`. */
function within<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Is the graph ready for this build? An auto-commit read (no driver retries), one statement. */
export async function checkReadiness(graph: Graph): Promise<Readiness> {
  const session = graph.driver.session({ database: graph.database, defaultAccessMode: 'READ' });
  try {
    const res = await session.run(cypher('queries/get-schema-version'), {}, { timeout: GRAPH_WAIT_MS, metadata: { app: 'reachgraph', query: 'queries/get-schema-version' } });
    const v = res.records[0]?.get('version') as { toNumber(): number } | number | null | undefined;
    const version = v === null || v === undefined ? undefined : typeof v === 'number' ? v : v.toNumber();
    if (version === undefined) return { ready: false, reason: 'the graph has no schema: run `reachgraph schema apply`' };
    if (version < GRAPH_MODEL_VERSION) return { ready: false, reason: `graph-model version ${version}, this build needs ${GRAPH_MODEL_VERSION}: run \`reachgraph schema apply\`` };
    if (version > GRAPH_MODEL_VERSION) return { ready: false, reason: `graph-model version ${version} is newer than this build's ${GRAPH_MODEL_VERSION}: upgrade reachgraph` };
    return { ready: true, neo4j: res.summary.server.agent ?? 'unknown', schemaVersion: version };
  } catch (e) {
    // The driver's message names the Bolt address: it goes to the log, not to an unauthenticated caller.
    logger.warn({ err: (e as Error).message }, 'readiness: Neo4j did not answer');
    return { ready: false, reason: 'Neo4j is unreachable or failed' };
  } finally {
    await session.close().catch(() => undefined);
  }
}

/** The ops routes for one server. */
export function opsRoutes(graph: Graph, cfg: Config): Route[] {
  let last: { at: number; answer: Readiness } | undefined;
  let inflight: Promise<Readiness> | undefined;
  const readiness = async (): Promise<Readiness> => {
    const now = performance.now();
    if (last && now - last.at < READY_CACHE_MS) return last.answer;
    inflight ??= checkReadiness(graph)
      .then((answer) => ((last = { at: performance.now(), answer }), answer))
      .finally(() => (inflight = undefined));
    return within(inflight, GRAPH_WAIT_MS, { ready: false, reason: `Neo4j did not answer within ${GRAPH_WAIT_MS} ms` });
  };
  let scrape: Promise<boolean> | undefined;

  return [
    {
      path: '/healthz',
      methods: ['GET'],
      async handle(_req, res, { cors }) {
        json(res, 200, { status: 'ok', version: VERSION, uptimeS: Math.round(process.uptime()) }, cors);
      },
    },
    {
      path: '/readyz',
      methods: ['GET'],
      async handle(_req, res, { cors }) {
        const r = await readiness();
        if (r.ready) json(res, 200, { status: 'ready', neo4j: r.neo4j, schemaVersion: r.schemaVersion }, cors);
        else json(res, 503, { status: 'not ready', reason: r.reason }, { ...cors, 'retry-after': '5' });
      },
    },
    {
      path: '/metrics',
      methods: ['GET'],
      ...(cfg.api.metricsPublic ? {} : { role: ROLE_VIEWER }),
      async handle(_req, res, { cors }) {
        scrape ??= refreshGraphGauges(graph).finally(() => (scrape = undefined));
        if (!(await within(scrape, GRAPH_WAIT_MS, false))) graphUp.set(0);
        const text = await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...cors });
        res.end(text);
      },
    },
  ];
}
