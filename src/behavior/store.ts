/**
 * The graph layer of baselines and drift: reads a subject's observed edges, coverage windows and
 * declared-state changes through cypher/queries/behavior/, runs the pure engine, and writes
 * Baseline / BaselineEntry / DriftEvent / DriftSummary nodes back. Knows Cypher, not the rules.
 *
 * Bounded volume: a subject's edges are never all in memory. Learning streams them from Neo4j and
 * writes entries a batch at a time; drift streams only the edges outside the locked baseline (Neo4j
 * checks membership) and keeps the per-run cap of them (TopDrift), counting the rest into a stored
 * DriftSummary.
 */
import type { Graph, Row } from '../graph/driver.js';
import { InputError } from '../errors.js';
import { baselineId, learnBaseline, type Baseline, type BaselineEntry } from './baseline.js';
import { gapText, type CoverageWindow } from './coverage.js';
import { DEFAULT_CORRELATION_MS, DEFAULT_MAX_EVENTS, driftEventId, driftEventOf, TopDrift, type DriftEvent, type DriftOptions, type StateChange } from './drift.js';
import { EDGE_KINDS, KIND_OF_REL, type EdgeKind, type ObservedEdge } from './edges.js';
import { severityOf } from './severity.js';

/** A subject a baseline can be kept for. */
export interface BehaviorSubject {
  label: string;
  id: string;
}

/**
 * What the engine needs about one subject besides its edges, which are streamed (streamEdges): its
 * host's coverage windows and the declared-state changes that touch it.
 */
export interface SubjectObservations {
  subject: BehaviorSubject;
  windows: CoverageWindow[];
  changes: StateChange[];
}

/** Baseline entries written (or deleted) per transaction when learning. */
export const DEFAULT_BATCH_SIZE = 5000;
/** Baseline entries returned by getBaseline / learn / relearn unless asked otherwise (`entryCount` says how many there are). */
export const DEFAULT_ENTRY_LIMIT = 1000;
const KINDS: Record<string, EdgeKind> = { ...KIND_OF_REL };

const iso = (ms: number) => new Date(ms).toISOString();
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v));

/** The subject with this exact id (a sensor Workload, an IAM role or user, an AI agent), or an InputError. */
export async function resolveBehaviorSubject(graph: Graph, subject: string): Promise<BehaviorSubject> {
  const rows = await graph.read('queries/behavior/resolve-subject', { subject });
  if (rows.length === 0) throw new InputError(`SUBJECT "${subject}": no sensor Workload, AWS role, AWS user or AI agent has this id, and no agent Workload this name (list workloads with \`reachgraph cypher "MATCH (w:Workload) RETURN w.id"\`)`);
  const exact = rows.filter((r) => r.exact === true);
  if (exact.length === 0 && rows.length > 1) throw new InputError(`SUBJECT "${subject}": agents of this name run on several hosts; give one Workload id: ${rows.map((r) => String(r.id)).join(', ')}`);
  const r = exact[0] ?? rows[0]!;
  return { label: String(r.label), id: String(r.id) };
}

/** Reads a subject's host coverage windows and the changes that touch it (its edges: streamEdges). */
export async function readSubject(graph: Graph, subject: BehaviorSubject): Promise<SubjectObservations> {
  const params = { label: subject.label, subject: subject.id };
  const cov = subject.label === 'Workload' ? await graph.read('queries/behavior/subject-coverage', { subject: subject.id }) : [];
  const ch = await graph.read('queries/behavior/subject-changes', params);
  return {
    subject,
    windows: cov.map((r) => ({ id: String(r.id), from: num(r.from), to: num(r.to), probes: (r.probes as string[]) ?? [], lost: r.lost === true })),
    changes: ch.map((r) => ({ id: String(r.id), kind: String(r.kind), at: num(r.at), on: String(r.on) })),
  };
}

/** Which of a subject's edges a walk returns (cypher/queries/behavior/subject-edge-stream). */
interface EdgeFilter {
  /** Learning: the edge's span touches [from, to]. */
  window?: { from: number; to: number };
  /** Drift: edges this Baseline holds are left out. */
  baseline?: string;
  /** Drift: last seen after this time. */
  after?: number;
}

/**
 * Hands a subject's edges, one (kind, target) each, to `consume` as Neo4j streams them: the driver
 * holds one fetch batch at a time, whatever the subject did. `consume` runs again from the start if
 * the read is retried, so it keeps its state inside.
 */
export function streamEdges<T>(graph: Graph, s: BehaviorSubject, f: EdgeFilter, consume: (edges: AsyncIterable<ObservedEdge>) => Promise<T>): Promise<T> {
  const params = { label: s.label, subject: s.id, kinds: KINDS, from: f.window?.from ?? null, to: f.window?.to ?? null, after: f.after ?? null, baseline: f.baseline ?? null };
  return graph.readStream('queries/behavior/subject-edge-stream', params, (rows) =>
    consume(
      (async function* () {
        for await (const r of rows) yield toEdge(r);
      })(),
    ),
  );
}

function toEdge(r: Row): ObservedEdge {
  return {
    kind: r.kind as EdgeKind,
    target: String(r.target),
    targetLabel: String(r.targetLabel),
    count: num(r.count),
    firstSeen: num(r.firstSeen),
    lastSeen: num(r.lastSeen),
    executables: ((r.executables as string[] | null) ?? []).slice().sort(),
    ...(typeof r.fileClass === 'string' ? { fileClass: r.fileClass } : {}),
    ...(typeof r.loopback === 'boolean' ? { loopback: r.loopback } : {}),
  };
}

/** A stored baseline as read back (entries and window; coverage is recomputed from the windows). */
export interface StoredBaseline {
  id: string;
  subject: string;
  state: 'learning' | 'locked';
  version: number;
  windowFrom: number;
  windowTo: number;
  /** The first `limit` entries in (kind, target) order; `entryCount` is how many the baseline holds. */
  entries: BaselineEntry[];
  entryCount: number;
  props: Record<string, unknown>;
}

/** A subject's stored baseline with its first `entryLimit` entries (default 1,000), or undefined. */
export async function getBaseline(graph: Graph, subject: string, entryLimit = DEFAULT_ENTRY_LIMIT): Promise<StoredBaseline | undefined> {
  const rows = await graph.read('queries/behavior/get-baseline', { id: baselineId(subject), limit: Math.max(0, Math.trunc(entryLimit)) });
  const r = rows[0];
  if (!r) return undefined;
  const b = r.baseline as Record<string, unknown>;
  const entries = (r.entries as Record<string, unknown>[]).map((e) => ({
    kind: e.kind as EdgeKind,
    target: String(e.target),
    targetLabel: String(e.targetLabel),
    count: num(e.count),
    firstSeen: Date.parse(String(e.firstSeen)),
    lastSeen: Date.parse(String(e.lastSeen)),
  }));
  return { id: baselineId(subject), subject, state: b.state as 'learning' | 'locked', version: num(b.version), windowFrom: Date.parse(String(b.windowFrom)), windowTo: Date.parse(String(b.windowTo)), entries, entryCount: num(b.entryCount ?? entries.length), props: b };
}

export interface LearnOptions {
  /** Length of the learning window, ending at `now` (or starting at `from`). */
  windowMs: number;
  from?: number;
  now?: number;
  /** Entries written per transaction; default 5,000. */
  batchSize?: number;
}

/** A baseline as learned: its first entries (DEFAULT_ENTRY_LIMIT, in (kind, target) order) and how many it holds. */
export type LearnedBaseline = Baseline & { entryCount: number };

/**
 * Learns a subject's baseline over [from, to] into the graph, a batch at a time: the entries are never all
 * in memory, however many edges the subject has (docs/behavior.md, "Bounded volume").
 */
async function learnInto(graph: Graph, s: BehaviorSubject, from: number, to: number, version: number, state: Baseline['state'], extra: Record<string, unknown>, now: number, batchSize = DEFAULT_BATCH_SIZE): Promise<LearnedBaseline> {
  const obs = await readSubject(graph, s);
  // the pure engine with no edges: it checks the window and summarizes its coverage
  const b: Baseline = { ...learnBaseline(s.id, [], obs.windows, from, to, version), state };
  const id = baselineId(s.id);
  const props = (entryCount: number) => ({
    state: b.state,
    version: b.version,
    windowFrom: iso(b.windowFrom),
    windowTo: iso(b.windowTo),
    entryCount,
    coverageComplete: b.coverage.gaps.length === 0,
    coverageWindows: b.coverage.windows.length,
    coverageLostWindows: b.coverage.lostWindows,
    coverageProbes: b.coverage.probes,
    coverageGaps: b.coverage.gaps.map(gapText).slice(0, 100),
    learnedAt: iso(now),
    ...extra,
  });
  await graph.write('queries/behavior/merge-baseline', { subject: s.id, id, now: iso(now), props: props(0) }, { label: s.label });
  for (;;) {
    const r = await graph.write('queries/behavior/delete-baseline-entries', { id, limit: batchSize });
    if (num(r.rows[0]?.deleted ?? 0) < batchSize) break;
  }
  const writeEntries = async (batch: ObservedEdge[]) => {
    const byLabel = new Map<string, ObservedEdge[]>();
    for (const e of batch) {
      const list = byLabel.get(e.targetLabel);
      if (list) list.push(e);
      else byLabel.set(e.targetLabel, [e]);
    }
    for (const [label, entries] of byLabel) {
      const rows = entries.map((e) => ({ id: `${id}|${e.kind}|${e.target}`, kind: e.kind, target: e.target, targetLabel: e.targetLabel, count: e.count, firstSeen: iso(e.firstSeen), lastSeen: iso(e.lastSeen) }));
      await graph.write('queries/behavior/merge-baseline-entries', { id, rows }, { toLabel: label });
    }
  };
  // entries go to the graph a batch at a time as the edges stream in (MERGE: a retried read rewrites the same)
  const entryCount = await streamEdges(graph, s, { window: { from, to } }, async (edges) => {
    let n = 0;
    const batch: ObservedEdge[] = [];
    for await (const e of edges) {
      n++;
      batch.push(e);
      if (batch.length >= batchSize) await writeEntries(batch.splice(0));
    }
    if (batch.length) await writeEntries(batch);
    return n;
  });
  await graph.write('queries/behavior/merge-baseline', { subject: s.id, id, now: iso(now), props: props(entryCount) }, { label: s.label });
  const stored = await getBaseline(graph, s.id);
  return { ...b, entries: stored?.entries ?? [], entryCount };
}

/**
 * Learns (or learns again, while still learning) a subject's baseline over the window. A locked
 * baseline is refused: re-learning after an accepted change is `relearn`.
 */
export async function learn(graph: Graph, subject: string, opts: LearnOptions): Promise<LearnedBaseline> {
  const s = await resolveBehaviorSubject(graph, subject);
  const prev = await getBaseline(graph, s.id, 0);
  if (prev?.state === 'locked') throw new InputError(`baseline of ${s.id} is locked (version ${prev.version}); use \`reachgraph baseline relearn ${s.id}\` to learn it again`);
  const now = opts.now ?? Date.now();
  const from = opts.from ?? now - opts.windowMs;
  return learnInto(graph, s, from, opts.from !== undefined ? from + opts.windowMs : now, prev?.version ?? 1, 'learning', { lockedAt: null }, now, opts.batchSize);
}

/** Locks a learned baseline: from now on edges outside it are drift. */
export async function lock(graph: Graph, subject: string, now = Date.now()): Promise<StoredBaseline> {
  const s = await resolveBehaviorSubject(graph, subject);
  const rows = await graph.write('queries/behavior/set-baseline-state', { id: baselineId(s.id), state: 'locked', now: iso(now) });
  if (rows.rows.length === 0) throw noBaseline(s.id);
  return (await getBaseline(graph, s.id))!;
}

/** A subject's stored baseline, or an InputError saying how to learn one. */
export async function showBaseline(graph: Graph, subject: string): Promise<StoredBaseline> {
  const s = await resolveBehaviorSubject(graph, subject);
  const b = await getBaseline(graph, s.id);
  if (!b) throw noBaseline(s.id);
  return b;
}

const noBaseline = (id: string) => new InputError(`SUBJECT "${id}": no baseline; learn one first with \`reachgraph baseline learn ${id}\``);

/** After an accepted change: learns the baseline again over a window ending now, as the next version, and locks it. */
export async function relearn(graph: Graph, subject: string, opts: LearnOptions): Promise<LearnedBaseline> {
  const s = await resolveBehaviorSubject(graph, subject);
  const prev = await getBaseline(graph, s.id, 0);
  const now = opts.now ?? Date.now();
  const from = opts.from ?? now - opts.windowMs;
  return learnInto(graph, s, from, opts.from !== undefined ? from + opts.windowMs : now, (prev?.version ?? 0) + 1, 'locked', { lockedAt: iso(now) }, now, opts.batchSize);
}

export interface DetectOptions extends DriftOptions {
  /** One subject; default every subject with a locked baseline. */
  subject?: string;
  now?: number;
  /** Ancestors kept as evidence per event; default 8. */
  lineageDepth?: number;
}

export interface DetectedDrift {
  subject: string;
  events: Array<DriftEvent & { id: string; created: boolean; lineage: string[] }>;
  /** Edges outside the baseline beyond the per-run cap, by kind; also stored as the subject's DriftSummary. */
  suppressed: { total: number; byKind: Partial<Record<EdgeKind, number>> };
}

/** Node id of a subject's drift summary for one baseline version. */
export const driftSummaryId = (subject: string, version: number): string => `drift-summary:${subject}|v${version}`;

/**
 * Measures drift for one subject or every locked baseline and writes the events to the graph: at most
 * `maxEvents` per subject and run (the highest scores), the rest counted into its DriftSummary. Holds
 * one fetch batch of edges and the cap's candidates in memory, not the subject's edges.
 */
export async function detect(graph: Graph, opts: DetectOptions = {}): Promise<DetectedDrift[]> {
  const now = opts.now ?? Date.now();
  const targets: BehaviorSubject[] = opts.subject
    ? [await resolveBehaviorSubject(graph, opts.subject)]
    : (await graph.read('queries/behavior/list-locked-baselines')).map((r) => ({ label: String(r.label), id: String(r.subject) }));
  const out: DetectedDrift[] = [];
  for (const s of targets) {
    const stored = await getBaseline(graph, s.id, 0);
    if (!stored) throw noBaseline(s.id);
    if (stored.state !== 'locked') {
      out.push({ subject: s.id, events: [], suppressed: { total: 0, byKind: {} } });
      continue;
    }
    const obs = await readSubject(graph, s);
    const baseline: Baseline = { ...learnBaseline(s.id, [], obs.windows, stored.windowFrom, stored.windowTo, stored.version), state: stored.state };
    const max = opts.maxEvents ?? DEFAULT_MAX_EVENTS;
    const { kept, outside, suppressed } = await streamEdges(graph, s, { baseline: stored.id, after: stored.windowTo }, async (edges) => {
      const top = new TopDrift(max);
      for await (const e of edges) top.offer({ e, sev: severityOf(e) });
      return top.result();
    });
    const res = { events: kept.map((c) => driftEventOf(baseline, c, obs.windows, obs.changes, opts.correlationMs ?? DEFAULT_CORRELATION_MS)), suppressed };
    const lineage = s.label === 'Workload' ? await lineageOf(graph, s.id, res.events, opts.lineageDepth ?? 8) : new Map<string, LineageStep[]>();
    const rows = res.events.map((e) => {
      const id = driftEventId(e);
      const chain = lineage.get(id) ?? [];
      return { id, target: e.target, targetLabel: e.targetLabel, processes: chain.map((c) => c.id), windows: e.coverage.windows, change: e.classification.classification === 'explained' ? e.classification.explainedBy.id : null, props: driftProps(e, chain) };
    });
    const created = new Map<string, boolean>();
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      const w = await graph.write('queries/behavior/merge-drift-events', { subject: s.id, now: iso(now), rows: chunk.map(({ id, props, processes, windows, change }) => ({ id, props, processes, windows, change })) }, { label: s.label });
      for (const r of w.rows) created.set(String(r.id), r.created === true);
    }
    const byLabel = new Map<string, { id: string; target: string }[]>();
    for (const r of rows) byLabel.set(r.targetLabel, [...(byLabel.get(r.targetLabel) ?? []), { id: r.id, target: r.target }]);
    for (const [label, links] of byLabel) await graph.write('queries/behavior/link-drift-targets', { rows: links }, { toLabel: label });
    // set, not added to: measuring again counts the same flood once
    const summary = { baselineVersion: stored.version, cap: max, outside, written: rows.length, suppressed: suppressed.total, ...Object.fromEntries(EDGE_KINDS.map((k) => [suppressedProp(k), suppressed.byKind[k] ?? 0])) };
    await graph.write('queries/behavior/merge-drift-summary', { subject: s.id, id: driftSummaryId(s.id, stored.version), now: iso(now), props: summary }, { label: s.label });
    out.push({
      subject: s.id,
      events: res.events.map((e, i) => ({ ...e, id: rows[i]!.id, created: created.get(rows[i]!.id) ?? false, lineage: rows[i]!.props.lineage })),
      suppressed: res.suppressed,
    });
  }
  return out;
}

/** DriftSummary property holding the suppressed count of one kind: suppressedExec, suppressedConnect, … */
export const suppressedProp = (k: EdgeKind): string => `suppressed${k[0]!.toUpperCase()}${k.slice(1)}`;

interface LineageStep {
  id: string;
  pid: number;
  comm: string | null;
  executable: string | null;
  argv: string[] | null;
  execAt: string | null;
}

async function lineageOf(graph: Graph, subject: string, events: readonly DriftEvent[], depth: number): Promise<Map<string, LineageStep[]>> {
  const rows = events.filter((e) => e.executables.length > 0).map((e) => ({ key: driftEventId(e), executables: e.executables }));
  if (rows.length === 0) return new Map();
  const res = await graph.read('queries/behavior/drift-lineage', { subject, rows, depth });
  return new Map(res.map((r) => [String(r.key), (r.chain as LineageStep[]) ?? []]));
}

/** DriftEvent node properties: flat scalars and string arrays, times as ISO text. */
function driftProps(e: DriftEvent, chain: readonly LineageStep[]) {
  return {
    kind: e.kind,
    target: e.target,
    targetLabel: e.targetLabel,
    baselineVersion: e.baselineVersion,
    count: e.count,
    firstSeen: iso(e.firstSeen),
    lastSeen: iso(e.lastSeen),
    executables: e.executables,
    severity: e.severity.level,
    score: e.severity.score,
    severityWhy: e.severity.why,
    classification: e.classification.classification,
    explainedBy: e.classification.classification === 'explained' ? e.classification.explainedBy.id : null,
    explainedByKind: e.classification.classification === 'explained' ? e.classification.explainedBy.kind : null,
    certainty: e.certainty,
    reasons: e.reasons,
    coverageWindows: e.coverage.windows.length,
    coverageLostWindows: e.coverage.lostWindows,
    coverageProbes: e.coverage.probes,
    coverageGaps: e.coverage.gaps.map(gapText).slice(0, 20),
    lineage: chain.map((c) => `${c.pid} ${c.executable ?? `[${c.comm ?? '?'}]`}${c.argv?.length ? ' ' + c.argv.join(' ') : ''}`),
  };
}

/** Stored drift events, newest first (cypher/queries/behavior/list-drift-events). */
export async function listDrift(graph: Graph, opts: { subject?: string; since?: string; limit?: number } = {}): Promise<Record<string, unknown>[]> {
  const rows = await graph.read('queries/behavior/list-drift-events', { subject: opts.subject ?? null, since: opts.since ?? null, limit: Math.trunc(opts.limit ?? 1000) });
  return rows.map((r) => r.event as Record<string, unknown>);
}

/** Stored drift summaries, newest first (cypher/queries/behavior/list-drift-summaries). */
export async function listDriftSummaries(graph: Graph, opts: { subject?: string; limit?: number } = {}): Promise<Record<string, unknown>[]> {
  const rows = await graph.read('queries/behavior/list-drift-summaries', { subject: opts.subject ?? null, limit: Math.trunc(opts.limit ?? 1000) });
  return rows.map((r) => r.summary as Record<string, unknown>);
}
