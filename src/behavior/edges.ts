/**
 * Observed edges as the behaviour engine sees them: one (kind, target) per thing a subject did,
 * whatever executable or port key the sensor split it into. Pure: no Neo4j, no clock.
 */

/** Kinds of behaviour a baseline holds, one per observed relationship type. */
export const EDGE_KINDS = ['exec', 'connect', 'accept', 'resolve', 'open', 'iam', 'mcp'] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

/** Observed relationship type → kind (DID_CALL_TOOL: an AIAgent's MCP tool calls, written by `reachgraph mcp proxy`). */
export const KIND_OF_REL: Readonly<Record<string, EdgeKind>> = {
  DID_EXEC: 'exec',
  DID_CONNECT: 'connect',
  DID_ACCEPT: 'accept',
  DID_RESOLVE: 'resolve',
  DID_OPEN: 'open',
  DID_USE_ACTION: 'iam',
  DID_CALL_TOOL: 'mcp',
};

/**
 * The sensor probe whose windows vouch for "not seen means did not happen" for a kind. IAM
 * last-accessed and MCP records are not sampled by windows, so they need no coverage.
 */
export const PROBE_OF: Readonly<Partial<Record<EdgeKind, string>>> = { exec: 'exec', connect: 'net', accept: 'net', resolve: 'dns', open: 'files' };

/** One observed relationship as read from the graph (cypher/queries/behavior/subject-edges). */
export interface RawEdge {
  type: string;
  target: string;
  targetLabel: string;
  count: number;
  /** Epoch milliseconds. */
  firstSeen: number;
  lastSeen: number;
  executable?: string | null;
  fileClass?: string | null;
  loopback?: boolean | null;
}

/** A (kind, target) with its count and observed span (epoch ms): what baselines hold and drift reports. */
export interface EdgeSpan {
  kind: EdgeKind;
  target: string;
  /** Label of the target node. */
  targetLabel: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
}

/** One (kind, target) the subject did, summed over executables and keys. */
export interface ObservedEdge extends EdgeSpan {
  /** Executables seen doing it, sorted (evidence, not identity). */
  executables: string[];
  fileClass?: string;
  loopback?: boolean;
}

/** The identity of an edge inside a baseline: kind and target. */
export const edgeKey = (e: { kind: EdgeKind; target: string }): string => `${e.kind}|${e.target}`;

/** Folds raw relationships into one edge per (kind, target); unknown relationship types are ignored. */
export function aggregateEdges(raw: readonly RawEdge[]): ObservedEdge[] {
  const m = new Map<string, ObservedEdge>();
  for (const r of raw) {
    const kind = KIND_OF_REL[r.type];
    if (!kind) continue;
    const k = edgeKey({ kind, target: r.target });
    const prev = m.get(k);
    // an exec edge's target is its executable
    const exe = r.executable ? [r.executable] : kind === 'exec' ? [r.target] : [];
    if (prev) {
      prev.count += r.count;
      prev.firstSeen = Math.min(prev.firstSeen, r.firstSeen);
      prev.lastSeen = Math.max(prev.lastSeen, r.lastSeen);
      prev.executables = [...new Set([...prev.executables, ...exe])].sort();
    } else {
      m.set(k, {
        kind,
        target: r.target,
        targetLabel: r.targetLabel,
        count: r.count,
        firstSeen: r.firstSeen,
        lastSeen: r.lastSeen,
        executables: exe,
        ...(r.fileClass ? { fileClass: r.fileClass } : {}),
        ...(typeof r.loopback === 'boolean' ? { loopback: r.loopback } : {}),
      });
    }
  }
  return [...m.values()].sort((a, b) => edgeKey(a).localeCompare(edgeKey(b)));
}
