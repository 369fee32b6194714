/**
 * Least privilege from behaviour. Pure: from what a subject was observed doing, the smallest IAM
 * policy and egress NetworkPolicy that still allow all of it, with the diff against what is declared.
 * Generated policies are templates to review: evidence the sources cannot see (iam:PassRole,
 * service-level last-accessed data, traffic outside the coverage windows) is kept and flagged, never
 * silently dropped.
 */
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
