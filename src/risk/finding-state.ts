/**
 * Stored findings, pure parts: the stable finding id, the framework references a finding carries,
 * its status at a moment, an agent's risk score from its open findings, and the checks on a risk
 * acceptance. The I/O is in ./store.ts.
 */
import crypto from 'node:crypto';
import { InputError } from '../errors.js';
import type { CatalogEntry, Finding } from './findings.js';

/** The statuses a stored finding has: `accepted` is `open` with an acceptance that has not expired. */
export const FINDING_STATUSES = ['open', 'accepted', 'resolved'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/**
 * The stable id of a finding: the rule, then 20 hex digits of SHA-256 over rule, subject label, subject
 * id and target (NUL-separated, so no two different tuples hash the same input). The rule prefix keeps
 * ids readable in a table; 80 bits keep collisions out of reach for any estate.
 */
export function findingId(ruleId: string, subject: { label: string; id: string }, target: string): string {
  const h = crypto.createHash('sha256').update([ruleId, subject.label, subject.id, target].join('\u0000')).digest('hex');
  return `${ruleId}-${h.slice(0, 20)}`;
}

/** The frameworks the catalog maps to, by the key a filter uses. */
export const FRAMEWORKS = [
  { key: 'owasp-llm', field: 'owaspLlm', name: 'OWASP Top 10 for LLM Applications 2025' },
  { key: 'owasp-agentic', field: 'owaspAgentic', name: 'OWASP Top 10 for Agentic Applications' },
  { key: 'soc2', field: 'soc2', name: 'SOC 2' },
  { key: 'pci-dss', field: 'pciDss', name: 'PCI DSS 4.0' },
  { key: 'hipaa', field: 'hipaa', name: 'HIPAA Security Rule' },
] as const satisfies readonly { key: string; field: keyof CatalogEntry; name: string }[];

/** One control a finding is evidence against. */
export interface FrameworkRef {
  framework: string;
  id: string;
  name: string | null;
}

/** The catalog entry's mappings as references: OWASP items split into id and name ("LLM06:2025", "Excessive Agency"). */
export function frameworkRefs(rule: CatalogEntry): FrameworkRef[] {
  return FRAMEWORKS.flatMap((f) =>
    rule[f.field].map((text) => {
      const space = text.indexOf(' ');
      return space < 0 ? { framework: f.key, id: text, name: null } : { framework: f.key, id: text.slice(0, space), name: text.slice(space + 1) };
    }),
  );
}

/** Stored form of the references ("framework id[ name]"): a list of strings, which a Neo4j property can hold. */
export function encodeFrameworks(refs: readonly FrameworkRef[]): string[] {
  return refs.map((r) => [r.framework, r.id, r.name].filter((x) => x !== null).join(' '));
}

/** Reads the stored form back. */
export function decodeFrameworks(stored: readonly string[]): FrameworkRef[] {
  return stored.map((s) => {
    const [framework = '', id = '', ...rest] = s.split(' ');
    return { framework, id, name: rest.length ? rest.join(' ') : null };
  });
}

/**
 * What a `framework` filter matches, lower-cased: the framework key (`owasp-llm`), each control id
 * (`llm06:2025`, `cc6.1`) and, for the OWASP ids, the id without its year (`llm06`).
 */
export function frameworkKeys(refs: readonly FrameworkRef[]): string[] {
  const keys = new Set<string>();
  for (const r of refs) {
    keys.add(r.framework);
    keys.add(r.id.toLowerCase());
    const short = /^([A-Za-z]+\d+):\d{4}$/.exec(r.id);
    if (short) keys.add(short[1]!.toLowerCase());
  }
  return [...keys].sort();
}

/** A finding as the refresh writes it: the computed finding plus its id and catalog mappings. */
export interface FindingWrite {
  id: string;
  ruleId: string;
  title: string;
  severity: string;
  priority: number;
  subjectLabel: string;
  subjectId: string;
  target: string;
  entry: boolean;
  exercised: boolean;
  path: string;
  frameworks: string[];
  frameworkKeys: string[];
}

/** The row the refresh MERGEs for one computed finding. */
export function toWrite(f: Finding, rule: CatalogEntry | undefined): FindingWrite {
  const refs = rule ? frameworkRefs(rule) : [];
  return {
    id: findingId(f.ruleId, f.subject, f.target),
    ruleId: f.ruleId,
    title: f.title,
    severity: f.severity,
    priority: f.priority,
    subjectLabel: f.subject.label,
    subjectId: f.subject.id,
    target: f.target,
    entry: f.entry,
    exercised: f.exercised,
    path: JSON.stringify(f.path),
    frameworks: encodeFrameworks(refs),
    frameworkKeys: frameworkKeys(refs),
  };
}

/** The status at `now`: resolved stays resolved; open with an acceptance running past `now` is accepted. */
export function statusAt(stored: { status: string; acceptedUntil?: string | null }, now: string): FindingStatus {
  if (stored.status === 'resolved') return 'resolved';
  return stored.acceptedUntil && stored.acceptedUntil > now ? 'accepted' : 'open';
}

/**
 * An agent's risk score, 0–100, from the priorities (0–100) of its open findings: 100 × (1 − Π(1 − pᵢ/100)).
 * The highest priority sets the floor and every further open finding raises the score without passing
 * 100, so one critical exercised finding outranks many low unexercised ones. Priorities are already
 * runtime-weighted (exercised, entry point), so the score is too. Accepted and resolved findings do not count.
 */
export function riskScore(priorities: readonly number[]): number {
  const keep = priorities.reduce((p, x) => p * (1 - Math.min(100, Math.max(0, x)) / 100), 1);
  return Math.round(1000 * (1 - keep)) / 10;
}

/** The longest an acceptance may run: a risk is looked at again at least once a year. */
export const MAX_ACCEPTANCE_DAYS = 366;
/** Longest reason kept; a reason is an explanation, not a document. */
export const MAX_REASON_LENGTH = 2000;

/** A checked acceptance: trimmed reason, expiry as an ISO instant. */
export interface AcceptanceInput {
  findingId: string;
  reason: string;
  expires: string;
  by: string;
}

/**
 * Checks an acceptance before it is written: a reason that says something, an expiry that is a date in
 * the future and at most a year ahead. A date without a time ("2027-03-01") expires at the end of that
 * day, UTC. Errors name the argument (`argName` maps it to the caller's spelling, e.g. `--expires`).
 */
export function checkAcceptance(
  input: { findingId: string; reason: string; expires: string | Date; by: string },
  now: Date,
  argName: (name: 'findingId' | 'reason' | 'expires') => string = (n) => n,
): AcceptanceInput {
  const findingId = input.findingId.trim();
  if (!/^RG-\d{3}-[0-9a-f]{20}$/.test(findingId)) throw new InputError(`${argName('findingId')}: "${clip(input.findingId)}" is not a finding id (RG-NNN- and 20 hex digits; see \`reachgraph findings --stored\`)`);
  const reason = input.reason.trim();
  if (reason.length === 0) throw new InputError(`${argName('reason')}: must say why the risk is accepted; it is empty`);
  if (reason.length > MAX_REASON_LENGTH) throw new InputError(`${argName('reason')}: at most ${MAX_REASON_LENGTH} characters, got ${reason.length}`);
  let t: number;
  if (input.expires instanceof Date) t = input.expires.getTime();
  else if (/^\d{4}-\d{2}-\d{2}$/.test(input.expires.trim())) t = Date.parse(`${input.expires.trim()}T23:59:59.999Z`);
  else t = /^\d{4}-\d{2}-\d{2}T/.test(input.expires.trim()) ? Date.parse(input.expires.trim()) : Number.NaN;
  // Date.parse rolls 2027-02-30 over into March: the calendar day is checked on its own.
  if (Number.isNaN(t) || (typeof input.expires === 'string' && !realDay(input.expires.trim().slice(0, 10)))) throw new InputError(`${argName('expires')}: "${clip(String(input.expires))}" is not an ISO-8601 date or date-time`);
  if (t <= now.getTime()) throw new InputError(`${argName('expires')}: ${new Date(t).toISOString()} is not in the future (now ${now.toISOString()})`);
  const limit = now.getTime() + MAX_ACCEPTANCE_DAYS * 86_400_000;
  if (t > limit) throw new InputError(`${argName('expires')}: ${new Date(t).toISOString()} is more than a year ahead; accept for at most ${MAX_ACCEPTANCE_DAYS} days (until ${new Date(limit).toISOString()}) and review it then`);
  const by = input.by.trim() || 'unknown';
  return { findingId, reason, expires: new Date(t).toISOString(), by };
}

function realDay(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** A user's string cut for an error message. */
export function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}
