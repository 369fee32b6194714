/**
 * The ingest core. Every collector and the sensor write through `runSync`: typed batches of nodes
 * and relationships are MERGEd with UNWIND in large batches, idempotently, with provenance
 * (source, scope, syncId, firstSeen, lastSeen; count on observed edges). A replace-mode sync
 * removes the stale items of its source and scope only after the producer finished without error:
 * a sync that fails half-way deletes nothing. Items carry one claim per owning source and scope, so a
 * cleanup removes only what no other owner claims; a lease per source and scope keeps two syncs of the
 * pair from running at once (src/graph/sync-lease.ts).
 */
import crypto from 'node:crypto';
import { IngestError, ReachgraphError } from '../errors.js';
import { logger } from '../log.js';
import type { TemplateVars } from './cypher.js';
import type { ManagedTransaction } from 'neo4j-driver';
import { runNamed, type Graph } from './driver.js';
import { familyOfType, isLabel, isRelType, LABELS, RELS } from './model/index.js';
import { nodeRecordSchema, protoKeyPath, relRecordSchema, syncHeaderSchema, type Batch, type NodeRecord, type RelRecord, type SyncHeader } from './records.js';
import { Progress } from './progress.js';
import { acquireLease, claimParams, type Lease } from './sync-lease.js';
import { groupBy } from '../util/group-by.js';

export type SyncOptions = Omit<SyncHeader, 'kind'> & {
  /** Rows per transaction. */
  batchSize?: number;
  /** Concurrent write transactions (lanes); default 2. */
  concurrency?: number;
  /** Expected total records, for the progress bar. */
  total?: number;
  /** Show progress (TTY bar or log rate); default: on when stderr is a TTY. */
  progress?: boolean;
  /** Records were validated already (file ingest validates the whole file first). */
  prevalidated?: boolean;
  /**
   * The whole sync (its Sync record, every write and removal, the cleanup) in one transaction: readers see
   * all of it or none of it. For small incremental changes such as a burst of watch events; the producer may
   * be run again when the driver retries a transient error, so it must only write what it is given.
   */
  atomic?: boolean;
  /**
   * Atomic syncs only: a named statement run first inside the sync's transaction; when it returns no row,
   * the transaction is rolled back and runSync throws SyncSkippedError, recording nothing. Remote ingest
   * claims its batch id this way, in the same transaction as the batch's data (src/api/ingest-route.ts).
   */
  precondition?: { name: string; params: Record<string, unknown> };
  /** How long the lease on (source, scope) lasts without a heartbeat; default 60 s. */
  leaseTtlMs?: number;
  /** How long to wait for another sync of the same source and scope before refusing; default 15 min. */
  leaseWaitMs?: number;
};

/** An atomic sync's precondition returned no row: nothing was written and nothing recorded. */
export class SyncSkippedError extends IngestError {
  override readonly code = 'SYNC_SKIPPED';
}

export interface SyncSummary {
  syncId: string;
  source: string;
  scope: string;
  status: 'succeeded' | 'failed';
  nodes: number;
  rels: number;
  removedNodes: number;
  removedRels: number;
  durationMs: number;
  error?: string;
}

/** A node or relationship the producer reports gone; removed only where this source and scope own it. */
export interface Removal {
  nodes?: Pick<NodeRecord, 'label' | 'id'>[];
  rels?: Pick<RelRecord, 'type' | 'from' | 'to' | 'key'>[];
}

export interface BatchSink {
  write(batch: Partial<Batch>): Promise<void>;
  /** Removes records this source and scope wrote earlier and the producer knows are gone (relationships first). */
  remove(gone: Removal): Promise<void>;
}

const DEFAULT_BATCH = 5_000;
/** Concurrent write transactions per sync: one per core of the machine we size for. */
const DEFAULT_CONCURRENCY = 2;

/** Relationships that one template statement writes or removes: same type and end labels. */
const relGroup = (r: Pick<RelRecord, 'type' | 'from' | 'to'>) => `${r.type}\u0000${r.from.label}\u0000${r.to.label}`;

/** Runs one named statement: in its own transaction, or in the caller's. */
type Run = (name: string, params: Record<string, unknown>, vars?: TemplateVars) => Promise<Record<string, unknown>[]>;
const inTx =
  (tx: ManagedTransaction): Run =>
  (name, params, vars) =>
    runNamed(tx, name, params, vars);

/** Runs one sync of one source over one scope. Throws after recording the failure if the producer or a write fails. */
export async function runSync(graph: Graph, options: SyncOptions, produce: (sink: BatchSink) => Promise<void>): Promise<SyncSummary> {
  const header = syncHeaderSchema.parse({ kind: 'sync', source: options.source, scope: options.scope, syncId: options.syncId, mode: options.mode });
  const syncId = header.syncId ?? `${header.source}:${new Date().toISOString()}:${crypto.randomBytes(4).toString('hex')}`;
  const mode = header.mode ?? 'replace';
  const started = Date.now();
  const ctx = { source: header.source, scope: header.scope, syncId };
  const claims = claimParams(ctx.source, ctx.scope, syncId);
  // Before anything is recorded: a sync that cannot get its pair's lease leaves no trace.
  const lease = await acquireLease(graph, ctx, { ttlMs: options.leaseTtlMs, waitMs: options.leaseWaitMs });
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const lanes = options.atomic ? 1 : Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const ownTx: Run = async (name, params, vars) => (await graph.write(name, params, vars)).rows;

  /**
   * Writes items in `lanes` concurrent streams of transactions. Items are split by their first key
   * (a node's id, a relationship's start node), so two lanes never lock the same start node, and
   * each chunk is sorted by its second key (the end node), so lanes take shared end-node locks in
   * one global order and cannot deadlock over them. Deadlocks that remain possible (a node that is
   * a start in one lane and an end in another) are transient errors the driver retries.
   */
  async function inLanes<T>(items: T[], split: (t: T) => string, order: (t: T) => string, write: (chunk: T[]) => Promise<void>): Promise<void> {
    const parts: T[][] = Array.from({ length: items.length > batchSize ? lanes : 1 }, () => []);
    for (const it of items) parts[hash(split(it)) % parts.length]!.push(it);
    await Promise.all(
      parts.map(async (part) => {
        for (const chunk of chunks(part, batchSize)) await write(chunk.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0)));
      }),
    );
  }
  const progress = new Progress(`${header.source}/${header.scope}`, options.total, options.progress);
  let counts = { nodes: 0, rels: 0 };
  let removed = { nodes: 0, rels: 0 };
  // What this sync wrote: recorded on its Sync node, so later cleanups look only there.
  let footprint: Footprint = { labels: new Set<string>(), types: new Set<string>() };

  const sinkOver = (run: Run): BatchSink => ({
    async write(batch) {
      lease.check();
      const nodes = batch.nodes ?? [];
      const rels = batch.rels ?? [];
      if (!options.prevalidated) validateBatch(nodes, rels);
      const now = new Date().toISOString();
      for (const n of nodes) footprint.labels.add(n.label);
      for (const r of rels) {
        footprint.types.add(r.type);
        footprint.labels.add(r.from.label);
        footprint.labels.add(r.to.label);
      }
      for (const [label, group] of groupBy(nodes, (n) => n.label)) {
        await inLanes(group, (n) => n.id, (n) => n.id, async (chunk) => {
          await run('ingest/merge-nodes', { ...ctx, ...claims, now, rows: chunk.map((n) => ({ id: n.id, props: n.props ?? {} })) }, { label });
          counts.nodes += chunk.length;
          progress.add(chunk.length);
        });
      }
      for (const [, group] of groupBy(rels, relGroup)) {
        const { type, from, to } = group[0]!;
        const name = familyOfType(type) === 'observed' ? 'ingest/merge-observed-rels' : 'ingest/merge-rels';
        await inLanes(group, (r) => r.from.id, (r) => r.to.id, async (chunk) => {
          await run(name, { ...ctx, ...claims, now, rows: chunk.map(relRow) }, { type, fromLabel: from.label, toLabel: to.label });
          counts.rels += chunk.length;
          progress.add(chunk.length);
        });
      }
    },
    async remove(gone) {
      lease.check();
      const owner = { source: ctx.source, scope: ctx.scope, owner: claims.owner, sep: claims.sep };
      for (const [, group] of groupBy(gone.rels ?? [], relGroup)) {
        const { type, from, to } = group[0]!;
        for (const chunk of chunks(group, batchSize)) {
          const rows = await run('ingest/remove-rels', { ...owner, rows: chunk.map((r) => ({ from: r.from.id, to: r.to.id, key: r.key ?? '' })) }, { type, fromLabel: from.label, toLabel: to.label });
          removed.rels += Number(rows[0]?.removed ?? 0);
        }
      }
      for (const [label, group] of groupBy(gone.nodes ?? [], (n) => n.label)) {
        for (const chunk of chunks(group, batchSize)) {
          const rows = await run('ingest/remove-nodes', { ...owner, ids: chunk.map((n) => n.id) }, { label });
          removed.nodes += Number(rows[0]?.removed ?? 0);
          removed.rels += Number(rows[0]?.removedRels ?? 0);
        }
      }
    },
  });

  /** The sync proper; `run` is a statement per transaction, or the one transaction of an atomic sync. */
  const body = async (run: Run, oneTx: <T>(work: (run: Run) => Promise<T>) => Promise<T>) => {
    counts = { nodes: 0, rels: 0 };
    removed = { nodes: 0, rels: 0 };
    footprint = { labels: new Set<string>(), types: new Set<string>() };
    await produce(sinkOver(run));
    if (mode === 'replace') {
      const stale = await cleanup(run, oneTx, { ...ctx, ...claims }, footprint, lease);
      removed = { nodes: removed.nodes + stale.nodes, rels: removed.rels + stale.rels };
    }
  };
  const finish = (run: Run, status: 'succeeded' | 'failed', error: string | null) =>
    run('ingest/finish-sync', { syncId, status, error, nodes: counts.nodes, rels: counts.rels, removedNodes: removed.nodes, removedRels: removed.rels, ...lists(footprint), now: new Date().toISOString() });
  const begin = (run: Run) => run('ingest/begin-sync', { ...ctx, mode, now: new Date(started).toISOString() });

  try {
    if (options.atomic) {
      await graph.inWriteTx(`sync ${ctx.source}/${ctx.scope}`, async (tx) => {
        const run = inTx(tx);
        await begin(run);
        await lease.confirm(run);
        const pre = options.precondition;
        if (pre && (await run(pre.name, pre.params)).length === 0) throw new SyncSkippedError(`sync ${syncId}: precondition ${pre.name} not met; nothing written`);
        await body(run, (work) => work(run));
        await finish(run, 'succeeded', null);
      });
    } else {
      await begin(ownTx);
      await body(ownTx, (work) => graph.inWriteTx('cleanup', (tx) => work(inTx(tx))));
    }
  } catch (e) {
    progress.stop();
    // The driver wraps what the transaction's work threw; the skip is not a failure to record.
    const skipped = e instanceof SyncSkippedError ? e : (e as Error)?.cause instanceof SyncSkippedError ? ((e as Error).cause as SyncSkippedError) : undefined;
    if (skipped) {
      await lease.release();
      throw skipped;
    }
    const message = e instanceof ReachgraphError ? e.message : `${(e as Error).name}: ${(e as Error).message}`;
    if (options.atomic) removed = { nodes: 0, rels: 0 }; // rolled back with the rest
    await graph
      .inWriteTx('ingest/finish-sync', async (tx) => {
        const run = inTx(tx);
        if (options.atomic) await begin(run); // its Sync record was rolled back too
        await finish(run, 'failed', message.slice(0, 2000));
      })
      .catch((err: unknown) => logger.error({ err: (err as Error).message, syncId }, 'could not record the failed sync'));
    logger.error({ syncId, source: ctx.source, scope: ctx.scope, error: message }, 'sync failed; nothing was removed');
    await lease.release();
    throw e instanceof ReachgraphError ? e : new IngestError(`sync ${syncId} failed: ${message}`, { cause: e });
  }
  progress.stop();
  const summary: SyncSummary = { ...ctx, status: 'succeeded', ...counts, removedNodes: removed.nodes, removedRels: removed.rels, durationMs: Date.now() - started };
  try {
    if (!options.atomic) await finish(ownTx, 'succeeded', null);
  } finally {
    await lease.release();
  }
  logger.info({ ...summary, perSecond: Math.round(((counts.nodes + counts.rels) * 1000) / Math.max(1, summary.durationMs)) }, 'sync finished');
  return summary;
}

type Footprint = { labels: Set<string>; types: Set<string> };

const lists = (f: Footprint) => ({ labels: [...f.labels].sort(), types: [...f.types].sort() });

/**
 * Removes what a successful sync of this source and scope did not touch, then orphaned stubs. It
 * looks only at the labels and types this sync or another of the scope wrote (their footprints),
 * or everywhere when another sync recorded none (it crashed before finishing).
 */
async function cleanup(
  run: Run,
  oneTx: <T>(work: (run: Run) => Promise<T>) => Promise<T>,
  ctx: { source: string; scope: string; syncId: string } & ReturnType<typeof claimParams>,
  current: Footprint,
  lease: Lease,
): Promise<{ nodes: number; rels: number }> {
  const prev = (await run('ingest/get-sync-footprint', ctx))[0];
  const everywhere = !prev || Number(prev.unknown) > 0;
  const labels = everywhere ? LABELS.map((l) => l.label) : [...new Set([...current.labels, ...((prev.labels as string[]) ?? [])])].filter(isLabel);
  const types = everywhere ? RELS.map((r) => r.type) : [...new Set([...current.types, ...((prev.types as string[]) ?? [])])].filter(isRelType);
  // One transaction: the cleanup of a scope is all or nothing.
  return oneTx(async (tx) => {
    // Only the lease holder removes anything: a sync that stalled past its lease and was taken over stops here.
    await lease.confirm(tx);
    const removed = async (name: string, params: Record<string, unknown>, vars: TemplateVars) => Number((await tx(name, params, vars))[0]?.removed ?? 0);
    let rels = 0;
    let nodes = 0;
    for (const type of types) rels += await removed('cleanup/delete-stale-rels', ctx, { type });
    for (const label of labels) nodes += await removed('cleanup/delete-stale-nodes', ctx, { label });
    for (const label of labels) nodes += await removed('cleanup/delete-orphan-stubs', {}, { label });
    return { nodes, rels };
  });
}

function relRow(r: RelRecord) {
  return {
    from: r.from.id,
    to: r.to.id,
    key: r.key ?? '',
    props: r.props ?? {},
    firstSeen: r.firstSeen ? new Date(r.firstSeen).toISOString() : null,
    lastSeen: r.lastSeen ? new Date(r.lastSeen).toISOString() : null,
    count: r.type.startsWith('DID_') ? (r.count ?? 1) : null,
  };
}

/** Validates records built in code (collectors) the same way file lines are validated. */
export function validateBatch(nodes: NodeRecord[], rels: RelRecord[]): void {
  const noProto = (what: string, props: unknown) => {
    const p = protoKeyPath(props, ['props']);
    if (p) throw new IngestError(`${what}: field \`${p.join('.')}\`: the key "__proto__" is not allowed`);
  };
  for (const [i, n] of nodes.entries()) {
    noProto(`node record ${i}`, n?.props);
    const r = nodeRecordSchema.safeParse(n);
    if (!r.success) throw new IngestError(`node record ${i} (${String(n?.label)} ${String(n?.id).slice(0, 120)}): ${describeIssue(r.error.issues[0]!)}`);
  }
  for (const [i, x] of rels.entries()) {
    noProto(`relationship record ${i}`, x?.props);
    const r = relRecordSchema.safeParse(x);
    if (!r.success) throw new IngestError(`relationship record ${i} (${String(x?.type)}): ${describeIssue(r.error.issues[0]!)}`);
  }
}

type Issue = { path: PropertyKey[]; message: string; code?: string; errors?: Issue[][] };

/** "field `a.b`: message" for a zod issue; for a union (a property value), the reason of the branch that matched the type. */
export function describeIssue(issue: Issue): string {
  const specific = issue.code === 'invalid_union' ? unionReason(issue.errors ?? []) : undefined;
  const path = specific ? [...issue.path, ...specific.path] : issue.path;
  const field = path.map(String).join('.');
  const message = specific?.message ?? issue.message;
  return field ? `field \`${field}\`: ${message}` : message;
}

/** The first issue of a union's branches that is not a type mismatch (e.g. "too big"): what the user should fix. */
function unionReason(branches: Issue[][]): Issue | undefined {
  for (const issues of branches) {
    for (const i of issues) {
      if (i.code === 'invalid_union') {
        const inner = unionReason(i.errors ?? []);
        if (inner) return { ...inner, path: [...i.path, ...inner.path] };
      } else if (i.code !== 'invalid_type') return i;
    }
  }
  return undefined;
}

/** FNV-1a: a cheap, stable spread of ids over lanes. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
