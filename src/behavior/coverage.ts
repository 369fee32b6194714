/**
 * Coverage of a time span by the sensor's observation windows (Coverage nodes, docs/sensor.md):
 * which parts were watched completely, and which were gaps (no window, a window that lost
 * events, or a window without the probe a kind of behaviour needs). Pure.
 */
import { PROBE_OF, type EdgeKind } from './edges.js';

/** One Coverage node of the subject's host (cypher/queries/behavior/subject-coverage). */
export interface CoverageWindow {
  id: string;
  from: number;
  to: number;
  probes: readonly string[];
  lost: boolean;
}

export type GapReason = 'no-window' | 'lost' | 'probe-missing';

export interface CoverageGap {
  from: number;
  to: number;
  reason: GapReason;
  /** The window, for lost and probe-missing gaps. */
  window?: string;
  /** The missing probe, for probe-missing gaps. */
  probe?: string;
}

/** What the windows said about a span. */
export interface CoverageSummary {
  from: number;
  to: number;
  windows: string[];
  lostWindows: number;
  /** Probes every window of the span ran. */
  probes: string[];
  gaps: CoverageGap[];
}

/** Windows that overlap [from, to] (a window merely ending where the span starts does not), by start time; a point span takes the windows containing it. */
export function windowsIn(windows: readonly CoverageWindow[], from: number, to: number): CoverageWindow[] {
  const hit = (w: CoverageWindow) => (from === to ? w.from <= from && w.to >= from : w.to > from && w.from < to);
  return windows.filter(hit).sort((a, b) => a.from - b.from || a.id.localeCompare(b.id));
}

/**
 * Summarizes [from, to]. Consecutive windows closer than `toleranceMs` count as contiguous (the
 * sensor closes one window and opens the next within the same drain).
 */
export function summarizeCoverage(windows: readonly CoverageWindow[], from: number, to: number, toleranceMs = 1000): CoverageSummary {
  const ws = windowsIn(windows, from, to);
  const gaps: CoverageGap[] = [];
  let cursor = from;
  for (const w of ws) {
    if (w.from > cursor + toleranceMs) gaps.push({ from: cursor, to: w.from, reason: 'no-window' });
    if (w.lost) gaps.push({ from: Math.max(w.from, from), to: Math.min(w.to, to), reason: 'lost', window: w.id });
    cursor = Math.max(cursor, w.to);
  }
  if (to > cursor + toleranceMs) gaps.push({ from: cursor, to, reason: 'no-window' });
  const probes = ws.length ? [...ws.slice(1).reduce((s, w) => new Set([...s].filter((p) => w.probes.includes(p))), new Set(ws[0]!.probes))].sort() : [];
  for (const w of ws) {
    for (const p of new Set(Object.values(PROBE_OF))) {
      if (!w.probes.includes(p)) gaps.push({ from: Math.max(w.from, from), to: Math.min(w.to, to), reason: 'probe-missing', window: w.id, probe: p });
    }
  }
  return { from, to, windows: ws.map((w) => w.id), lostWindows: ws.filter((w) => w.lost).length, probes, gaps };
}

/** The gaps that matter for one kind of behaviour: a missing probe only matters for its own kinds. */
export function gapsFor(c: CoverageSummary, kind: EdgeKind): CoverageGap[] {
  const probe = PROBE_OF[kind];
  if (!probe) return [];
  return c.gaps.filter((g) => g.reason !== 'probe-missing' || g.probe === probe);
}

/** True when some window of the span watched this kind completely (ran its probe and lost nothing). */
export function watchedFor(windows: readonly CoverageWindow[], from: number, to: number, kind: EdgeKind): boolean {
  const probe = PROBE_OF[kind];
  if (!probe) return true;
  return windowsIn(windows, from, to).some((w) => !w.lost && w.probes.includes(probe));
}

/** A gap as one line of text (stored on Baseline and DriftEvent nodes). */
export function gapText(g: CoverageGap): string {
  const span = `${new Date(g.from).toISOString()}..${new Date(g.to).toISOString()}`;
  if (g.reason === 'no-window') return `${span} no observation window`;
  if (g.reason === 'lost') return `${span} window ${g.window} lost events`;
  return `${span} window ${g.window} ran without the ${g.probe} probe`;
}
