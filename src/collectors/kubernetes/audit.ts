/**
 * Kubernetes API audit evidence: what each identity actually asked the API server, from the
 * server's own audit log (`--audit-log-path`, JSON lines of audit.k8s.io/v1 `Event`). This is the
 * observed half of RBAC: `least-privilege --kind rbac` builds a Role from it, the way audit2rbac does.
 *
 * Only metadata is read: user, verb, objectRef, response code and the timestamps. Request and
 * response bodies (present at the Request/RequestResponse audit levels, and holding secret values
 * for a `get secrets`), user agents, source IPs and request URIs are never kept.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import readline from 'node:readline';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import type { NodeRecord, RelRecord } from '../../graph/records.js';
import { parseServiceAccountUser } from '../../identity/kubernetes/rbac/engine.js';
import type { AuditPolicy } from '../../identity/kubernetes/audit-policy.js';

export const AUDIT_SOURCE = 'k8s-audit';

const userSchema = z.object({ username: z.string().optional(), groups: z.array(z.string()).optional() }).passthrough();
const eventSchema = z
  .object({
    kind: z.literal('Event'),
    apiVersion: z.string().regex(/^audit\.k8s\.io\//),
    auditID: z.string().min(1),
    stage: z.string(),
    verb: z.string().min(1),
    requestURI: z.string().optional(),
    user: userSchema,
    impersonatedUser: userSchema.optional().nullable(),
    objectRef: z
      .object({ resource: z.string().optional(), namespace: z.string().optional(), name: z.string().optional(), apiGroup: z.string().optional(), subresource: z.string().optional() })
      .passthrough()
      .optional()
      .nullable(),
    responseStatus: z.object({ code: z.number().int().optional() }).passthrough().optional().nullable(),
    requestReceivedTimestamp: z.string(),
    stageTimestamp: z.string().optional(),
  })
  .passthrough();

/** One kind of request an identity made, aggregated over the log. */
export interface AuditCall {
  /** The identity the request was authorized as: the impersonated user when there is one. */
  user: string;
  verb: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  /** '' for cluster-scoped resources and non-resource URLs. */
  namespace: string;
  /** A non-resource request's path (e.g. /healthz), else ''. */
  path: string;
  /** false when the API server answered 403: the identity tried something RBAC did not allow. */
  allowed: boolean;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

export interface AuditEvidence {
  calls: AuditCall[];
  /** The log's time span: the evidence window. */
  window: { from: string; to: string } | null;
  events: number;
  /** The first event's auditID: with the cluster it names the sync, so collecting a grown log again replaces counts rather than adding them. */
  firstAuditId: string | null;
}

/** Completed requests only: one audit event per request reaches ResponseComplete (or Panic). */
const COUNTED_STAGES = new Set(['ResponseComplete', 'Panic']);

/**
 * Folds audit events into calls one line at a time, so memory follows the number of distinct calls,
 * not the length of the log. Pure.
 */
export class AuditAggregator {
  private readonly calls = new Map<string, AuditCall>();
  private from: string | null = null;
  private to: string | null = null;
  private events = 0;
  private firstAuditId: string | null = null;

  constructor(private readonly file: string) {}

  /** One parsed line; an event that is not an audit Event is an error naming the file, line and field. */
  add(line: number, value: unknown): void {
    const r = eventSchema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new InputError(`${this.file}:${line}: not an audit.k8s.io Event: field \`${issue.path.join('.') || '(root)'}\`: ${issue.message}`);
    }
    const e = r.data;
    this.firstAuditId ??= e.auditID;
    if (!COUNTED_STAGES.has(e.stage)) return;
    const user = e.impersonatedUser?.username ?? e.user.username;
    if (!user) return;
    const at = new Date(e.requestReceivedTimestamp);
    if (Number.isNaN(at.getTime())) throw new InputError(`${this.file}:${line}: field \`requestReceivedTimestamp\`: not a time: "${e.requestReceivedTimestamp}"`);
    const ts = at.toISOString();
    this.events++;
    if (this.from === null || ts < this.from) this.from = ts;
    if (this.to === null || ts > this.to) this.to = ts;
    const o = e.objectRef ?? undefined;
    const path = o?.resource ? '' : (e.requestURI ?? '').split('?')[0]!;
    const call: Omit<AuditCall, 'count' | 'firstSeen' | 'lastSeen'> = {
      user,
      verb: e.verb,
      apiGroup: o?.apiGroup ?? '',
      resource: o?.resource ?? '',
      subresource: o?.subresource ?? '',
      namespace: o?.namespace ?? '',
      path,
      allowed: e.responseStatus?.code !== 403,
    };
    const key = JSON.stringify(call);
    const prev = this.calls.get(key);
    if (prev) {
      prev.count++;
      if (ts < prev.firstSeen) prev.firstSeen = ts;
      if (ts > prev.lastSeen) prev.lastSeen = ts;
    } else this.calls.set(key, { ...call, count: 1, firstSeen: ts, lastSeen: ts });
  }

  result(): AuditEvidence {
    return { calls: [...this.calls.values()], window: this.from && this.to ? { from: this.from, to: this.to } : null, events: this.events, firstAuditId: this.firstAuditId };
  }
}

/** Aggregates audit events (already parsed lines) into calls. Pure. */
export function aggregateAudit(lines: Iterable<{ line: number; value: unknown }>, file: string): AuditEvidence {
  const agg = new AuditAggregator(file);
  for (const { line, value } of lines) agg.add(line, value);
  return agg.result();
}

/** Reads an audit log file (or `-` for standard input) line by line, folding each as it comes; a line that is not JSON is an error naming it. */
export async function readAuditLog(file: string): Promise<AuditEvidence> {
  const input = file === '-' ? process.stdin : createReadStream(file, { encoding: 'utf8' });
  const agg = new AuditAggregator(file);
  let n = 0;
  try {
    for await (const text of readline.createInterface({ input, crlfDelay: Infinity })) {
      n++;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new InputError(`${file}:${n}: not JSON`);
      }
      agg.add(n, value);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: cannot read: ${(e as Error).message}`);
  }
  return agg.result();
}

/** The sync id of a log: collecting the same (or a grown) log again is idempotent. */
export function auditSyncId(cluster: string, ev: AuditEvidence): string {
  return `${AUDIT_SOURCE}:${cluster}:${createHash('sha256').update(`${cluster}\u0000${ev.firstAuditId ?? ''}`).digest('hex').slice(0, 16)}`;
}

/**
 * Graph records: `(K8sServiceAccount|K8sUser)-[:DID_REQUEST]->(K8sNamespace|K8sCluster)` per call
 * kind, and a `Coverage` window of kind k8s-audit over the cluster carrying the audit policy the log
 * was written under (`auditPolicy`, JSON), when known: without it nobody can tell whether a request
 * missing from the log was not made or not logged, so `gaps` answers unknown.
 */
export function auditRecords(cluster: string, ev: AuditEvidence, policy?: AuditPolicy): { nodes: NodeRecord[]; rels: RelRecord[] } {
  const nodes: NodeRecord[] = [];
  const rels: RelRecord[] = [];
  for (const c of ev.calls) {
    const sa = parseServiceAccountUser(c.user);
    const from = sa ? { label: 'K8sServiceAccount', id: `${cluster}/${sa[0]}/${sa[1]}` } : { label: 'K8sUser', id: `${cluster}/${c.user}` };
    const to = c.namespace ? { label: 'K8sNamespace', id: `${cluster}/${c.namespace}` } : { label: 'K8sCluster', id: cluster };
    rels.push({
      kind: 'rel',
      type: 'DID_REQUEST',
      from,
      to,
      key: [c.verb, c.apiGroup, c.resource, c.subresource, c.path, c.allowed ? 'allowed' : 'denied'].join('|'),
      count: c.count,
      firstSeen: c.firstSeen,
      lastSeen: c.lastSeen,
      props: { verb: c.verb, apiGroup: c.apiGroup, resource: c.resource, subresource: c.subresource, namespace: c.namespace, path: c.path, allowed: c.allowed },
    } as RelRecord);
  }
  if (ev.window) {
    const id = `${AUDIT_SOURCE}:${cluster}:${ev.window.from}`;
    nodes.push({ kind: 'node', label: 'Coverage', id, props: { kind: AUDIT_SOURCE, from: ev.window.from, to: ev.window.to, events: ev.events, cluster, auditPolicy: policy ? JSON.stringify(policy) : null } } as NodeRecord);
    rels.push({ kind: 'rel', type: 'COVERS', from: { label: 'Coverage', id }, to: { label: 'K8sCluster', id: cluster } } as RelRecord);
  }
  return { nodes, rels };
}
