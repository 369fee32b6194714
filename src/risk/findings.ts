/**
 * The findings catalog (cypher/findings/catalog.json) and runtime-weighted priority. Pure except for
 * reading the catalog file once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { projectRoot } from '../paths.js';
import type { Hop } from './blast.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

const entrySchema = z
  .object({
    id: z.string().regex(/^RG-\d{3}$/),
    title: z.string().min(1).max(200),
    severity: z.enum(SEVERITIES),
    query: z.string().regex(/^risk\/findings\/[a-z0-9-]+$/),
    description: z.string().min(1).max(1024),
    remediation: z.string().min(1).max(1024),
    owaspLlm: z.array(z.string().regex(/^LLM(0[1-9]|10):2025 /)),
    owaspAgentic: z.array(z.string().regex(/^ASI(0[1-9]|10) /)),
    soc2: z.array(z.string().regex(/^CC\d\.\d$/)),
    pciDss: z.array(z.string().regex(/^\d+(\.\d+)+$/)),
    hipaa: z.array(z.string().regex(/^164\.\d{3}\([a-z]\)/)),
  })
  .strict();
export type CatalogEntry = z.infer<typeof entrySchema>;

const catalogSchema = z.object({ $comment: z.string().optional(), version: z.literal(1), findings: z.array(entrySchema).min(1) }).strict();

/** A JSON file checked with `schema`; unreadable JSON or the first bad field is an error naming the file. */
function readChecked<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`${file}: ${(e as Error).message}`, { cause: e });
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new InputError(`${file}: ${i.path.join('.') || '(top level)'}: ${i.message}`);
  }
  return r.data;
}

/** Reads and checks the catalog; a bad entry is an error naming the file and the field. */
export function loadCatalog(file = path.join(projectRoot(), 'cypher', 'findings', 'catalog.json')): CatalogEntry[] {
  const catalog = readChecked(file, catalogSchema);
  const ids = catalog.findings.map((f) => f.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new InputError(`${file}: finding id ${dup} appears twice`);
  return catalog.findings;
}

const modelSourcesSchema = z.object({ $comment: z.string().optional(), sources: z.array(z.string().min(1).max(300)) }).strict();

/**
 * The model-source allowlist of finding RG-007 (default: cypher/findings/model-sources.json), lower-cased
 * and without a trailing `/`; a bad file is an error naming it and the field.
 */
export function loadModelSources(file = path.join(projectRoot(), 'cypher', 'findings', 'model-sources.json')): string[] {
  return [...new Set(readChecked(file, modelSourcesSchema).sources.map((s) => s.trim().toLowerCase().replace(/\/+$/, '')))].filter((s) => s !== '');
}

/** A finding row of a catalog query: what it found and the evidence path. */
export interface FindingRow {
  target: string;
  hops: Hop[];
  exercised: boolean;
}

export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  subject: { label: string; id: string };
  target: string;
  /** The subject is an entry point (tagged, exposed, or steered by a poisoned tool). */
  entry: boolean;
  /** Runtime evidence shows the risky access in use. */
  exercised: boolean;
  priority: number;
  path: Hop[];
}

const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = { critical: 10, high: 7.5, medium: 5, low: 2.5 };

/**
 * 0–100: severity, times 1 when runtime evidence shows the access exercised and 0.6 when it is only
 * granted, times 1.25 when the subject is an entry point; so an exercised grant outranks the same
 * grant unused, and a subject with an entry point outranks one without.
 */
export function priority(severity: Severity, exercised: boolean, entry: boolean): number {
  return Math.min(100, Math.round(SEVERITY_WEIGHT[severity] * 10 * (exercised ? 1 : 0.6) * (entry ? 1.25 : 1)));
}

/** One finding per (rule, subject, target): the shortest evidence path, exercised if any path was. */
export function findingsOf(rule: CatalogEntry, subject: { label: string; id: string }, rows: readonly FindingRow[], entry: boolean): Finding[] {
  const by = new Map<string, FindingRow & { exercisedAny: boolean }>();
  for (const r of rows) {
    const prev = by.get(r.target);
    if (!prev || r.hops.length < prev.hops.length) by.set(r.target, { ...r, exercisedAny: (prev?.exercisedAny ?? false) || r.exercised });
    else prev.exercisedAny ||= r.exercised;
  }
  return [...by.values()].map((r) => ({
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    subject,
    target: r.target,
    entry,
    exercised: r.exercisedAny,
    priority: priority(rule.severity, r.exercisedAny, entry),
    path: r.hops.map((h) => ({ type: h.type, from: h.from, to: h.to })),
  }));
}

/** Highest priority first, then rule, subject, target: a stable order for reports and SARIF. */
export function sortFindings(fs: Finding[]): Finding[] {
  return fs.sort((a, b) => b.priority - a.priority || a.ruleId.localeCompare(b.ruleId) || a.subject.id.localeCompare(b.subject.id) || a.target.localeCompare(b.target));
}
