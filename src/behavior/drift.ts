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

/** A new edge with its severity: what the per-run cap ranks. */
export interface DriftCandidate {
  e: ObservedEdge;
  sev: Severity;
}

/** Cap order: highest score first, then earliest first seen, then (kind, target). */
export const byDriftRank = (a: DriftCandidate, b: DriftCandidate): number => b.sev.score - a.sev.score || a.e.firstSeen - b.e.firstSeen || edgeKey(a.e).localeCompare(edgeKey(b.e));

/**
 * The `max` highest-ranked of any number of candidates offered one at a time, holding at most
 * 2 × max (+1) of them, and the count by kind of every candidate left out: what lets drift page
 * through a flood of new edges with bounded memory and still say exactly how many it did not keep.
 */
export class TopDrift {
  private held: DriftCandidate[] = [];
  private offered = 0;
  private offeredByKind: Partial<Record<EdgeKind, number>> = {};

  constructor(readonly max: number) {}

  offer(c: DriftCandidate): void {
    this.offered++;
    this.offeredByKind[c.e.kind] = (this.offeredByKind[c.e.kind] ?? 0) + 1;
    this.held.push(c);
    if (this.held.length > 2 * this.max) this.trim();
  }

  private trim(): void {
    this.held.sort(byDriftRank);
    this.held.length = Math.min(this.held.length, this.max);
  }

  /** The kept candidates in cap order, and what was left out, by kind. */
  result(): { kept: DriftCandidate[]; outside: number; suppressed: DriftResult['suppressed'] } {
    this.trim();
    const byKind: Partial<Record<EdgeKind, number>> = { ...this.offeredByKind };
    for (const c of this.held) byKind[c.e.kind] = byKind[c.e.kind]! - 1;
    for (const k of Object.keys(byKind) as EdgeKind[]) if (!byKind[k]) delete byKind[k];
    return { kept: [...this.held], outside: this.offered, suppressed: { total: this.offered - this.held.length, byKind } };
  }
}

/** The drift event one new edge makes against a locked baseline: certainty, coverage, classification. */
export function driftEventOf(baseline: Baseline, { e, sev }: DriftCandidate, windows: readonly CoverageWindow[], changes: readonly StateChange[], correlationMs: number): DriftEvent {
  const reasons = [
    ...gapsFor(baseline.coverage, e.kind).map((g) => `baseline window gap: ${gapText(g)}`),
    ...(watchedFor(windows, e.firstSeen, e.lastSeen, e.kind) ? [] : ['seen only in a coverage gap (no complete window watched it)']),
  ];
  return {
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
  };
}

/** Drift of a subject against its locked baseline. An unlocked baseline yields nothing. */
export function detectDrift(baseline: Baseline, edges: readonly ObservedEdge[], windows: readonly CoverageWindow[], changes: readonly StateChange[], opts: DriftOptions = {}): DriftResult {
  if (baseline.state !== 'locked') return { events: [], suppressed: { total: 0, byKind: {} } };
  const known = baselineKeys(baseline);
  const correlationMs = opts.correlationMs ?? DEFAULT_CORRELATION_MS;
  const top = new TopDrift(opts.maxEvents ?? DEFAULT_MAX_EVENTS);
  for (const e of edges) if (!known.has(edgeKey(e)) && e.lastSeen > baseline.windowTo) top.offer({ e, sev: severityOf(e) });
  const { kept, suppressed } = top.result();
  return { events: kept.map((c) => driftEventOf(baseline, c, windows, changes, correlationMs)), suppressed };
}

/** Node id of a drift event: one per subject, baseline version and edge. */
export const driftEventId = (e: Pick<DriftEvent, 'subject' | 'baselineVersion' | 'kind' | 'target'>): string => `drift:${e.subject}|v${e.baselineVersion}|${e.kind}|${e.target}`;
