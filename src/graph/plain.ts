/** Turns Neo4j driver values (Integer, Node, Relationship, temporal types) into plain JSON-able values. */
import neo4j, { type QueryResult } from 'neo4j-driver';

export function toPlain(v: unknown): unknown {
  if (v === null || v === undefined) return v ?? null;
  if (neo4j.isInt(v)) return (v as { toNumber(): number }).toNumber();
  if (Array.isArray(v)) return v.map(toPlain);
  if (typeof v !== 'object') return v;
  if (neo4j.isNode(v as never)) {
    const n = v as { labels: string[]; properties: Record<string, unknown> };
    return { labels: n.labels, ...(toPlain(n.properties) as object) };
  }
  if (neo4j.isRelationship(v as never)) {
    const r = v as { type: string; properties: Record<string, unknown> };
    return { type: r.type, ...(toPlain(r.properties) as object) };
  }
  if (neo4j.isPath(v as never)) {
    const p = v as { segments: { start: unknown; relationship: unknown; end: unknown }[]; start: unknown };
    return { start: toPlain(p.start), segments: p.segments.map((s) => ({ relationship: toPlain(s.relationship), end: toPlain(s.end) })) };
  }
  if (neo4j.isDateTime(v as never) || neo4j.isDate(v as never) || neo4j.isLocalDateTime(v as never) || neo4j.isDuration(v as never) || neo4j.isTime(v as never) || neo4j.isLocalTime(v as never)) return String(v);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toPlain(x);
  return out;
}

/** A result's records as plain rows (column name → plain value). */
export function rowsOf(res: QueryResult): Record<string, unknown>[] {
  return res.records.map((r) => toPlain(r.toObject()) as Record<string, unknown>);
}
