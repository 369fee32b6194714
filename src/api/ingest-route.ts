/**
 * `POST /ingest`: remote ingest of observation batches (docs/api.md, "Remote ingest"). A sensor on
 * another machine sends one batch per request: ingest-format JSON Lines (docs/ingest-format.md) whose
 * first line is the sync header, plus an `x-reachgraph-batch-id` header. The whole body is validated
 * before anything is written (a bad record answers 400 naming its line and field, nothing applied);
 * then the batch is applied as one atomic append-mode sync whose transaction first claims the batch id
 * (an `IngestBatch` node under a unique constraint) and then writes the data: marker and data commit
 * together or not at all, so a retried or concurrently repeated batch is applied exactly once, and a
 * crash in between leaves nothing to double-apply.
 */
import type http from 'node:http';
import { GraphError, InputError, ReachgraphError } from '../errors.js';
import type { Graph } from '../graph/driver.js';
import { parseLine, streamLines } from '../graph/ingest-file.js';
import { runSync, SyncSkippedError, type SyncSummary } from '../graph/ingest.js';
import { runtimeLabels, runtimeRels } from '../graph/model/runtime.js';
import { node, type NodeRecord, type RelRecord, type SyncHeader } from '../graph/records.js';
import { SyncBusyError } from '../graph/sync-lease.js';
import { logger } from '../log.js';
import { ROLE_ADMIN, ROLE_INGEST } from './auth.js';
import type { Principal } from './context.js';
import { refuse, type Route } from './http.js';
import { ingestBatches, ingestRows } from './metrics.js';

/** Largest request body accepted, in bytes: a sensor window is far smaller; a sender splits larger ones. */
export const DEFAULT_INGEST_MAX_BYTES = 8 * 1024 * 1024;
/** How long applied batch ids are remembered; a sender's spool drops batches long before this (remote.ts). */
export const DEFAULT_BATCH_RETENTION_MS = 30 * 86_400_000;
/** The header carrying the batch id. */
export const BATCH_ID_HEADER = 'x-reachgraph-batch-id';
/** A batch id: printable, no spaces or control characters, so it is safe in logs and as a node id. */
const BATCH_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+=#-]{0,255}$/;
const MEDIA_TYPES = new Set(['application/x-ndjson', 'application/jsonl', 'application/json-lines']);
/** Bookkeeping the core and this endpoint write: never from a client. */
const BOOKKEEPING = new Set(['Sync', 'SyncLease', 'SchemaVersion', 'IngestBatch']);
/** What an ingest-role key may write with properties: runtime observations and their coverage windows. */
const OBSERVED_LABELS = new Set<string>([...runtimeLabels.map((l) => l.label), 'Coverage']);
const OBSERVED_TYPES = new Set<string>(runtimeRels.map((r) => r.type));
const PRUNE_EVERY_MS = 3_600_000;
const LINEAGE_PRUNE_EVERY_MS = 600_000;

/** The outcome of one POST /ingest, as the body of a 200 answer. */
export type IngestReply =
  | { applied: true; duplicate: false; batchId: string; syncId: string; nodes: number; rels: number }
  | { applied: false; duplicate: true; batchId: string };

export interface IngestRouteOptions {
  /** Body limit in bytes; default DEFAULT_INGEST_MAX_BYTES. */
  maxBytes?: number;
  /** How long batch markers are kept; default 30 days. */
  retentionMs?: number;
  /** How long a request waits for another sync of the same host before answering 503; default 20 s. */
  leaseWaitMs?: number;
}

/** The answer a refused batch gets: status and a stable code. */
class BatchRefused extends ReachgraphError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(code, message);
  }
}

/** A validated batch: its header and records. */
export interface ParsedBatch {
  header: SyncHeader & { syncId: string };
  nodes: NodeRecord[];
  rels: RelRecord[];
}

/**
 * Validates a request body (strict UTF-8 JSON Lines, sync header first) for `principal`; throws InputError
 * naming the line and field. An ingest-role key may only send source "sensor" and runtime records.
 */
export async function parseBatch(body: Buffer, principal: Principal): Promise<ParsedBatch> {
  const admin = principal.roles.includes(ROLE_ADMIN);
  let header: SyncHeader | undefined;
  const nodes: NodeRecord[] = [];
  const rels: RelRecord[] = [];
  for await (const [n, text] of streamLines(once(body), 'body')) {
    const line = parseLine('body', n, text);
    const at = `body:${n}`;
    if (line.kind === 'sync') {
      if (header || nodes.length || rels.length) throw new InputError(`${at}: a "sync" header may only be the first record`);
      header = line.rec;
      if (header.mode !== undefined && header.mode !== 'append') throw new InputError(`${at}: field \`mode\`: remote ingest is append-only, got "${header.mode}"`);
      if (header.syncId === undefined) throw new InputError(`${at}: field \`syncId\`: required (observed counts are cumulative within one sync id)`);
      if (!admin && header.source !== 'sensor') throw new InputError(`${at}: field \`source\`: an ingest key sends source "sensor", got "${header.source}"`);
      continue;
    }
    if (!header) throw new InputError(`${at}: the first record must be the "sync" header (source, scope, syncId)`);
    if (line.kind === 'node') {
      const r = line.rec;
      if (BOOKKEEPING.has(r.label) || (!admin && !OBSERVED_LABELS.has(r.label))) throw new InputError(`${at}: field \`label\`: ${refusedLabel(r.label, admin)}`);
      nodes.push(r);
    } else {
      const r = line.rec;
      if (!admin && !OBSERVED_TYPES.has(r.type)) throw new InputError(`${at}: field \`type\`: an ingest key sends runtime observations only (${[...OBSERVED_TYPES].join(', ')}), got "${r.type}"`);
      for (const end of ['from', 'to'] as const) if (BOOKKEEPING.has(r[end].label)) throw new InputError(`${at}: field \`${end}.label\`: ${refusedLabel(r[end].label, true)}`);
      rels.push(r);
    }
  }
  if (!header) throw new InputError('body: empty: a batch is a "sync" header line and at least one record');
  if (nodes.length + rels.length === 0) throw new InputError('body: no node or relationship records after the "sync" header');
  return { header: { ...header, syncId: header.syncId! }, nodes, rels };
}

async function* once(body: Buffer): AsyncGenerator<Buffer> {
  yield body;
}

function refusedLabel(label: string, admin: boolean): string {
  return BOOKKEEPING.has(label) ? `"${label}" is written by reachgraph itself, never by a batch` : admin ? '' : `an ingest key sends runtime observations only (${[...OBSERVED_LABELS].join(', ')}), got "${label}"`;
}

/** Reads the body up to `max` bytes as bytes (strict UTF-8 decoding happens per line); past that, refuses. */
function readBytes(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max && !over) {
        over = true;
        chunks.length = 0;
        // Answer at once; the rest of a large body is not worth reading.
        reject(new BatchRefused(413, 'INGEST_TOO_LARGE', `the batch is larger than ${max} bytes; send smaller batches`));
      } else if (!over) chunks.push(c);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete && !over) reject(new BatchRefused(400, 'INCOMPLETE_BODY', 'the request body ended early'));
    });
  });
}

/** `POST /ingest` for the API server's routes list (role ingest or admin). */
export function ingestRoute(graph: Graph, opts: IngestRouteOptions = {}): Route {
  const maxBytes = opts.maxBytes ?? DEFAULT_INGEST_MAX_BYTES;
  const retentionMs = opts.retentionMs ?? DEFAULT_BATCH_RETENTION_MS;
  let lastPrune = 0;
  const lineagePruned = new Map<string, number>();

  /** Housekeeping after an applied batch: old markers, and the host's process lineage as `sensor run` does locally. */
  const housekeeping = async (header: ParsedBatch['header']) => {
    const now = Date.now();
    if (now - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now;
      const before = new Date(now - retentionMs).toISOString();
      for (let removed = Infinity; removed >= 10_000; ) removed = Number((await graph.write('queries/api/batch-prune', { before, limit: 10_000 })).rows[0]?.removed ?? 0);
    }
    if (header.source === 'sensor' && now - (lineagePruned.get(header.scope) ?? 0) >= LINEAGE_PRUNE_EVERY_MS) {
      lineagePruned.set(header.scope, now);
      const { pruneLineage } = await import('../behavior/retention.js');
      await pruneLineage(graph, { host: header.scope });
    }
  };

  /** One batch at a time per (source, scope) in this process: runs of one sync id would share its lease. */
  const queues = new Map<string, Promise<unknown>>();
  const serially = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const prev = queues.get(key) ?? Promise.resolve();
    const run = prev.then(work, work);
    const tail = run.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return run;
  };

  const apply = async (batchId: string, batch: ParsedBatch, principal: Principal, bytes: number, requestId: string): Promise<IngestReply> => {
    // Cheap answer for the common retry; the authoritative check is the claim inside the sync's transaction.
    if ((await graph.read('queries/api/batch-get', { id: batchId })).length > 0) return { applied: false, duplicate: true, batchId };
    const { header, nodes, rels } = batch;
    let summary: SyncSummary;
    try {
      summary = await serially(`${header.source}\u0000${header.scope}`, () =>
        runSync(
          graph,
          {
            source: header.source,
            scope: header.scope,
            syncId: header.syncId,
            mode: 'append',
            atomic: true,
            precondition: { name: 'queries/api/batch-claim', params: { id: batchId, requestId } },
            prevalidated: true,
            progress: false,
            leaseWaitMs: opts.leaseWaitMs ?? 20_000,
          },
          async (sink) => {
            const marker = node('IngestBatch', batchId, { records: nodes.length + rels.length, bytes, principal: principal.name });
            await sink.write({ nodes: [...nodes, marker], rels });
          },
        ),
      );
    } catch (e) {
      if (e instanceof SyncSkippedError) return { applied: false, duplicate: true, batchId };
      throw e;
    }
    await housekeeping(header).catch((e: unknown) => logger.warn({ err: (e as Error).message }, 'remote ingest housekeeping failed; retried after the next batch'));
    return { applied: true, duplicate: false, batchId, syncId: header.syncId, nodes: summary.nodes - 1, rels: summary.rels };
  };

  return {
    path: '/ingest',
    methods: ['POST'],
    role: [ROLE_INGEST, ROLE_ADMIN],
    async handle(req, res, { principal, cors, requestId }) {
      const log = logger.child({ requestId, route: 'ingest', principal: principal?.name });
      let records = 0;
      let bytes = 0;
      try {
        const raw = req.headers[BATCH_ID_HEADER];
        const batchId = Array.isArray(raw) ? undefined : raw;
        if (batchId === undefined || !BATCH_ID.test(batchId)) {
          throw new BatchRefused(400, 'BAD_BATCH_ID', `header ${BATCH_ID_HEADER}: required, 1-256 characters of letters, digits and ._:/@+=#- starting with a letter or digit`);
        }
        const [mediaType, ...params] = String(req.headers['content-type'] ?? '').split(';').map((s) => s.trim().toLowerCase());
        if (!MEDIA_TYPES.has(mediaType ?? '')) throw new BatchRefused(415, 'UNSUPPORTED_MEDIA_TYPE', 'the body must be application/x-ndjson (ingest-format JSON Lines, docs/ingest-format.md)');
        const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
        if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new BatchRefused(415, 'UNSUPPORTED_MEDIA_TYPE', `charset ${charset} is not supported; send utf-8`);
        if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw new BatchRefused(413, 'INGEST_TOO_LARGE', `the batch is larger than ${maxBytes} bytes; send smaller batches`);
        const body = await readBytes(req, maxBytes);
        bytes = body.length;
        const batch = await parseBatch(body, principal!);
        records = batch.nodes.length + batch.rels.length;
        const reply = await apply(batchId, batch, principal!, bytes, requestId);
        ingestBatches.inc({ result: reply.applied ? 'applied' : 'duplicate' });
        if (reply.applied) ingestRows.inc(records);
        log.info({ batchId, applied: reply.applied, records, bytes, scope: batch.header.scope }, reply.applied ? 'remote batch applied' : 'remote batch was applied before: skipped');
        const text = JSON.stringify(reply);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'x-content-type-options': 'nosniff', ...cors });
        res.end(text);
      } catch (e) {
        const { status, code, message, headers } = answerFor(e);
        // refused: the sender must fix the batch or its key; failed: it retries.
        ingestBatches.inc({ result: status < 500 ? 'refused' : 'failed' });
        if (status >= 500) log.error({ err: (e as Error).message, code }, 'remote batch failed');
        else log.warn({ code, err: message }, 'remote batch refused');
        refuse(res, status, code, message, { ...cors, ...headers, ...(status === 413 ? { connection: 'close' } : {}) });
      }
    },
  };
}

/** Status, code and message for a failure: client errors say what to fix; server errors ask for a retry. */
function answerFor(e: unknown): { status: number; code: string; message: string; headers?: Record<string, string> } {
  if (e instanceof BatchRefused) return { status: e.status, code: e.code, message: e.message };
  if (e instanceof InputError) return { status: 400, code: e.code, message: e.message };
  if (e instanceof SyncBusyError) return { status: 503, code: e.code, message: 'another batch of this host is being applied; retry', headers: { 'retry-after': '5' } };
  if (e instanceof GraphError) return { status: 503, code: e.code, message: 'the graph database is unavailable; retry later', headers: { 'retry-after': '10' } };
  return { status: 500, code: 'INGEST_FAILED', message: 'the batch could not be applied; retry later (the server log has the details)' };
}
