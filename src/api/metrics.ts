/**
 * The API's Prometheus metrics (prom-client), served at GET /metrics (ops.ts). One registry per
 * process: the counters are module members so any part of the API can count (the remote ingest
 * route increments `ingestBatches` and `ingestRows`). Every label's values are bounded: routes are
 * the ones we serve, operation names and query names are capped at a fixed number of distinct
 * values (beyond that "other"), so a client cannot grow the registry without bound.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import client from 'prom-client';
import type { Graph } from '../graph/driver.js';
import type { ApiContext } from './context.js';
import { aroundStatements } from './graph-calls.js';

/** The registry /metrics serves. */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'reachgraph_' });

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** HTTP requests answered, by route (a served path or "other"), method and status. */
export const httpRequests = new client.Counter({ name: 'reachgraph_http_requests_total', help: 'HTTP requests answered, by route, method and status', labelNames: ['route', 'method', 'status'] as const, registers: [registry] });
/** HTTP request latency by route, from the first byte of the request to the last of the answer. */
export const httpDuration = new client.Histogram({ name: 'reachgraph_http_request_duration_seconds', help: 'HTTP request latency by route', labelNames: ['route'] as const, buckets: LATENCY_BUCKETS, registers: [registry] });
/** GraphQL operations by operation name and result (ok, or error when the answer had any error). */
export const graphqlOperations = new client.Counter({ name: 'reachgraph_graphql_operations_total', help: 'GraphQL operations by operation name and result', labelNames: ['operation', 'result'] as const, registers: [registry] });
/** GraphQL operation latency by operation name (parse to answer). */
export const graphqlDuration = new client.Histogram({ name: 'reachgraph_graphql_operation_duration_seconds', help: 'GraphQL operation latency by operation name', labelNames: ['operation'] as const, buckets: LATENCY_BUCKETS, registers: [registry] });
/** Errors sent to clients by stable code: GraphQL errors and HTTP refusals alike. */
export const apiErrors = new client.Counter({ name: 'reachgraph_api_errors_total', help: 'Errors sent to clients, by code', labelNames: ['code'] as const, registers: [registry] });
/** Remote-ingest batches by result: applied, duplicate (a retried batch id, applied once before) or refused. */
export const ingestBatches = new client.Counter({ name: 'reachgraph_ingest_batches_total', help: 'Remote-ingest batches by result (applied, duplicate, refused)', labelNames: ['result'] as const, registers: [registry] });
/** Records (nodes and relationships) applied through remote ingest. */
export const ingestRows = new client.Counter({ name: 'reachgraph_ingest_rows_total', help: 'Records applied through remote ingest', registers: [registry] });
/** Neo4j transaction latency by query file, as the API's resolvers and routes run them. */
export const neo4jQueryDuration = new client.Histogram({ name: 'reachgraph_neo4j_query_duration_seconds', help: 'Neo4j transaction latency by query name and result', labelNames: ['query', 'result'] as const, buckets: LATENCY_BUCKETS, registers: [registry] });
/** Sensor events lost, per host and kind, summed over the observation windows in the graph (read at scrape). */
export const sensorLostEvents = new client.Gauge({ name: 'reachgraph_sensor_lost_events', help: 'Sensor events lost per host and kind (ring, map_full, queue_overflow), summed over the Coverage windows in the graph', labelNames: ['host', 'kind'] as const, registers: [registry] });
/** Observation windows per host, and how many of them lost events. */
export const sensorWindows = new client.Gauge({ name: 'reachgraph_sensor_windows', help: 'Sensor observation windows (Coverage) per host; lossy="true" counts those that lost events', labelNames: ['host', 'lossy'] as const, registers: [registry] });
/** 1 when the last scrape could read the graph, else 0. */
export const graphUp = new client.Gauge({ name: 'reachgraph_graph_up', help: '1 when /metrics could read the graph at this scrape', registers: [registry] });

/** Hosts reported by the sensor gauges at most: the lossiest first. */
export const SENSOR_HOSTS_MAX = 500;

/** A bounded label set: the first `max` distinct values keep their name, later ones are "other". */
export class BoundedLabels {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}
  label(v: string): string {
    if (this.seen.has(v)) return v;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(v);
    return v;
  }
}

const operations = new BoundedLabels(200);
const queries = new BoundedLabels(400);

/** An operation name as a label: a GraphQL name of at most 64 characters, "anonymous" when absent. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  return /^[_A-Za-z][_0-9A-Za-z]{0,63}$/.test(name) ? operations.label(name) : 'other';
}

/** Counts and times each GraphQL operation, and counts the codes of the errors it answers with. */
export function metricsPlugin(): ApolloServerPlugin<ApiContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      // Until an operation resolves, the request failed to parse or validate.
      let operation = 'invalid';
      return {
        async didResolveOperation({ operationName }) {
          operation = operationLabel(operationName);
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          for (const e of errors) apiErrors.inc({ code: String(e.extensions?.code ?? 'UNKNOWN') });
          graphqlOperations.inc({ operation, result: errors.length > 0 ? 'error' : 'ok' });
          graphqlDuration.observe({ operation }, (performance.now() - started) / 1000);
        },
      };
    },
  };
}

/**
 * The graph as the API uses it, with each transaction timed into `neo4jQueryDuration` by its query
 * name (readText: its tag). Everything else passes through to the one Graph and its driver.
 */
export function instrumentGraph(graph: Graph): Graph {
  return aroundStatements(graph, async (method, args, call) => {
    const end = neo4jQueryDuration.startTimer({ query: queries.label(String(method === 'readText' ? args[2] : args[0])) });
    try {
      const r = await call();
      end({ result: 'ok' });
      return r;
    } catch (e) {
      end({ result: 'error' });
      throw e;
    }
  });
}

/** Re-reads the graph-derived gauges (sensor losses) for one scrape; false when the graph did not answer. */
export async function refreshGraphGauges(graph: Graph): Promise<boolean> {
  try {
    const rows = await graph.read('queries/api/count-sensor-lost', { limit: SENSOR_HOSTS_MAX });
    sensorLostEvents.reset();
    sensorWindows.reset();
    for (const r of rows) {
      const host = String(r.host);
      sensorLostEvents.set({ host, kind: 'ring' }, Number(r.ringLost));
      sensorLostEvents.set({ host, kind: 'map_full' }, Number(r.mapFull));
      sensorLostEvents.set({ host, kind: 'queue_overflow' }, Number(r.queueOverflow));
      sensorWindows.set({ host, lossy: 'true' }, Number(r.lossyWindows));
      sensorWindows.set({ host, lossy: 'false' }, Number(r.windows) - Number(r.lossyWindows));
    }
    graphUp.set(1);
    return true;
  } catch {
    graphUp.set(0);
    return false;
  }
}
