/**
 * Stored findings (docs/risk.md, "Stored findings"): the refresh that materializes the findings report as
 * `Finding` nodes with a status, risk acceptances with their audit trail, the agents' risk scores, and the
 * reads the API and the CLI page through. Every statement is a file under cypher/queries/risk/findings-store/.
 */
import crypto from 'node:crypto';
import { InputError } from '../errors.js';
import { runNamed, type Graph, type Row } from '../graph/driver.js';
import { logger } from '../log.js';
import type { Hop } from './blast.js';
import { SEVERITIES, type CatalogEntry } from './findings.js';
import { checkAcceptance, clip, decodeFrameworks, FINDING_STATUSES, riskScore, toWrite, type FindingStatus, type FrameworkRef } from './finding-state.js';
import { findings as computeFindings, type FindingsFailure } from './run.js';

/** Findings per write transaction: large enough to amortize round trips, small enough to keep a transaction's memory low. */
const WRITE_BATCH = 5_000;

export interface RefreshResult {
  refreshId: string;
  startedAt: string;
  subjects: number;
  /** Findings the refresh found (and wrote). */
  found: number;
  created: number;
  reopened: number;
  resolved: number;
  /** The refresh ran over every AIAgent and every catalog query succeeded: only then are missing findings resolved. */
  complete: boolean;
  failures: FindingsFailure[];
  agentsScored: number;
}

/**
 * Computes the findings report over every AIAgent and stores it: each finding MERGEd by its stable id
 * (firstSeen, lastSeen, status), then, only when every query succeeded, the stored agent findings this
 * refresh did not find are resolved, and every agent's riskScore is set from its open findings. A failed
 * write stops the refresh before anything is resolved; findings already written stay (they were found).
 */
export async function refreshFindings(graph: Graph, o: { catalog?: CatalogEntry[] | undefined; now?: () => Date } = {}): Promise<RefreshResult> {
  const clock = o.now ?? (() => new Date());
  const startedAt = clock().toISOString();
  const refreshId = crypto.randomUUID();
  const report = await computeFindings(graph, { catalog: o.catalog, keepGoing: true });
  const rules = new Map(report.catalog.map((r) => [r.id, r]));
  const rows = report.findings.map((f) => toWrite(f, rules.get(f.ruleId)));
  let created = 0;
  let reopened = 0;
  let unlinked = 0;
  for (let i = 0; i < rows.length; i += WRITE_BATCH) {
    const res = await graph.write('queries/risk/findings-store/merge-findings', { rows: rows.slice(i, i + WRITE_BATCH), now: startedAt, refreshId });
    const r = res.rows[0] ?? {};
    created += Number(r.created ?? 0);
    reopened += Number(r.reopened ?? 0);
    unlinked += Number(r.unlinked ?? 0);
  }
  if (unlinked > 0) logger.warn({ unlinked }, 'findings refresh: some subjects left the graph while it ran; their findings are stored without a FINDING_OF link');
  const complete = report.failures.length === 0;
  let resolved = 0;
  if (complete) {
    const res = await graph.write('queries/risk/findings-store/resolve-missing', { refreshId, startedAt, now: clock().toISOString() });
    resolved = Number(res.rows[0]?.resolved ?? 0);
  } else {
    logger.warn({ failures: report.failures }, 'findings refresh incomplete: no finding is resolved');
  }
  const agentsScored = await updateRiskScores(graph, null, clock().toISOString());
  return { refreshId, startedAt, subjects: report.subjects, found: rows.length, created, reopened, resolved, complete, failures: report.failures, agentsScored };
}

/** Sets riskScore on these agents (null: every AIAgent) from their open findings at `now`; returns how many were set. */
async function updateRiskScores(graph: Graph, agents: string[] | null, now: string, run?: (name: string, params: Record<string, unknown>) => Promise<Row[]>): Promise<number> {
  const read = run ?? ((name: string, params: Record<string, unknown>) => graph.read(name, params));
  const rows = (await read('queries/risk/findings-store/open-priorities', { agents, now })) as { agent: string; priorities: number[] }[];
  const scores = rows.map((r) => ({ agent: r.agent, score: riskScore(r.priorities.map(Number)), open: r.priorities.length }));
  let n = 0;
  for (let i = 0; i < scores.length; i += WRITE_BATCH) {
    const batch = { rows: scores.slice(i, i + WRITE_BATCH), now };
    const res = run ? await run('queries/risk/findings-store/set-risk-scores', batch) : (await graph.write('queries/risk/findings-store/set-risk-scores', batch)).rows;
    n += Number(res[0]?.agents ?? 0);
  }
  return n;
}

/** A risk acceptance as stored. */
export interface Acceptance {
  id: string;
  by: string;
  at: string;
  reason: string;
  expires: string;
}

/** A stored finding as the API and the CLI show it. */
export interface StoredFinding {
  id: string;
  ruleId: string;
  title: string;
  severity: string;
  priority: number;
  subject: { label: string; id: string };
  target: string;
  entry: boolean;
  exercised: boolean;
  path: Hop[];
  frameworks: FrameworkRef[];
  status: FindingStatus;
  firstSeen: string;
  lastSeen: string;
  resolvedAt: string | null;
  /** The latest acceptance (it governs), or null. */
  acceptance: Acceptance | null;
  /** Every acceptance, newest first: the audit trail. */
  acceptances: Acceptance[];
}

function toStored(r: Row): StoredFinding {
  const f = r.finding as Record<string, unknown>;
  const acceptances = ((r.acceptances as Record<string, unknown>[] | undefined) ?? []).map((a) => ({ id: String(a.id), by: String(a.by), at: String(a.at), reason: String(a.reason), expires: String(a.expires) }));
  let path: Hop[] = [];
  try {
    path = JSON.parse(String(f.path ?? '[]')) as Hop[];
  } catch {
    logger.warn({ finding: f.id }, 'stored finding has an unreadable path; shown without it');
  }
  return {
    id: String(f.id),
    ruleId: String(f.ruleId),
    title: String(f.title),
    severity: String(f.severity),
    priority: Number(f.priority),
    subject: { label: String(f.subjectLabel), id: String(f.subjectId) },
    target: String(f.target),
    entry: f.entry === true,
    exercised: f.exercised === true,
    path,
    frameworks: decodeFrameworks((f.frameworks as string[] | undefined) ?? []),
    status: r.status as FindingStatus,
    firstSeen: String(f.firstSeen),
    lastSeen: String(f.lastSeen),
    resolvedAt: (f.resolvedAt as string | null | undefined) ?? null,
    acceptance: acceptances[0] ?? null,
    acceptances,
  };
}

/** What a list of stored findings is narrowed to; every given condition must hold. */
export interface FindingFilter {
  severity?: string[] | null | undefined;
  /** A framework key (owasp-llm, owasp-agentic, soc2, pci-dss, hipaa) or a control id (LLM06, ASI03, CC6.1). */
  framework?: string | null | undefined;
  /** The subject's id (an AIAgent id). */
  agent?: string | null | undefined;
  status?: string | null | undefined;
}

/** Largest page of stored findings. */
export const MAX_FINDINGS_PAGE = 500;

/** Checks a filter and turns it into query parameters; a bad value is an InputError naming the field. */
export function filterParams(f: FindingFilter | null | undefined, argPrefix = 'filter.'): Record<string, unknown> {
  const severity = f?.severity ?? null;
  if (severity) for (const s of severity) if (!(SEVERITIES as readonly string[]).includes(s)) throw new InputError(`${argPrefix}severity: must be among ${SEVERITIES.join(', ')}, got "${clip(s)}"`);
  const status = f?.status ?? null;
  if (status !== null && !(FINDING_STATUSES as readonly string[]).includes(status)) throw new InputError(`${argPrefix}status: must be one of ${FINDING_STATUSES.join(', ')}, got "${clip(status)}"`);
  const framework = f?.framework?.trim() ? f.framework.trim().toLowerCase() : null;
  const agent = f?.agent ?? null;
  return { severity: severity && severity.length ? severity : null, status, framework, agent };
}

/**
 * One page of stored findings, highest priority first: `after` is the last finding of the previous page
 * (its priority and id); returns up to `first` findings and whether more follow. The status is computed
 * at `now`, so an expired acceptance reads open without a refresh.
 */
export async function listFindings(
  graph: Graph,
  o: { filter?: FindingFilter | null; first: number; after?: { priority: number; id: string } | null; now?: Date },
): Promise<{ findings: StoredFinding[]; hasNext: boolean }> {
  if (!Number.isInteger(o.first) || o.first < 1 || o.first > MAX_FINDINGS_PAGE) throw new InputError(`first: must be an integer from 1 to ${MAX_FINDINGS_PAGE}, got ${o.first}`);
  const params = filterParams(o.filter);
  // One agent's findings seek by subject; all of them walk the priority index in page order.
  const rows = await graph.read(params.agent === null ? 'queries/risk/findings-store/list-findings' : 'queries/risk/findings-store/list-agent-findings', {
    ...params,
    now: (o.now ?? new Date()).toISOString(),
    afterPriority: o.after?.priority ?? null,
    afterId: o.after?.id ?? null,
    limit: o.first + 1,
  });
  return { findings: rows.slice(0, o.first).map(toStored), hasNext: rows.length > o.first };
}

/** How many stored findings match the filter, all pages. */
export async function countFindings(graph: Graph, filter: FindingFilter | null | undefined, now = new Date()): Promise<number> {
  const params = filterParams(filter);
  const rows = await graph.read(params.agent === null ? 'queries/risk/findings-store/count-findings' : 'queries/risk/findings-store/count-agent-findings', { ...params, now: now.toISOString() });
  return Number(rows[0]?.total ?? 0);
}

/** The current (open or accepted) stored findings of many agents, in one query: agent id → findings, highest priority first. */
export async function findingsOfAgents(graph: Graph, agents: readonly string[], now = new Date()): Promise<Map<string, StoredFinding[]>> {
  const out = new Map<string, StoredFinding[]>(agents.map((a) => [a, []]));
  if (agents.length === 0) return out;
  const rows = await graph.read('queries/risk/findings-store/findings-of-agents', { agents: [...new Set(agents)], now: now.toISOString() });
  for (const r of rows) out.get(String(r.agent))?.push(toStored(r));
  return out;
}

/** Stored findings by id (missing ids are left out). */
export async function findingsById(graph: Graph, ids: readonly string[], now = new Date()): Promise<StoredFinding[]> {
  const rows = await graph.read('queries/risk/findings-store/findings-by-id', { ids: [...ids], now: now.toISOString() });
  return rows.map(toStored);
}

/**
 * Accepts a finding's risk: a new RiskAcceptance (by, at, reason, expires) linked to it, the finding
 * `accepted` until the expiry, and its agent's riskScore recomputed, all in one transaction. An unknown or
 * resolved finding, an empty reason, an expiry in the past or more than a year ahead are InputErrors
 * naming the argument (`argName` spells it for the caller: `--expires` on the CLI).
 */
export async function acceptRisk(
  graph: Graph,
  input: { findingId: string; reason: string; expires: string | Date; by: string },
  o: { now?: Date; argName?: (name: 'findingId' | 'reason' | 'expires') => string } = {},
): Promise<StoredFinding> {
  const now = o.now ?? new Date();
  const a = checkAcceptance(input, now, o.argName);
  const name = o.argName ?? ((n: string) => n);
  const check = async (): Promise<Row> => {
    const [f] = await graph.read('queries/risk/findings-store/get-finding', { id: a.findingId });
    if (!f) throw new InputError(`${name('findingId')}: no stored finding has id "${a.findingId}" (run \`reachgraph findings --refresh\` first, or check the id)`);
    if (f.status === 'resolved') throw new InputError(`${name('findingId')}: finding ${a.findingId} is resolved (since ${String(f.resolvedAt)}): there is no open risk to accept`);
    return f;
  };
  const f = await check();
  // Errors thrown inside a managed transaction come back wrapped as graph errors: the transaction only
  // reports whether the finding was still there and unresolved, and the check above names the cause.
  const written = await graph.inWriteTx('queries/risk/findings-store/accept-finding', async (tx) => {
    const run = (q: string, p: Record<string, unknown>) => runNamed(tx, q, p);
    const rows = await run('queries/risk/findings-store/accept-finding', { findingId: a.findingId, acceptanceId: crypto.randomUUID(), by: a.by, at: now.toISOString(), reason: a.reason, expires: a.expires });
    if (rows.length > 0 && f.subjectLabel === 'AIAgent') await updateRiskScores(graph, [String(f.subjectId)], now.toISOString(), run);
    return rows.length > 0;
  });
  if (!written) await check();
  const [stored] = await findingsById(graph, [a.findingId], now);
  return stored!;
}
