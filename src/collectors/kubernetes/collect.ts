/**
 * The Kubernetes collector: get → transform → load → cleanup, through the ingest core's runSync
 * (source 'kubernetes', scope = cluster name, replace mode: a failed sync deletes nothing).
 *
 * - `collectFromDir`: offline, from manifests and `kubectl get -o json` dumps (manifests.ts).
 * - `KubernetesCollector`: list every kind, write a replace sync, then watch. Each burst of changes (debounced)
 *   updates the in-memory snapshot; derived edges (RBAC attack edges, NetworkPolicy reachability) depend on the
 *   whole cluster, so the batch is recomputed, diffed against what was written, and only the difference goes
 *   to the graph: an append sync of new/changed records plus deletes of vanished ones (owned by this source and
 *   scope). A relist (410 Gone) or a failed update falls back to a full replace sync.
 */
import { setMaxListeners } from 'node:events';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Graph } from '../../graph/driver.js';
import { runSync, type SyncSummary } from '../../graph/ingest.js';
import { logger as rootLogger, type Logger } from '../../log.js';
import { countManifests, describeSource, manifestSource, readManifestDir } from './manifests.js';
import { KINDS, KubeHttp, listAll, watchKind, type KindSpec, type WatchEvent } from './api.js';
import { snapshotToBatch, type ClusterSnapshot, type TransformStats } from './transform.js';
import type { Batch, NodeRecord, RelRecord } from '../../graph/records.js';
import { groupBy } from '../../util/group-by.js';
import { recordImageChanges, storedImages } from './changes.js';

export const SOURCE = 'kubernetes';

export function emptySnapshot(): ClusterSnapshot {
  return {
    namespaces: [], nodes: [], pods: [], deployments: [], replicaSets: [], statefulSets: [], daemonSets: [], jobs: [], cronJobs: [],
    services: [], endpointSlices: [], serviceAccounts: [], roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [],
    networkPolicies: [], secrets: [], configMaps: [], inferenceServices: [],
  };
}

/** Writes one snapshot as a replace sync of the cluster scope. */
export async function syncSnapshot(
  graph: Graph,
  cluster: string,
  snapshot: ClusterSnapshot,
  opts: { describe?: (o: object) => string | undefined; progress?: boolean; aggregation?: 'stored' | 'controller' } = {},
): Promise<SyncSummary & { transform: TransformStats; batch: Batch }> {
  let batch: (Batch & { stats: TransformStats }) | undefined;
  const before = await storedImages(graph, cluster);
  const summary = await runSync(graph, { source: SOURCE, scope: cluster, mode: 'replace', progress: opts.progress ?? false }, async (sink) => {
    batch = snapshotToBatch(cluster, snapshot, { ...(opts.describe ? { describe: opts.describe } : {}), ...(opts.aggregation ? { aggregation: opts.aggregation } : {}) });
    await sink.write({ nodes: batch.nodes, rels: batch.rels });
  });
  await recordImageChanges(graph, cluster, before, batch!);
  return { ...summary, transform: batch!.stats, batch: { nodes: batch!.nodes, rels: batch!.rels } };
}

const nodeKey = (n: NodeRecord) => `${n.label}\u0000${n.id}`;
const relKey = (r: RelRecord) => `${r.type}\u0000${r.from.label}\u0000${r.from.id}\u0000${r.to.label}\u0000${r.to.id}\u0000${r.key ?? ''}`;

/** What was written, by record key → props (JSON), to diff the next batch against. */
interface Written {
  nodes: Map<string, { rec: NodeRecord; json: string }>;
  rels: Map<string, { rec: RelRecord; json: string }>;
}

function index(batch: Batch): Written {
  return {
    nodes: new Map(batch.nodes.map((n) => [nodeKey(n), { rec: n, json: JSON.stringify(n.props ?? {}) }])),
    rels: new Map(batch.rels.map((r) => [relKey(r), { rec: r, json: JSON.stringify(r.props ?? {}) }])),
  };
}

/** Properties that disappeared are written as null, which removes them from the stored record. */
function withRemovedProps<T extends NodeRecord | RelRecord>(rec: T, prev: T | undefined): T {
  if (!prev?.props) return rec;
  const props = { ...(rec.props ?? {}) };
  for (const k of Object.keys(prev.props)) if (!(k in props)) props[k] = null;
  return { ...rec, props };
}

/** The difference between two batches: records to (re)write and records to delete. */
export function diffBatches(before: Written, after: Written): { upsert: Batch; removeNodes: NodeRecord[]; removeRels: RelRecord[] } {
  const upsert: Batch = { nodes: [], rels: [] };
  for (const [k, v] of after.nodes) {
    const prev = before.nodes.get(k);
    if (!prev || prev.json !== v.json) upsert.nodes.push(withRemovedProps(v.rec, prev?.rec));
  }
  for (const [k, v] of after.rels) {
    const prev = before.rels.get(k);
    if (!prev || prev.json !== v.json) upsert.rels.push(withRemovedProps(v.rec, prev?.rec));
  }
  const removeNodes = [...before.nodes].filter(([k]) => !after.nodes.has(k)).map(([, v]) => v.rec);
  const removeRels = [...before.rels].filter(([k]) => !after.rels.has(k)).map(([, v]) => v.rec);
  return { upsert, removeNodes, removeRels };
}

/** Offline collection from a directory of manifests. Unknown kinds are counted and skipped. */
export async function collectFromDir(graph: Graph, dir: string, cluster: string, log: Logger = rootLogger): Promise<SyncSummary & { transform: TransformStats; skipped: Record<string, number> }> {
  const m = await readManifestDir(dir);
  const { skipped } = countManifests(m);
  if (Object.keys(skipped).length) log.info({ skipped }, 'kinds not collected (custom resources or other built-ins)');
  const { other: _other, ...snapshot } = m;
  const describe = (o: object) => {
    const s = manifestSource(o);
    return s ? describeSource(s) : undefined;
  };
  const { batch: _batch, ...summary } = await syncSnapshot(graph, cluster, snapshot, { describe });
  return { ...summary, skipped };
}

function objectKey(o: object): string {
  const m = (o as { metadata?: { namespace?: string; name?: string } }).metadata;
  return `${m?.namespace ?? ''}/${m?.name ?? ''}`;
}

export interface CollectorOptions {
  cluster: string;
  kubeConfig: KubeConfig;
  /** Quiet period after a change before re-syncing (ms). */
  debounceMs?: number;
  log?: Logger;
  /** Called after every sync (the first one and each one a watch event triggered). */
  onSync?: (s: SyncSummary & { transform: TransformStats; trigger: 'initial' | 'watch' }) => void;
}

/** List + watch collector for a live cluster. */
export class KubernetesCollector {
  private readonly api: KubeHttp;
  private readonly log: Logger;
  private readonly state = new Map<keyof ClusterSnapshot, Map<string, object>>();
  private readonly abort = new AbortController();
  private watches: Promise<void>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;
  private dirty = false;
  private needFull = false;
  private written: Written | undefined;
  private stopped = false;
  /** Number of list pages read in the initial list (visible for tests of pagination). */
  pagesRead = 0;
  lastError: Error | undefined;

  constructor(
    private readonly graph: Graph,
    private readonly opts: CollectorOptions,
  ) {
    this.api = new KubeHttp(opts.kubeConfig);
    // One watch per kind listens on the same signal.
    setMaxListeners(KINDS.length * 2 + 10, this.abort.signal);
    this.log = (opts.log ?? rootLogger).child({ collector: SOURCE, cluster: opts.cluster });
  }

  snapshot(): ClusterSnapshot {
    const s = emptySnapshot();
    for (const [bucket, m] of this.state) (s[bucket] as object[]) = [...m.values()];
    return s;
  }

  private async listInto(spec: KindSpec, pageSize: number): Promise<string> {
    const { items, resourceVersion, pages } = await listAll(this.api, spec, pageSize);
    this.pagesRead += pages;
    const m = new Map<string, object>();
    for (const o of items) m.set(objectKey(o), o);
    this.state.set(spec.bucket, m);
    return resourceVersion;
  }

  /** Lists every kind, writes the first sync, then starts the watches (unless `watch` is false). */
  async start(opts: { watch?: boolean; pageSize?: number } = {}): Promise<SyncSummary & { transform: TransformStats }> {
    const pageSize = opts.pageSize ?? 500;
    const versions = new Map<KindSpec, string>();
    for (const spec of KINDS) versions.set(spec, await this.listInto(spec, pageSize));
    const { batch, ...first } = await syncSnapshot(this.graph, this.opts.cluster, this.snapshot(), { aggregation: 'stored' });
    this.written = index(batch);
    this.opts.onSync?.({ ...first, trigger: 'initial' });
    this.log.info({ nodes: first.nodes, rels: first.rels, attackEdges: first.transform.attackEdges }, 'initial sync done');
    if (opts.watch !== false) {
      // An optional kind that was not served (resourceVersion '') has nothing to watch until the next start.
      for (const spec of KINDS.filter((k) => !k.optional || versions.get(k) !== '')) {
        this.watches.push(
          watchKind(
            this.api,
            spec,
            versions.get(spec)!,
            (e) => this.apply(spec, e),
            async () => {
              const rv = await this.listInto(spec, pageSize);
              this.needFull = true;
              this.schedule();
              return rv;
            },
            this.abort.signal,
            (err) => {
              this.lastError = err;
              this.log.warn({ kind: spec.kind, err: err.message }, 'watch interrupted; resuming');
            },
          ),
        );
      }
    }
    return first;
  }

  private apply(spec: KindSpec, e: WatchEvent): void {
    if (e.type === 'BOOKMARK') return;
    const m = this.state.get(spec.bucket) ?? new Map<string, object>();
    this.state.set(spec.bucket, m);
    if (e.type === 'DELETED') m.delete(objectKey(e.object));
    else m.set(objectKey(e.object), e.object);
    this.log.debug({ kind: spec.kind, event: e.type, object: objectKey(e.object) }, 'watch event');
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.dirty = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.opts.debounceMs ?? 150);
  }

  private async flush(): Promise<void> {
    if (this.syncing) return; // the running sync re-checks `dirty` when it ends
    this.syncing = (async () => {
      while (this.dirty && !this.stopped) {
        this.dirty = false;
        try {
          await this.update();
        } catch (err) {
          this.needFull = true;
          this.lastError = err as Error;
          this.log.error({ err: (err as Error).message }, 'sync after watch events failed; the previous graph state is kept');
        }
      }
    })();
    try {
      await this.syncing;
    } finally {
      this.syncing = undefined;
    }
  }

  /** Applies the current snapshot: only the difference to what was written, or a full replace sync when needed. */
  private async update(): Promise<void> {
    const cluster = this.opts.cluster;
    if (this.needFull || !this.written) {
      this.needFull = false;
      const { batch, ...s } = await syncSnapshot(this.graph, cluster, this.snapshot(), { aggregation: 'stored' });
      this.written = index(batch);
      this.opts.onSync?.({ ...s, trigger: 'watch' });
      return;
    }
    // A live cluster: aggregated ClusterRoles by the rules the server stores and enforces.
    const batch = snapshotToBatch(cluster, this.snapshot(), { aggregation: 'stored' });
    const next = index(batch);
    const { upsert, removeNodes, removeRels } = diffBatches(this.written, next);
    if (upsert.nodes.length + upsert.rels.length + removeNodes.length + removeRels.length === 0) {
      this.written = next;
      return;
    }
    const before = await storedImages(this.graph, cluster);
    // One atomic sync: removals first (they touch only records the new batch lacks), then the upserts. A reader
    // never sees an edge gone while the object it came from is still there.
    const summary = await runSync(this.graph, { source: SOURCE, scope: cluster, mode: 'append', progress: false, atomic: true }, async (sink) => {
      await sink.remove({ rels: removeRels, nodes: removeNodes });
      await sink.write(upsert);
    });
    this.written = next;
    await recordImageChanges(this.graph, cluster, before, batch);
    this.log.debug({ upsertNodes: summary.nodes, upsertRels: summary.rels, removedNodes: summary.removedNodes, removedRels: summary.removedRels, ms: summary.durationMs }, 'watch changes applied');
    this.opts.onSync?.({ ...summary, transform: batch.stats, trigger: 'watch' });
  }

  /** Stops the watches and waits for a running sync to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await Promise.allSettled(this.watches);
    await this.syncing;
  }
}
