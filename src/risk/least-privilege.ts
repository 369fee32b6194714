/**
 * Least privilege from behaviour. Pure: from what a subject was observed doing, the smallest IAM
 * policy and egress NetworkPolicy that still allow all of it, with the diff against what is declared.
 * Generated policies are templates to review: evidence the sources cannot see (iam:PassRole,
 * service-level last-accessed data, traffic outside the coverage windows) is kept and flagged, never
 * silently dropped.
 */
import { ruleAllows } from '../identity/kubernetes/rbac/engine.js';
import { policyRuleSchema, type PolicyRule } from '../identity/kubernetes/rbac/types.js';
import { actionMatches, type IamRow } from './gaps.js';

export interface IamLeastPrivilege {
  principal: string;
  policy: { Version: '2012-10-17'; Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: string[] }[] };
  diff: { keep: string[]; remove: string[]; review: { action: string; reason: string }[] };
}

/** One policy per principal: each used action on the resources its covering grants named. */
export function leastPrivilegeIam(rows: readonly IamRow[]): IamLeastPrivilege[] {
  return rows.map((r) => {
    const patterns = [...new Set(r.grants.flatMap((g) => g.actions ?? []).map((a) => a.toLowerCase()))].sort();
    const used = [...new Set(r.used.map((u) => u.action.toLowerCase()))].sort();
    const byResources = new Map<string, Set<string>>();
    const review: { action: string; reason: string }[] = [];
    for (const a of used) {
      const resources = r.grants.filter((g) => (g.actions ?? []).some((p) => actionMatches(p, a) || (a.endsWith(':*') && p.toLowerCase().split(':')[0] === a.split(':')[0]))).map((g) => g.resource);
      if (resources.length === 0) continue; // used without an identity-policy grant: nothing to keep here
      if (a.endsWith(':*')) review.push({ action: a, reason: 'last-accessed data is service-level here: narrow to the actions CloudTrail shows' });
      const key = [...new Set(resources)].sort().join('\u0000');
      byResources.set(key, (byResources.get(key) ?? new Set()).add(a));
    }
    if (r.usageSyncedAt !== null) for (const p of patterns) if (actionMatches(p, 'iam:passrole') && !used.includes('iam:passrole')) review.push({ action: 'iam:passrole', reason: 'AWS does not track iam:PassRole in last-accessed data: check CloudTrail before removing' });
    const keep = patterns.filter((p) => used.some((a) => actionMatches(p, a) || (a.endsWith(':*') && p.split(':')[0] === a.split(':')[0])));
    if (r.usageSyncedAt === null) for (const p of patterns) review.push({ action: p, reason: 'no IAM last-accessed data for this principal: unused cannot be told from unknown' });
    const reviewed = new Set(review.map((x) => x.action));
    const remove = patterns.filter((p) => !keep.includes(p) && !reviewed.has(p));
    const Statement = [...byResources.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([res, acts], i) => ({ Sid: `Observed${i + 1}`, Effect: 'Allow' as const, Action: [...acts].sort(), Resource: res.split('\u0000') }));
    return { principal: r.principal, policy: { Version: '2012-10-17', Statement }, diff: { keep, remove, review } };
  });
}

export interface NetpolRow {
  pod: string;
  namespace: string;
  labels: string[];
  workload: string | null;
  address: string | null;
  port: number | null;
  protocol: string | null;
  peers: { namespace: string; labels: string[] }[];
}

/** Labels that name a revision or a placement, not an identity (Inspektor Gadget drops the same). */
const UNSTABLE = /^(pod-template-hash|controller-revision-hash|pod-template-generation|statefulset\.kubernetes\.io\/pod-name|topology\.kubernetes\.io\/(zone|region)|batch\.kubernetes\.io\/controller-uid|controller-uid|job-name|batch\.kubernetes\.io\/job-name)=/;

const matchLabels = (labels: readonly string[]): Record<string, string> => Object.fromEntries(labels.filter((l) => !UNSTABLE.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

type Peer = { podSelector: { matchLabels: Record<string, string> }; namespaceSelector?: { matchLabels: Record<string, string> } } | { ipBlock: { cidr: string } };
type Rule = { to: Peer[]; ports: { port: number; protocol: string }[] };

/** One egress NetworkPolicy per subject workload (or pod), allowing exactly the observed peers and ports, plus DNS. */
export function leastPrivilegeNetpol(rows: readonly NetpolRow[]): Record<string, unknown>[] {
  const byOwner = new Map<string, NetpolRow[]>();
  for (const r of rows) byOwner.set(r.workload ?? r.pod, [...(byOwner.get(r.workload ?? r.pod) ?? []), r]);
  const out: Record<string, unknown>[] = [];
  for (const [owner, list] of byOwner) {
    const first = list[0]!;
    const rules = new Map<string, Rule>();
    const add = (peer: Peer, port: number, protocol: string) => {
      const key = JSON.stringify(peer);
      const r = rules.get(key) ?? { to: [peer], ports: [] };
      if (!r.ports.some((p) => p.port === port && p.protocol === protocol)) r.ports.push({ port, protocol });
      rules.set(key, r);
    };
    for (const r of list) {
      if (r.address === null || r.port === null) continue;
      const protocol = (r.protocol ?? 'TCP').toUpperCase();
      if (r.peers.length === 0) add({ ipBlock: { cidr: r.address.includes(':') ? `${r.address}/128` : `${r.address}/32` } }, r.port, protocol);
      for (const p of r.peers) {
        const sel: Peer = p.namespace === first.namespace ? { podSelector: { matchLabels: matchLabels(p.labels) } } : { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespace } }, podSelector: { matchLabels: matchLabels(p.labels) } };
        add(sel, r.port, protocol);
      }
    }
    const egress = [...rules.values()].map((r) => ({ ...r, ports: r.ports.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol)) }));
    // DNS is always kept: the observation may have missed lookups answered from a cache.
    egress.push({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] });
    const name = owner.split('/').at(-1)!;
    out.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `${name}-egress-observed`, namespace: first.namespace }, spec: { podSelector: { matchLabels: matchLabels(first.labels) }, policyTypes: ['Egress'], egress } });
  }
  return out;
}

/** A row of risk/least-privilege-rbac: one service account with its audit evidence and its grants. */
export interface RbacRow {
  serviceAccount: string;
  cluster: string;
  namespace: string;
  name: string;
  requests: { verb: string; apiGroup: string; resource: string; subresource: string; namespace: string; path: string; allowed: boolean; count: number | null; lastSeen: string | null }[];
  windows: { from: string; to: string; events: number | null }[];
  grants: { binding: string; bindingKind: 'RoleBinding' | 'ClusterRoleBinding'; bindingNamespace: string | null; role: string; rules: string | null; via: string | null }[];
}

/** A role's stored rules (JSON text) as policy rules; what does not parse is skipped, never guessed. */
export function parseRules(text: string | null): PolicyRule[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '[]');
  } catch {
    return [];
  }
  return (Array.isArray(parsed) ? parsed : []).flatMap((raw) => {
    const p = policyRuleSchema.safeParse(raw);
    return p.success ? [p.data] : [];
  });
}

export interface RbacLeastPrivilege {
  serviceAccount: string;
  /** The audit windows the evidence comes from; empty = no audit evidence, every grant is unknown. */
  windows: { from: string; to: string; events: number | null }[];
  /** Role + RoleBinding per namespace used, ClusterRole + ClusterRoleBinding for cluster-scoped requests. */
  manifests: Record<string, unknown>[];
  diff: {
    keep: { binding: string; role: string; rule: PolicyRule; usedVerbs: string[] }[];
    /** Granted verbs with no request in the windows: `unused` with audit evidence, else `unknown`. */
    remove: { binding: string; role: string; rule: PolicyRule; verbs: string[]; status: 'unused' | 'unknown' }[];
    review: { request: string; reason: string }[];
  };
}

/** A request as a reader says it: `get apps/deployments in ns`, `list nodes (cluster)`, `get /metrics`. */
export const requestText = (r: RbacRow['requests'][number]): string =>
  r.path ? `${r.verb} ${r.path}` : `${r.verb} ${r.apiGroup ? `${r.apiGroup}/` : ''}${r.resource}${r.subresource ? `/${r.subresource}` : ''}${r.namespace ? ` in ${r.namespace}` : ' (cluster)'}`;

/**
 * The smallest Roles that allow every request a service account was seen making (audit2rbac's
 * idea), and, per granted rule, the verbs it used and those it did not. Audit evidence carries no
 * object names here, so a rule limited by resourceNames counts as used when its verb and resource
 * were; requests the API server refused are listed for review, never granted.
 */
export function leastPrivilegeRbac(rows: readonly RbacRow[]): RbacLeastPrivilege[] {
  return rows.map((row) => {
    const allowed = row.requests.filter((r) => r.allowed);
    const byScope = new Map<string, Map<string, Set<string>>>();
    for (const r of allowed) {
      const ruleKey = r.path ? `url\u0000${r.path}` : `res\u0000${r.apiGroup}\u0000${r.resource}${r.subresource ? `/${r.subresource}` : ''}`;
      const scope = r.path ? '' : r.namespace;
      const rules = byScope.get(scope) ?? new Map<string, Set<string>>();
      rules.set(ruleKey, (rules.get(ruleKey) ?? new Set()).add(r.verb));
      byScope.set(scope, rules);
    }
    const roleName = `${row.name}-observed`;
    const subject = { kind: 'ServiceAccount', name: row.name, namespace: row.namespace };
    const manifests: Record<string, unknown>[] = [];
    for (const [scope, rules] of [...byScope.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const ruleList = [...rules.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, verbs]) => {
        const [kind, a, b] = k.split('\u0000') as [string, string, string?];
        return kind === 'url' ? { nonResourceURLs: [a], verbs: [...verbs].sort() } : { apiGroups: [a], resources: [b!], verbs: [...verbs].sort() };
      });
      const cluster = scope === '';
      const name = cluster ? `${row.namespace}-${roleName}` : roleName;
      manifests.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: cluster ? 'ClusterRole' : 'Role', metadata: { name, ...(cluster ? {} : { namespace: scope }) }, rules: ruleList });
      manifests.push({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: cluster ? 'ClusterRoleBinding' : 'RoleBinding',
        metadata: { name, ...(cluster ? {} : { namespace: scope }) },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: cluster ? 'ClusterRole' : 'Role', name },
        subjects: [subject],
      });
    }
    const evidence = row.windows.length > 0;
    const keep: RbacLeastPrivilege['diff']['keep'] = [];
    const remove: RbacLeastPrivilege['diff']['remove'] = [];
    for (const g of row.grants) {
      for (const rule of parseRules(g.rules)) {
        const nameless: PolicyRule = { ...rule, resourceNames: [] };
        // A RoleBinding grants only in its own namespace; a ClusterRoleBinding everywhere.
        const inScope = allowed.filter((r) => g.bindingKind === 'ClusterRoleBinding' || (!r.path && r.namespace === g.bindingNamespace));
        const used = new Set(
          inScope
            .filter((r) => ruleAllows(nameless, r.path ? { kind: 'nonResource', verb: r.verb, path: r.path } : { kind: 'resource', verb: r.verb, apiGroup: r.apiGroup, resource: r.resource, subresource: r.subresource, namespace: r.namespace, name: '' }))
            .map((r) => r.verb),
        );
        const verbs = rule.verbs.includes('*') ? (used.size > 0 ? [] : ['*']) : rule.verbs.filter((v) => !used.has(v));
        if (used.size > 0) keep.push({ binding: g.binding, role: g.role, rule, usedVerbs: [...used].sort() });
        if (verbs.length > 0) remove.push({ binding: g.binding, role: g.role, rule, verbs, status: evidence ? 'unused' : 'unknown' });
      }
    }
    const review = row.requests.filter((r) => !r.allowed).map((r) => ({ request: requestText(r), reason: 'the API server refused it (403): granting it is a decision, not least privilege' }));
    if (!evidence) review.push({ request: '*', reason: 'no Kubernetes audit evidence for this cluster (collect k8s-audit): unused cannot be told from unknown' });
    return { serviceAccount: row.serviceAccount, windows: row.windows, manifests, diff: { keep, remove, review } };
  });
}
