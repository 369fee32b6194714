/**
 * Absence is not proof. Pure: decides whether a subject's observation windows (Coverage nodes) cover
 * an evidence window completely for one probe family, so that "not seen" may be read as "not done".
 */

/** One Coverage window of one sensor Workload (risk/gaps-coverage row). */
export interface CoverageWindow {
  workload: string;
  coverage: string | null;
  from: string | null;
  to: string | null;
  probes: string[];
  lost: boolean;
}

/** Completeness of the evidence for one probe family over the evidence window. */
export interface Completeness {
  complete: boolean;
  /** Why not complete; absent when complete. */
  reason?: string;
}

/** The evidence window: [since, until] when given, else the span of the subject's coverage windows. */
export function evidenceWindow(windows: readonly CoverageWindow[], since?: string, until?: string): { from: string; to: string } | undefined {
  const ws = windows.filter((w) => w.from && w.to);
  const to = until ?? (ws.length ? ws.map((w) => w.to!).sort().at(-1)! : undefined);
  const from = since ?? (ws.length ? ws.map((w) => w.from!).sort()[0]! : undefined);
  return from !== undefined && to !== undefined ? { from: new Date(from).toISOString(), to: new Date(to).toISOString() } : undefined;
}

/** Gaps of up to this many ms between consecutive windows are flush boundaries, not blind spots. */
const JOIN_MS = 1000;

/**
 * Complete when every sensor Workload of the subject has windows running `probe`, with nothing lost,
 * whose union covers [from, to] without a gap. A subject without sensor Workloads is never complete.
 */
export function coverageOf(windows: readonly CoverageWindow[], probe: string, window: { from: string; to: string } | undefined): Completeness {
  if (!window) return { complete: false, reason: 'no observation window: the subject has no sensor coverage' };
  const byWorkload = new Map<string, CoverageWindow[]>();
  for (const w of windows) byWorkload.set(w.workload, [...(byWorkload.get(w.workload) ?? []), w]);
  if (byWorkload.size === 0) return { complete: false, reason: 'the subject has no sensor Workload: nothing observed it' };
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  for (const [workload, list] of byWorkload) {
    const relevant = list.filter((w) => w.from && w.to && Date.parse(w.to) >= from && Date.parse(w.from) <= to);
    const lossy = relevant.find((w) => w.lost);
    if (lossy) return { complete: false, reason: `events were lost in window ${lossy.coverage} of ${workload}` };
    const usable = relevant.filter((w) => w.probes.includes(probe)).sort((a, b) => Date.parse(a.from!) - Date.parse(b.from!));
    let covered = from;
    for (const w of usable) {
      if (Date.parse(w.from!) > covered + JOIN_MS) break;
      covered = Math.max(covered, Date.parse(w.to!));
    }
    if (covered + JOIN_MS < to) {
      const missing = new Date(Math.min(covered, to)).toISOString();
      return { complete: false, reason: usable.length ? `${workload} was not observed with the ${probe} probe from ${missing} to ${window.to}` : `${workload} has no window with the ${probe} probe` };
    }
  }
  return { complete: true };
}
