/**
 * Bounded volume: per-process lineage (Process nodes) is kept for a retention window and for the
 * processes behind drift events; the (workload, executable, parent executable) aggregate stays
 * forever (docs/behavior.md, "Retention").
 */
import type { Graph } from '../graph/driver.js';

/** Default lineage retention: one day. */
export const DEFAULT_LINEAGE_RETENTION_MS = 86_400_000;

export interface PruneOptions {
  retentionMs?: number;
  /** Only this host's processes (the sensor prunes its own). */
  host?: string;
  now?: number;
  /** Processes deleted per transaction; default 5000. */
  batch?: number;
}

/** Deletes Process nodes older than the retention window, in batches; returns how many. */
export async function pruneLineage(graph: Graph, o: PruneOptions = {}): Promise<{ deleted: number; before: string }> {
  const before = new Date((o.now ?? Date.now()) - (o.retentionMs ?? DEFAULT_LINEAGE_RETENTION_MS)).toISOString();
  const limit = o.batch ?? 5000;
  let deleted = 0;
  for (;;) {
    const r = await graph.write('cleanup/prune-process-lineage', { before, host: o.host ?? null, limit });
    const n = Number(r.rows[0]?.deleted ?? 0);
    deleted += n;
    if (n < limit) return { deleted, before };
  }
}
