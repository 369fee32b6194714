/**
 * Drift: an observed edge outside a subject's locked baseline, seen after the learning window.
 * Each event carries the coverage of its window and is
 *  - classified `explained` when it was first seen within the correlation window after a change of
 *    the subject's declared state (image digest, model version, MCP tool definition, prompt or
 *    config), else `unexplained`;
 *  - `uncertain` rather than `certain` when the baseline's window had a gap for its kind (the edge
 *    may have happened there unseen) or when it was seen only inside gaps;
 *  - scored by kind (severity.ts).
 * Pure: the graph layer (store.ts) reads the inputs and writes the events.
 */
import type { Baseline } from './baseline.js';
import { baselineKeys } from './baseline.js';
import { gapText, gapsFor, summarizeCoverage, watchedFor, type CoverageSummary, type CoverageWindow } from './coverage.js';
import { edgeKey, type EdgeKind, type EdgeSpan, type ObservedEdge } from './edges.js';
import { severityOf, type Severity } from './severity.js';

/** Kinds of declared-state change that explain drift. */
export const CHANGE_KINDS = ['image', 'model', 'mcp-tool', 'prompt', 'config'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** A StateChange node that touches the subject (cypher/queries/behavior/subject-changes). */
export interface StateChange {
  id: string;
  kind: string;
  at: number;
  /** The node it changed (the pod, the workload, the agent…). */
  on: string;
}

export type Classification = { classification: 'explained'; explainedBy: StateChange } | { classification: 'unexplained' };

export interface DriftEvent extends EdgeSpan {
  subject: string;
  baselineVersion: number;
  executables: string[];
  severity: Severity;
  certainty: 'certain' | 'uncertain';
  /** Why uncertain (empty when certain). */
  reasons: string[];
  /** Coverage of [firstSeen, lastSeen]. */
  coverage: CoverageSummary;
  classification: Classification;
}

export interface DriftOptions {
  /** How long after a declared-state change new behaviour counts as explained; default 1 hour. */
  correlationMs?: number;
  /** Most events returned per call; the rest are counted, not dropped silently. Default 1000. */
  maxEvents?: number;
}

export interface DriftResult {
  events: DriftEvent[];
  /** Edges outside the baseline beyond maxEvents, by kind (the highest-scoring events are kept). */
  suppressed: { total: number; byKind: Partial<Record<EdgeKind, number>> };
}

export const DEFAULT_CORRELATION_MS = 3_600_000;
export const DEFAULT_MAX_EVENTS = 1000;

/** Explained when first seen at or after a change and no later than the correlation window; the latest such change wins. */
export function classify(firstSeen: number, changes: readonly StateChange[], correlationMs: number): Classification {
  const hit = changes.filter((c) => c.at <= firstSeen && firstSeen - c.at <= correlationMs).sort((a, b) => b.at - a.at || a.id.localeCompare(b.id))[0];
  return hit ? { classification: 'explained', explainedBy: hit } : { classification: 'unexplained' };
}

/** Drift of a subject against its locked baseline. An unlocked baseline yields nothing. */
export function detectDrift(baseline: Baseline, edges: readonly ObservedEdge[], windows: readonly CoverageWindow[], changes: readonly StateChange[], opts: DriftOptions = {}): DriftResult {
  const empty: DriftResult = { events: [], suppressed: { total: 0, byKind: {} } };
  if (baseline.state !== 'locked') return empty;
  const known = baselineKeys(baseline);
  const correlationMs = opts.correlationMs ?? DEFAULT_CORRELATION_MS;
  const max = opts.maxEvents ?? DEFAULT_MAX_EVENTS;
  const fresh = edges.filter((e) => !known.has(edgeKey(e)) && e.lastSeen > baseline.windowTo);
  const scored = fresh.map((e) => ({ e, sev: severityOf(e) })).sort((a, b) => b.sev.score - a.sev.score || a.e.firstSeen - b.e.firstSeen || edgeKey(a.e).localeCompare(edgeKey(b.e)));
  const out: DriftResult = { events: [], suppressed: { total: 0, byKind: {} } };
  for (const { e, sev } of scored) {
    if (out.events.length >= max) {
      out.suppressed.total++;
      out.suppressed.byKind[e.kind] = (out.suppressed.byKind[e.kind] ?? 0) + 1;
      continue;
    }
    const reasons = [
      ...gapsFor(baseline.coverage, e.kind).map((g) => `baseline window gap: ${gapText(g)}`),
      ...(watchedFor(windows, e.firstSeen, e.lastSeen, e.kind) ? [] : ['seen only in a coverage gap (no complete window watched it)']),
    ];
    out.events.push({
      subject: baseline.subject,
      baselineVersion: baseline.version,
      kind: e.kind,
      target: e.target,
      targetLabel: e.targetLabel,
      count: e.count,
      firstSeen: e.firstSeen,
      lastSeen: e.lastSeen,
      executables: e.executables,
      severity: sev,
      certainty: reasons.length ? 'uncertain' : 'certain',
      reasons,
      coverage: summarizeCoverage(windows, e.firstSeen, e.lastSeen),
      classification: classify(e.firstSeen, changes, correlationMs),
    });
  }
  return out;
}

/** Node id of a drift event: one per subject, baseline version and edge. */
export const driftEventId = (e: Pick<DriftEvent, 'subject' | 'baselineVersion' | 'kind' | 'target'>): string => `drift:${e.subject}|v${e.baselineVersion}|${e.kind}|${e.target}`;
