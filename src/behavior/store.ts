/**
 * The graph layer of baselines and drift: reads a subject's observed edges, coverage windows and
 * declared-state changes through cypher/queries/behavior/, runs the pure engine, and writes
 * Baseline / BaselineEntry / DriftEvent nodes back. Knows Cypher, not the rules.
 */
import type { Graph, Row } from '../graph/driver.js';
import { InputError } from '../errors.js';
import { baselineId, learnBaseline, type Baseline, type BaselineEntry } from './baseline.js';
import { gapText, type CoverageWindow } from './coverage.js';
import { detectDrift, driftEventId, type DriftEvent, type DriftOptions, type StateChange } from './drift.js';
import { aggregateEdges, type EdgeKind, type ObservedEdge, type RawEdge } from './edges.js';

/** A subject a baseline can be kept for. */
export interface BehaviorSubject {
  label: string;
  id: string;
}

/** Everything the engine needs about one subject. */
export interface SubjectObservations {
  subject: BehaviorSubject;
  edges: ObservedEdge[];
  windows: CoverageWindow[];
  changes: StateChange[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v));

/** The subject with this exact id (a sensor Workload, an IAM role or user), or an InputError. */
export async function resolveBehaviorSubject(graph: Graph, subject: string): Promise<BehaviorSubject> {
  const rows = await graph.read('queries/behavior/resolve-subject', { subject });
  if (rows.length === 0) throw new InputError(`SUBJECT "${subject}": no sensor Workload, AWS role or AWS user has this id, and no agent Workload this name (list workloads with \`reachgraph cypher "MATCH (w:Workload) RETURN w.id"\`)`);
  const exact = rows.filter((r) => r.exact === true);
  if (exact.length === 0 && rows.length > 1) throw new InputError(`SUBJECT "${subject}": agents of this name run on several hosts; give one Workload id: ${rows.map((r) => String(r.id)).join(', ')}`);
  const r = exact[0] ?? rows[0]!;
  return { label: String(r.label), id: String(r.id) };
}

/** Reads a subject's observed edges, its host's coverage windows and the changes that touch it. */
export async function readSubject(graph: Graph, subject: BehaviorSubject): Promise<SubjectObservations> {
  const params = { label: subject.label, subject: subject.id };
  const raw = await graph.read('queries/behavior/subject-edges', params);
  const cov = subject.label === 'Workload' ? await graph.read('queries/behavior/subject-coverage', { subject: subject.id }) : [];
  const ch = await graph.read('queries/behavior/subject-changes', params);
  return {
    subject,
    edges: aggregateEdges(raw.map(toRawEdge)),
    windows: cov.map((r) => ({ id: String(r.id), from: num(r.from), to: num(r.to), probes: (r.probes as string[]) ?? [], lost: r.lost === true })),
    changes: ch.map((r) => ({ id: String(r.id), kind: String(r.kind), at: num(r.at), on: String(r.on) })),
  };
}

function toRawEdge(r: Row): RawEdge {
  return {
    type: String(r.type),
    target: String(r.target),
    targetLabel: String(r.targetLabel),
    count: num(r.count),
    firstSeen: num(r.firstSeen),
    lastSeen: num(r.lastSeen),
    executable: (r.executable as string | null) ?? null,
    fileClass: (r.fileClass as string | null) ?? null,
    loopback: (r.loopback as boolean | null) ?? null,
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
  entries: BaselineEntry[];
  props: Record<string, unknown>;
}

export async function getBaseline(graph: Graph, subject: string): Promise<StoredBaseline | undefined> {
  const rows = await graph.read('queries/behavior/get-baseline', { id: baselineId(subject) });
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
  return { id: baselineId(subject), subject, state: b.state as 'learning' | 'locked', version: num(b.version), windowFrom: Date.parse(String(b.windowFrom)), windowTo: Date.parse(String(b.windowTo)), entries, props: b };
}

export interface LearnOptions {
  /** Length of the learning window, ending at `now` (or starting at `from`). */
  windowMs: number;
  from?: number;
  now?: number;
}

async function writeBaseline(graph: Graph, s: BehaviorSubject, b: Baseline, extra: Record<string, unknown>, now: number): Promise<void> {
  const id = baselineId(s.id);
  const props = {
    state: b.state,
    version: b.version,
    windowFrom: iso(b.windowFrom),
    windowTo: iso(b.windowTo),
    entryCount: b.entries.length,
    coverageComplete: b.coverage.gaps.length === 0,
    coverageWindows: b.coverage.windows.length,
    coverageLostWindows: b.coverage.lostWindows,
    coverageProbes: b.coverage.probes,
    coverageGaps: b.coverage.gaps.map(gapText).slice(0, 100),
    learnedAt: iso(now),
    ...extra,
  };
  await graph.write('queries/behavior/merge-baseline', { subject: s.id, id, now: iso(now), props }, { label: s.label });
  await graph.write('queries/behavior/delete-baseline-entries', { id });
  const byLabel = new Map<string, BaselineEntry[]>();
  for (const e of b.entries) byLabel.set(e.targetLabel, [...(byLabel.get(e.targetLabel) ?? []), e]);
  for (const [label, entries] of byLabel) {
    for (let i = 0; i < entries.length; i += 5000) {
      const rows = entries.slice(i, i + 5000).map((e) => ({ id: `${id}|${e.kind}|${e.target}`, kind: e.kind, target: e.target, targetLabel: e.targetLabel, count: e.count, firstSeen: iso(e.firstSeen), lastSeen: iso(e.lastSeen) }));
      await graph.write('queries/behavior/merge-baseline-entries', { id, rows }, { toLabel: label });
    }
  }
}

/**
 * Learns (or learns again, while still learning) a subject's baseline over the window. A locked
 * baseline is refused: re-learning after an accepted change is `relearn`.
 */
export async function learn(graph: Graph, subject: string, opts: LearnOptions): Promise<Baseline> {
  const s = await resolveBehaviorSubject(graph, subject);
  const prev = await getBaseline(graph, s.id);
  if (prev?.state === 'locked') throw new InputError(`baseline of ${s.id} is locked (version ${prev.version}); use \`reachgraph baseline relearn ${s.id}\` to learn it again`);
  const now = opts.now ?? Date.now();
  const from = opts.from ?? now - opts.windowMs;
  const obs = await readSubject(graph, s);
  const b = learnBaseline(s.id, obs.edges, obs.windows, from, opts.from !== undefined ? from + opts.windowMs : now, prev?.version ?? 1);
  await writeBaseline(graph, s, b, { lockedAt: null }, now);
  return b;
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
export async function relearn(graph: Graph, subject: string, opts: LearnOptions): Promise<Baseline> {
  const s = await resolveBehaviorSubject(graph, subject);
  const prev = await getBaseline(graph, s.id);
  const now = opts.now ?? Date.now();
  const from = opts.from ?? now - opts.windowMs;
  const obs = await readSubject(graph, s);
  const b = { ...learnBaseline(s.id, obs.edges, obs.windows, from, opts.from !== undefined ? from + opts.windowMs : now, (prev?.version ?? 0) + 1), state: 'locked' as const };
  await writeBaseline(graph, s, b, { lockedAt: iso(now) }, now);
  return b;
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
  suppressed: { total: number; byKind: Partial<Record<EdgeKind, number>> };
}

/** Measures drift for one subject or every locked baseline and writes the events to the graph. */
export async function detect(graph: Graph, opts: DetectOptions = {}): Promise<DetectedDrift[]> {
  const now = opts.now ?? Date.now();
  const targets: BehaviorSubject[] = opts.subject
    ? [await resolveBehaviorSubject(graph, opts.subject)]
    : (await graph.read('queries/behavior/list-locked-baselines')).map((r) => ({ label: String(r.label), id: String(r.subject) }));
  const out: DetectedDrift[] = [];
  for (const s of targets) {
    const stored = await getBaseline(graph, s.id);
    if (!stored) throw noBaseline(s.id);
    const obs = await readSubject(graph, s);
    const baseline: Baseline = { ...learnBaseline(s.id, [], obs.windows, stored.windowFrom, stored.windowTo, stored.version), state: stored.state, entries: stored.entries };
    const res = detectDrift(baseline, obs.edges, obs.windows, obs.changes, opts);
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
    out.push({
      subject: s.id,
      events: res.events.map((e, i) => ({ ...e, id: rows[i]!.id, created: created.get(rows[i]!.id) ?? false, lineage: rows[i]!.props.lineage })),
      suppressed: res.suppressed,
    });
  }
  return out;
}

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
