/**
 * Baselines: the set of edges a subject was observed doing over a learning window, with counts,
 * and the coverage of that window. A baseline is learned (state `learning`, re-learnable), then
 * locked; only a locked baseline is compared against (drift.ts). Pure.
 */
import { InputError } from '../errors.js';
import { summarizeCoverage, type CoverageSummary, type CoverageWindow } from './coverage.js';
import { edgeKey, type EdgeSpan, type ObservedEdge } from './edges.js';

export type BaselineState = 'learning' | 'locked';

/** One edge a baseline holds. */
export type BaselineEntry = EdgeSpan;

export interface Baseline {
  subject: string;
  state: BaselineState;
  /** Bumped by every relearn; drift events name the version they were measured against. */
  version: number;
  windowFrom: number;
  windowTo: number;
  entries: BaselineEntry[];
  coverage: CoverageSummary;
}

/** Node id of a subject's baseline. */
export const baselineId = (subject: string): string => `baseline:${subject}`;

/** Parses a duration such as 90s, 15m, 24h, 7d (or plain milliseconds). */
export function parseDuration(text: string, what = '--window'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new InputError(`${what}: "${text}" is not a duration (e.g. 90s, 15m, 24h, 7d)`);
  const n = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms'];
  if (!(n > 0)) throw new InputError(`${what}: "${text}" must be longer than zero`);
  return n;
}

/**
 * Learns a baseline over [from, to]: every edge whose observed span touches the window. Counts are
 * the edges' counts when learned (the sensor keeps running totals, not per-window counts).
 */
export function learnBaseline(subject: string, edges: readonly ObservedEdge[], windows: readonly CoverageWindow[], from: number, to: number, version = 1): Baseline {
  if (!(to > from)) throw new InputError(`baseline of ${subject}: the learning window must end after it starts`);
  const entries = edges
    .filter((e) => e.firstSeen <= to && e.lastSeen >= from)
    .map(({ kind, target, targetLabel, count, firstSeen, lastSeen }) => ({ kind, target, targetLabel, count, firstSeen, lastSeen }));
  return { subject, state: 'learning', version, windowFrom: from, windowTo: to, entries, coverage: summarizeCoverage(windows, from, to) };
}

/** The keys a baseline holds, for membership tests. */
export function baselineKeys(b: Pick<Baseline, 'entries'>): Set<string> {
  return new Set(b.entries.map(edgeKey));
}
