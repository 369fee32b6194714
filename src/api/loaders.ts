/**
 * DataLoaders of one request (built in context.ts): a page of agents asks for every agent's anchors
 * and edge counts at once, so a page costs the same few Neo4j round trips whatever its size (one
 * risk/subject-anchors call per subject label, one api/anchor-edge-counts call; neighbours one call per
 * distinct `first`). Never shared between requests: results are as fresh as the request.
 */
import DataLoader from 'dataloader';
import type { Graph, Row } from '../graph/driver.js';
import { RELS } from '../graph/model/index.js';
import type { Anchor } from '../risk/blast.js';

/** A subject as the risk engine names it. */
export interface SubjectRef {
  label: string;
  id: string;
}

export interface EdgeCounts {
  declared: number;
  observed: number;
}

/** A relationship of a node, as api/node-neighbours returns it. */
export interface NeighbourRow {
  type: string;
  out: boolean;
  other: string;
  id: string | null;
  labels: string[];
  name: string | null;
  properties: Record<string, unknown>;
  props: Record<string, unknown>;
}

export interface Loaders {
  /** The anchors a subject acts through, the subject first (risk/subject-anchors). */
  anchors: DataLoader<SubjectRef, Anchor[], string>;
  /** MAY_* and DID_* relationships leaving a subject's anchors. */
  edgeCounts: DataLoader<SubjectRef, EdgeCounts, string>;
  /** Up to `first` relationships of a node (by elementId). */
  neighbours: DataLoader<{ node: string; first: number }, NeighbourRow[], string>;
}

const subjectKey = (s: SubjectRef): string => `${s.label}\u0000${s.id}`;
const DECLARED = RELS.filter((r) => r.family === 'declared').map((r) => r.type);
const OBSERVED = RELS.filter((r) => r.family === 'observed').map((r) => r.type);

/** Groups `items` by `by`, keeping first-seen order. */
function groupBy<T>(items: readonly T[], by: (t: T) => string | number): Map<string | number, T[]> {
  const out = new Map<string | number, T[]>();
  for (const t of items) out.set(by(t), [...(out.get(by(t)) ?? []), t]);
  return out;
}

/** Fresh loaders over the request's graph. */
export function createLoaders(graph: Graph): Loaders {
  const anchors = new DataLoader<SubjectRef, Anchor[], string>(
    async (subjects) => {
      const found = new Map<string, Anchor[]>();
      // The query keys its rows by subject id only: one call per label keeps two labels' equal ids apart.
      for (const [label, group] of groupBy(subjects, (s) => s.label)) {
        const rows = (await graph.read('queries/risk/subject-anchors', { subjects: group.map((s) => ({ label: s.label, id: s.id })) })) as unknown as (Anchor & { subject: string })[];
        for (const r of rows) {
          const k = subjectKey({ label: String(label), id: r.subject });
          found.set(k, [...(found.get(k) ?? []), { anchor: r.anchor, label: r.label, id: r.id, hops: r.hops }]);
        }
      }
      return subjects.map((s) => found.get(subjectKey(s)) ?? []);
    },
    { cacheKeyFn: subjectKey },
  );

  const edgeCounts = new DataLoader<SubjectRef, EdgeCounts, string>(
    async (subjects) => {
      const lists = await anchors.loadMany(subjects);
      const rows = await graph.read('queries/api/anchor-edge-counts', {
        subjects: subjects.map((s, i) => {
          const l = lists[i];
          if (l instanceof Error) throw l;
          return { key: subjectKey(s), anchors: [...new Set(l!.map((a) => a.anchor))] };
        }),
        declared: DECLARED,
        observed: OBSERVED,
      });
      const byKey = new Map(rows.map((r) => [String(r.key), { declared: Number(r.declared ?? 0), observed: Number(r.observed ?? 0) }]));
      return subjects.map((s) => byKey.get(subjectKey(s)) ?? { declared: 0, observed: 0 });
    },
    { cacheKeyFn: subjectKey },
  );

  const neighbours = new DataLoader<{ node: string; first: number }, NeighbourRow[], string>(
    async (asks) => {
      const found = new Map<string, NeighbourRow[]>();
      for (const [first, group] of groupBy(asks, (a) => a.first)) {
        const rows: Row[] = await graph.read('queries/api/node-neighbours', { nodes: [...new Set(group.map((a) => a.node))], first });
        for (const r of rows) {
          const k = `${String(r.node)}\u0000${first}`;
          found.set(k, [...(found.get(k) ?? []), r as unknown as NeighbourRow]);
        }
      }
      return asks.map((a) => found.get(`${a.node}\u0000${a.first}`) ?? []);
    },
    { cacheKeyFn: (a) => `${a.node}\u0000${a.first}` },
  );

  return { anchors, edgeCounts, neighbours };
}
