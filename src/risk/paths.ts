/**
 * Attack paths shaping. Pure: rows of cypher/queries/risk/attack-paths (up to 8 shortest per start and
 * target) become the k shortest per (entry, target), each prefixed with the entry's join hops.
 */
import type { Hop } from './blast.js';
import { scorePath } from './score.js';

/** Where a path starts: an entry point or a subject's anchor, with the hops from the entry to it. */
export interface Start {
  node: string;
  entry: string;
  reason: string;
  hops: Hop[];
}

export interface PathRow {
  start: string;
  target: string;
  targetLabel: string;
  length: number;
  hops: Hop[];
}

export interface AttackPath {
  entry: string;
  entryReason: string;
  target: string;
  targetLabel: string;
  targetReason: string;
  /** Hops from the entry, its joins to the node the search started from included. */
  length: number;
  observed: boolean;
  score: number;
  path: Hop[];
}

/** The k shortest paths per (entry, target), shortest first, observed evidence first on ties. */
export function shapePaths(starts: readonly Start[], rows: readonly PathRow[], targetReasons: ReadonlyMap<string, string>, k: number): AttackPath[] {
  const byNode = new Map<string, Start[]>();
  for (const s of starts) byNode.set(s.node, [...(byNode.get(s.node) ?? []), s]);
  const groups = new Map<string, AttackPath[]>();
  for (const r of rows)
    for (const s of byNode.get(r.start) ?? []) {
      const path = [...s.hops, ...r.hops];
      const observed = r.hops.some((h) => h.type.startsWith('DID_'));
      const key = `${s.entry}\u0000${r.target}`;
      const list = groups.get(key) ?? [];
      const sig = path.map((h) => `${h.type}>${h.to}`).join(' ');
      if (list.some((p) => p.path.map((h) => `${h.type}>${h.to}`).join(' ') === sig)) continue;
      list.push({ entry: s.entry, entryReason: s.reason, target: r.target, targetLabel: r.targetLabel, targetReason: targetReasons.get(`${r.targetLabel}|${r.target}`) ?? 'target', length: path.length, observed, score: scorePath(10, r.hops.map((h) => h.type)).score, path });
      groups.set(key, list);
    }
  const out: AttackPath[] = [];
  for (const list of groups.values()) out.push(...list.sort((a, b) => a.length - b.length || Number(b.observed) - Number(a.observed)).slice(0, k));
  return out.sort((a, b) => a.length - b.length || a.entry.localeCompare(b.entry) || a.target.localeCompare(b.target));
}
