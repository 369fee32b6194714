/**
 * The risk questions against the graph: each chooses a Cypher file under cypher/queries/risk/, runs it
 * with parameters and hands the rows to the pure shaping in this folder. No query text is built here.
 */
import type { Graph } from '../graph/driver.js';
import { MAX_HOPS } from '../graph/cypher.js';
import { InputError } from '../errors.js';
import { shapeBlastRadius, type Anchor, type BlastTarget, type ReachRow } from './blast.js';
import { traversalTypes, DOMAINS, MODES, type Domain, type Mode } from './edges.js';
import { computeGaps, type Gaps, type GapsInput } from './gaps.js';
import { findingsOf, loadCatalog, loadModelSources, sortFindings, type CatalogEntry, type Finding, type FindingRow } from './findings.js';
import { leastPrivilegeIam, leastPrivilegeNetpol, leastPrivilegeRbac, type NetpolRow, type RbacRow } from './least-privilege.js';
import { shapePaths, type AttackPath, type PathRow, type Start } from './paths.js';
import { CRITICAL_CLUSTER_ROLES } from './score.js';
import { pickSubject, subjectParams, type Subject } from './subject.js';

/** The deepest --depth / --max-hops: the query files' hop bound ({1,{{maxHops}}}) takes at most this. */
export const MAX_DEPTH = MAX_HOPS;

/** Resolves a subject as the user typed it; unknown or ambiguous is an InputError listing candidates. */
export async function resolveSubject(graph: Graph, text: string): Promise<Subject> {
  const rows = (await graph.read('queries/risk/resolve-subject', { ...subjectParams(text) })) as unknown as (Subject & { node: string })[];
  const { label, id, name } = pickSubject(text, rows);
  return { label, id, name };
}

/** The anchors a subject acts through, the subject itself first. */
export async function subjectAnchors(graph: Graph, s: Subject): Promise<Anchor[]> {
  return (await graph.read('queries/risk/subject-anchors', { subjects: [{ label: s.label, id: s.id }] })) as unknown as Anchor[];
}

/** Anchors of many subjects in one query: subject id → anchors. */
async function anchorsOfMany(graph: Graph, subjects: readonly Subject[]): Promise<Map<string, Anchor[]>> {
  const rows = (await graph.read('queries/risk/subject-anchors', { subjects: subjects.map((s) => ({ label: s.label, id: s.id })) })) as unknown as (Anchor & { subject: string })[];
  const out = new Map<string, Anchor[]>();
  for (const r of rows) out.set(r.subject, [...(out.get(r.subject) ?? []), r]);
  return out;
}

export interface BlastOptions {
  mode: Mode;
  depth: number;
  domains: Domain[];
}

export interface BlastRadius {
  subject: Subject;
  mode: Mode;
  depth: number;
  domains: Domain[];
  anchors: { label: string; id: string }[];
  targets: BlastTarget[];
}

export function checkBlastOptions(o: { mode?: string; depth?: string | number; domain?: string[] | string }): BlastOptions {
  const mode = (o.mode ?? 'both') as Mode;
  if (!MODES.includes(mode)) throw new InputError(`--mode: must be one of ${MODES.join(', ')}, got "${o.mode}"`);
  const depth = Number(o.depth ?? 6);
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH) throw new InputError(`--depth: must be an integer from 1 to ${MAX_DEPTH}, got "${o.depth}"`);
  const list = o.domain === undefined ? [] : Array.isArray(o.domain) ? o.domain : [o.domain];
  const domains = list.flatMap((d) => d.split(',')).filter(Boolean) as Domain[];
  for (const d of domains) if (!DOMAINS.includes(d)) throw new InputError(`--domain: must be one of ${DOMAINS.join(', ')}, got "${d}"`);
  return { mode, depth, domains: domains.length ? [...new Set(domains)] : [...DOMAINS] };
}

/** Every sensitive target the subject reaches, with its shortest evidence path and a score. */
export async function blastRadius(graph: Graph, subject: Subject, o: BlastOptions): Promise<BlastRadius> {
  const anchors = await subjectAnchors(graph, subject);
  const rows = (await graph.read('queries/risk/blast-radius', { anchors: anchors.map((a) => a.anchor), types: traversalTypes(o.mode, o.domains) }, { maxHops: o.depth })) as unknown as ReachRow[];
  return { subject, mode: o.mode, depth: o.depth, domains: o.domains, anchors: anchors.map((a) => ({ label: a.label, id: a.id })), targets: shapeBlastRadius(anchors, rows, { observedOnly: o.mode === 'observed' }) };
}

/** Parses --since: an ISO date/time, or a duration back from now (30d, 12h, 90m). */
export function parseSince(v: string | undefined, now = Date.now()): string | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)([dhm])$/.exec(v.trim());
  if (m) return new Date(now - Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm']).toISOString();
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new InputError(`--since: "${v}" is neither an ISO date nor a duration such as 30d, 12h or 90m`);
  return new Date(t).toISOString();
}

export interface GapsResult extends Gaps {
  subject: Subject;
  anchors: { label: string; id: string }[];
}

/** Granted but unused, and done but not granted or declared, with the evidence window and completeness. */
export async function gaps(graph: Graph, subject: Subject, o: { since?: string | undefined; until?: string | undefined } = {}): Promise<GapsResult> {
  const anchors = await subjectAnchors(graph, subject);
  const p = { anchors: anchors.map((a) => a.anchor) };
  const [coverage, observedNet, declaredNet, iam, runtime, tools, rbac] = await Promise.all([
    graph.read('queries/risk/gaps-coverage', p),
    graph.read('queries/risk/gaps-network-observed', p),
    graph.read('queries/risk/gaps-network-declared', p),
    graph.read('queries/risk/gaps-iam', p),
    graph.read('queries/risk/gaps-runtime', p),
    graph.read('queries/risk/gaps-tools', p),
    graph.read('queries/risk/gaps-rbac', p),
  ]);
  const input: GapsInput = {
    coverage: coverage.filter((c) => c.coverage !== null) as unknown as GapsInput['coverage'],
    observedNet: observedNet as unknown as GapsInput['observedNet'],
    declaredNet: declaredNet as unknown as GapsInput['declaredNet'],
    iam: iam as unknown as GapsInput['iam'],
    runtime: runtime[0] as unknown as GapsInput['runtime'],
    tools: tools as unknown as NonNullable<GapsInput['tools']>,
    rbac: rbac as unknown as GapsInput['rbac'],
    hasAibom: anchors.some((a) => a.label === 'AIAgent'),
    hasPods: anchors.some((a) => a.label === 'K8sPod'),
    since: o.since,
    until: o.until ?? (o.since ? new Date().toISOString() : undefined),
  };
  // A workload without any Coverage row still counts: it was never observed.
  for (const c of coverage) if (c.coverage === null) input.coverage.push({ workload: String(c.workload), coverage: null, from: null, to: null, probes: [], lost: false });
  return { subject, anchors: anchors.map((a) => ({ label: a.label, id: a.id })), ...computeGaps(input) };
}

/** Prompt-injection markers in untrusted tool descriptions (the OWASP LLM01 / tool-poisoning tells). */
export const INJECTION_MARKERS = '(?is).*(ignore (all |any )?(previous|prior|above) instructions|<important>|system prompt|do not (tell|inform) the user|before using this tool).*';

/** Longest k the attack-paths query can return per pair (its SHORTEST literal). */
export const MAX_K = 8;

/** A node named by id: a subject (index-backed lookups), else any node with that id (a scan). */
export async function findNode(graph: Graph, text: string): Promise<{ node: string; label: string; id: string }> {
  const subjects = (await graph.read('queries/risk/resolve-subject', { ...subjectParams(text) })) as { node: string; label: string; id: string; name: string }[];
  if (subjects.length > 0) {
    const { label, id } = pickSubject(text, subjects);
    return subjects.find((s) => s.label === label && s.id === id)!;
  }
  const rows = (await graph.read('queries/risk/find-node', { id: text })) as { node: string; label: string; id: string }[];
  if (rows.length === 1) return rows[0]!;
  if (rows.length > 1) throw new InputError(`NODE_ID "${text}" is ambiguous: ${rows.map((r) => `${r.label} ${r.id}`).join('; ')}`);
  throw new InputError(`NODE_ID "${text}": no node has this id`);
}

const SUBJECT_LABELS = new Set(['AIAgent', 'Workload', 'K8sPod', 'K8sWorkload', 'K8sServiceAccount']);

/** Starts for a node: itself, and for a subject-like node the anchors it acts through. */
async function startsOf(graph: Graph, n: { node: string; label: string; id: string }, reason: string): Promise<Start[]> {
  if (!SUBJECT_LABELS.has(n.label)) return [{ node: n.node, entry: n.id, reason, hops: [] }];
  const anchors = await subjectAnchors(graph, { label: n.label, id: n.id, name: n.id });
  return anchors.map((a) => ({ node: a.anchor, entry: n.id, reason, hops: a.hops }));
}

export interface PathsOptions {
  from?: string | undefined;
  to?: string | undefined;
  toCrownJewels?: boolean | undefined;
  k: number;
  maxHops: number;
}

export interface PathsResult {
  entries: { label: string; id: string; reason: string }[];
  targets: { label: string; id: string; reason: string }[];
  k: number;
  maxHops: number;
  paths: AttackPath[];
}

/** Shortest and k-shortest attack paths from entry points (or --from) to crown jewels (or --to). */
export async function attackPaths(graph: Graph, o: PathsOptions): Promise<PathsResult> {
  if (!Number.isInteger(o.k) || o.k < 1 || o.k > MAX_K) throw new InputError(`--k: must be an integer from 1 to ${MAX_K}, got "${o.k}"`);
  if (!Number.isInteger(o.maxHops) || o.maxHops < 1 || o.maxHops > MAX_DEPTH) throw new InputError(`--max-hops: must be an integer from 1 to ${MAX_DEPTH}, got "${o.maxHops}"`);
  if ((o.to === undefined) === (o.toCrownJewels !== true)) throw new InputError('paths: give exactly one of --to NODE_ID and --to-crown-jewels');
  type Named = { node: string; label: string; id: string; reason: string };
  const entries: Named[] = o.from !== undefined ? [{ ...(await findNode(graph, o.from)), reason: 'given' }] : ((await graph.read('queries/risk/entry-points', { injection: INJECTION_MARKERS })) as Named[]);
  const targets: Named[] = o.to !== undefined ? [{ ...(await findNode(graph, o.to)), reason: 'given' }] : ((await graph.read('queries/risk/crown-jewels', { criticalRoles: [...CRITICAL_CLUSTER_ROLES] })) as Named[]);
  const starts = (await Promise.all(entries.map((e) => startsOf(graph, e, e.reason)))).flat();
  const reasons = new Map<string, string>();
  for (const t of targets) reasons.set(`${t.label}|${t.id}`, [reasons.get(`${t.label}|${t.id}`), t.reason].filter(Boolean).join('; '));
  const rows = starts.length && targets.length ? ((await graph.read('queries/risk/attack-paths', { from: [...new Set(starts.map((s) => s.node))], to: [...new Set(targets.map((t) => t.node))], types: traversalTypes('both') }, { maxHops: o.maxHops })) as unknown as PathRow[]) : [];
  const strip = ({ label, id, reason }: Named) => ({ label, id, reason });
  return { entries: entries.map(strip), targets: targets.map(strip), k: o.k, maxHops: o.maxHops, paths: shapePaths(starts, rows, reasons, o.k) };
}

/** Adds or removes a risk tag on the node with this id. */
export async function setTag(graph: Graph, nodeId: string, tag: string, on: boolean): Promise<{ id: string; riskTags: string[] }> {
  if (tag !== 'entry' && tag !== 'crown-jewel') throw new InputError(`TAG: must be entry or crown-jewel, got "${tag}"`);
  const rows = (await graph.read('queries/risk/find-node', { id: nodeId })) as { node: string; label: string; id: string }[];
  if (rows.length === 0) throw new InputError(`NODE_ID "${nodeId}": no node has this id`);
  if (rows.length > 1) throw new InputError(`NODE_ID "${nodeId}" is ambiguous: ${rows.map((r) => `${r.label} ${r.id}`).join('; ')}`);
  const res = await graph.write(on ? 'queries/risk/tag-node' : 'queries/risk/untag-node', { node: rows[0]!.node, tag });
  return res.rows[0] as { id: string; riskTags: string[] };
}

/** Subjects per findings query: large enough to amortize round trips, small enough for one transaction. */
const FINDINGS_CHUNK = 500;
/** Catalog queries of one chunk in flight at once (measured best on the 2-core machine; 3 was slower). */
const FINDINGS_PARALLEL = 2;

export interface FindingsResult {
  catalog: CatalogEntry[];
  subjects: number;
  findings: Finding[];
  /** Catalog queries (or anchor lookups, rule "anchors") that failed for a chunk of subjects; only with `keepGoing`. */
  failures: FindingsFailure[];
}

/** A part of the report that could not be computed. */
export interface FindingsFailure {
  rule: string;
  subjects: number;
  error: string;
}

export interface FindingsOptions {
  subject?: string | undefined;
  /** The catalog to run (default: cypher/findings/catalog.json). */
  catalog?: CatalogEntry[] | undefined;
  /** Record a failed query and go on with the others instead of throwing (the stored refresh does, and then resolves nothing). */
  keepGoing?: boolean | undefined;
  /** The model-source allowlist of RG-007 (default: cypher/findings/model-sources.json, see loadModelSources). */
  modelSources?: string[] | undefined;
}

/** Runs every catalog query for each subject (all AIAgents unless one is given); runtime-weighted priority. */
export async function findings(graph: Graph, o: FindingsOptions = {}): Promise<FindingsResult> {
  const catalog = o.catalog ?? loadCatalog();
  const modelSources = (o.modelSources ?? loadModelSources()).map((s) => s.toLowerCase().replace(/\/+$/, ''));
  const subjects: Subject[] = o.subject !== undefined ? [await resolveSubject(graph, o.subject)] : ((await graph.read('queries/risk/subjects-all-agents')) as unknown as Subject[]);
  const entries = new Set(((await graph.read('queries/risk/entry-points', { injection: INJECTION_MARKERS })) as { label: string; id: string }[]).map((e) => `${e.label}|${e.id}`));
  const out: Finding[] = [];
  const failures: FindingsFailure[] = [];
  const attempt = async <T>(rule: string, n: number, run: () => Promise<T>): Promise<T | undefined> => {
    if (!o.keepGoing) return run();
    try {
      return await run();
    } catch (e) {
      failures.push({ rule, subjects: n, error: (e as Error).message });
      return undefined;
    }
  };
  // Set at a time: each catalog query runs once per chunk of subjects, not once per subject.
  for (let i = 0; i < subjects.length; i += FINDINGS_CHUNK) {
    const chunk = subjects.slice(i, i + FINDINGS_CHUNK);
    const anchors = await attempt('anchors', chunk.length, () => anchorsOfMany(graph, chunk));
    if (!anchors) continue;
    const params = { subjects: chunk.map((s) => ({ id: s.id, anchors: (anchors.get(s.id) ?? []).map((a) => a.anchor) })), injection: INJECTION_MARKERS, modelSources };
    // A few catalog queries at a time: Neo4j runs each query on one thread, so a second one keeps
    // another core busy (bench:risk, 2 cores: a third of the time off). The order of `out` does not
    // matter: sortFindings orders by a key unique per finding.
    const queue = [...catalog];
    const worker = async (): Promise<void> => {
      for (let rule = queue.shift(); rule !== undefined; rule = queue.shift()) {
        const query = `queries/${rule.query}`;
        const rows = await attempt(rule.id, chunk.length, async () => (await graph.read(query, params)) as unknown as (FindingRow & { subject: string })[]);
        if (!rows) continue;
        const bySubject = new Map<string, FindingRow[]>();
        for (const r of rows) bySubject.set(r.subject, [...(bySubject.get(r.subject) ?? []), r]);
        for (const s of chunk) {
          const entry = (anchors.get(s.id) ?? []).some((a) => entries.has(`${a.label}|${a.id}`));
          out.push(...findingsOf(rule, { label: s.label, id: s.id }, bySubject.get(s.id) ?? [], entry));
        }
      }
    };
    const settled = await Promise.allSettled(Array.from({ length: FINDINGS_PARALLEL }, worker));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
  return { catalog, subjects: subjects.length, findings: sortFindings(out), failures };
}

export type LeastPrivilegeKind = 'iam' | 'rbac' | 'netpol';

/** The smallest policy of one kind that still allows everything observed, with the diff against what is declared. */
export async function leastPrivilege(graph: Graph, subject: Subject, kind: string): Promise<Record<string, unknown>> {
  if (kind !== 'iam' && kind !== 'rbac' && kind !== 'netpol') throw new InputError(`--kind: must be iam, rbac or netpol, got "${kind}"`);
  const anchors = await subjectAnchors(graph, subject);
  const p = { anchors: anchors.map((a) => a.anchor) };
  if (kind === 'iam') return { subject, kind, principals: leastPrivilegeIam((await graph.read('queries/risk/gaps-iam', p)) as unknown as GapsInput['iam']) };
  if (kind === 'rbac') return { subject, kind, serviceAccounts: leastPrivilegeRbac((await graph.read('queries/risk/least-privilege-rbac', p)) as unknown as RbacRow[]) };
  const [rows, coverage, declared] = await Promise.all([graph.read('queries/risk/least-privilege-netpol', p), graph.read('queries/risk/gaps-coverage', p), graph.read('queries/risk/gaps-network-declared', p)]);
  const g = computeGaps({ coverage: coverage.filter((c) => c.coverage !== null) as unknown as GapsInput['coverage'], observedNet: [], declaredNet: declared as unknown as GapsInput['declaredNet'], iam: [], runtime: undefined, hasAibom: false, hasPods: true });
  return {
    subject,
    kind,
    window: g.window,
    completeness: g.completeness.network,
    policies: leastPrivilegeNetpol(rows as unknown as NetpolRow[]),
    declaredEgress: declared,
  };
}
