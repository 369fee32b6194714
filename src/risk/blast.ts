/**
 * Blast radius shaping. Pure: rows of cypher/queries/risk/blast-radius (one shortest path per anchor
 * and reached node) become one entry per sensitive target, with the shortest evidence path from the
 * subject (join hops to the anchor, then the path) and a score.
 */
import { classifyTarget, scorePath, type Score } from './score.js';

/** One hop of an evidence path: relationship type, ends, and the relationship's key properties. */
export interface Hop {
  type: string;
  from: string;
  to: string;
  props?: Record<string, unknown>;
}

/** An anchor of a subject (risk/subject-anchors row). */
export interface Anchor {
  anchor: string;
  label: string;
  id: string;
  hops: Hop[];
}

/** A row of risk/blast-radius. */
export interface ReachRow {
  anchor: string;
  target: string;
  labels: string[];
  props: Record<string, unknown>;
  admin: boolean;
  hops: Hop[];
}

export interface BlastTarget extends Score {
  target: string;
  label: string;
  kind: string;
  reason: string;
  /** The subject's join hops to the anchor, then the path; `hops` (in Score) counts the path only. */
  path: Hop[];
}

const dropNulls = (o: Record<string, unknown> | undefined): Record<string, unknown> => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== null && v !== undefined && v !== ''));

/**
 * Sensitive targets, highest score first; per target the shortest path over all anchors. With
 * `observedOnly` (mode observed) a target counts only when its path has a DID_* hop: the structural
 * joins alone (a mounted secret, group membership) are configuration, not behaviour.
 */
export function shapeBlastRadius(anchors: readonly Anchor[], rows: readonly ReachRow[], opts: { observedOnly?: boolean } = {}): BlastTarget[] {
  const byAnchor = new Map(anchors.map((a) => [a.anchor, a]));
  const best = new Map<string, BlastTarget>();
  for (const r of rows) {
    const a = byAnchor.get(r.anchor);
    if (!a) continue;
    const last = r.hops.at(-1);
    const cls = classifyTarget({ id: r.target, labels: r.labels, props: r.props, admin: r.admin, lastHop: last && { type: last.type, props: last.props ?? {} } });
    if (!cls) continue;
    if (opts.observedOnly && !r.hops.some((h) => h.type.startsWith('DID_'))) continue;
    const path = [...a.hops.map((h) => ({ type: h.type, from: h.from, to: h.to })), ...r.hops.map((h) => ({ type: h.type, from: h.from, to: h.to, props: dropNulls(h.props) }))];
    const entry: BlastTarget = { target: r.target, label: r.labels[0] ?? '', kind: cls.kind, reason: cls.reason, path, ...scorePath(cls.criticality, r.hops.map((h) => h.type)) };
    const key = `${entry.label}|${r.target}`;
    const prev = best.get(key);
    // Shorter path first; on a tie the higher score (a more critical class, or observed evidence).
    if (!prev || path.length < prev.path.length || (path.length === prev.path.length && entry.score > prev.score)) best.set(key, entry);
  }
  return [...best.values()].sort((x, y) => y.score - x.score || x.target.localeCompare(y.target));
}
