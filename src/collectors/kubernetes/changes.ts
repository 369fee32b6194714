/**
 * Declared-state changes the Kubernetes collector sees: a top-level workload whose pods run an image
 * they did not run at the previous sync (a rollout) becomes a `StateChange {kind: 'image'}` that
 * CHANGED the workload, so drift right after it is classified explained (docs/behavior.md).
 *
 * Changes are written in their own append sync (source `kubernetes-changes`): the collector's replace
 * syncs would otherwise remove them at the next sync, and a change is history, not current state.
 */
import { createHash } from 'node:crypto';
import type { Graph } from '../../graph/driver.js';
import { runSync } from '../../graph/ingest.js';
import type { Batch, NodeRecord, RelRecord } from '../../graph/records.js';

export const CHANGES_SOURCE = 'kubernetes-changes';

/** Top-level workload id → its pods' images, from a batch. */
export function imagesOfBatch(batch: Batch): Map<string, string[]> {
  const workloadOfPod = new Map<string, string>();
  for (const n of batch.nodes) if (n.label === 'K8sPod' && typeof n.props?.workload === 'string') workloadOfPod.set(n.id, n.props.workload);
  const imageOf = new Map<string, string>();
  for (const n of batch.nodes) if (n.label === 'K8sContainer' && typeof n.props?.image === 'string') imageOf.set(n.id, n.props.image);
  const out = new Map<string, Set<string>>();
  for (const r of batch.rels) {
    if (r.type !== 'HAS_CONTAINER') continue;
    const w = workloadOfPod.get(r.from.id);
    const image = imageOf.get(r.to.id);
    if (w && image) out.set(w, (out.get(w) ?? new Set()).add(image));
  }
  return new Map([...out].map(([w, s]) => [w, [...s].sort()]));
}

/**
 * The image changes between what the graph held and a new batch: a workload known before (with
 * images) whose pods now run an image it did not run. A workload seen for the first time, or one
 * whose old pods merely went away after a rollout, is not a change. Ids are derived from the new
 * image set, so writing the same change twice is one node.
 */
export function imageChanges(before: ReadonlyMap<string, readonly string[]>, after: ReadonlyMap<string, readonly string[]>, at: string): { nodes: NodeRecord[]; rels: RelRecord[] } {
  const nodes: NodeRecord[] = [];
  const rels: RelRecord[] = [];
  for (const [workload, images] of after) {
    const old = before.get(workload);
    if (!old || old.length === 0) continue;
    const added = images.filter((i) => !old.includes(i));
    if (added.length === 0) continue;
    const id = `${workload}/image/${createHash('sha256').update(images.join('\u0000')).digest('hex').slice(0, 16)}`;
    nodes.push({ kind: 'node', label: 'StateChange', id, props: { kind: 'image', at, before: old.join(', '), after: images.join(', '), added } });
    rels.push({ kind: 'rel', type: 'CHANGED', from: { label: 'StateChange', id }, to: { label: 'K8sWorkload', id: workload } });
  }
  return { nodes, rels };
}

/** What the graph holds now for this cluster (read before a sync). */
export async function storedImages(graph: Graph, cluster: string): Promise<Map<string, string[]>> {
  const rows = (await graph.read('queries/kubernetes/workload-images', { cluster })) as { workload: string; images: string[] }[];
  return new Map(rows.map((r) => [r.workload, r.images]));
}

/** Records the image changes a successful sync of `batch` brought; returns how many. */
export async function recordImageChanges(graph: Graph, cluster: string, before: ReadonlyMap<string, readonly string[]>, batch: Batch, at = new Date().toISOString()): Promise<number> {
  const changes = imageChanges(before, imagesOfBatch(batch), at);
  if (changes.nodes.length === 0) return 0;
  await runSync(graph, { source: CHANGES_SOURCE, scope: cluster, mode: 'append', progress: false }, (sink) => sink.write(changes));
  return changes.nodes.length;
}
