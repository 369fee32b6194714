/**
 * RBAC gaps. Pure: the rows of cypher/queries/risk/gaps-rbac in, the subject's service accounts'
 * grants (verb × resource × namespace scope, from the rules of the roles bound to them) compared with
 * the requests the API server's audit log holds (DID_REQUEST).
 *
 * Absence is not proof: a grant no request used is `unused` only when the audit windows of the
 * cluster cover the whole evidence window (the same union-without-gap rule as sensor coverage,
 * coverage.ts) and the audit policy of every window overlapping it logs all such requests of that
 * service account at Metadata level or above; otherwise `unknown`, with the reason.
 */
import { requestsLogged, type AuditPolicy, type RequestKind } from '../identity/kubernetes/audit-policy.js';
import { ruleAllows, serviceAccountPrincipal } from '../identity/kubernetes/rbac/engine.js';
import type { PolicyRule } from '../identity/kubernetes/rbac/types.js';
import { coverageOf, type Completeness } from './coverage.js';
import type { Undeclared, UnusedGrant } from './gaps.js';
import { parseRules, requestText } from './least-privilege.js';

/** A row of risk/gaps-rbac: one service account, its audit evidence and its grants. */
export interface RbacGapRow {
  serviceAccount: string;
  cluster: string;
  namespace: string;
  name: string;
  requests: { verb: string; apiGroup: string; resource: string; subresource: string; namespace: string; path: string; allowed: boolean; count: number | null; firstSeen: string | null; lastSeen: string | null }[];
  windows: { id: string; from: string; to: string; events: number | null; policy: string | null }[];
  grants: { binding: string; bindingKind: 'RoleBinding' | 'ClusterRoleBinding'; bindingNamespace: string | null; role: string; rules: string | null }[];
}

type Request = RbacGapRow['requests'][number];

/** One grant: a single verb on a single resource kind (or non-resource path) in one scope. */
interface Unit {
  text: string;
  rule: PolicyRule;
  /** A RoleBinding's namespace, or null: a ClusterRoleBinding grants in every namespace and cluster-wide. */
  namespace: string | null;
  kind: RequestKind;
  via: Set<string>;
}

/** The grants of one service account, one per verb × resource (× API group) × scope, merged over bindings. */
function unitsOf(row: RbacGapRow): Unit[] {
  const { user, groups } = serviceAccountPrincipal(row.namespace, row.name);
  const units = new Map<string, Unit>();
  for (const g of row.grants) {
    const ns = g.bindingKind === 'RoleBinding' ? (g.bindingNamespace ?? '') : null;
    const scope = ns === null ? ' (all namespaces)' : ` in ${ns}`;
    const add = (text: string, rule: PolicyRule, kind: RequestKind) => {
      const u = units.get(text) ?? { text, rule, namespace: ns, kind, via: new Set<string>() };
      u.via.add(`${g.bindingKind} ${g.binding} -> ${g.role}`);
      units.set(text, u);
    };
    for (const r of parseRules(g.rules)) {
      const names = r.resourceNames.length ? ` [${[...r.resourceNames].sort().join(',')}]` : '';
      for (const verb of r.verbs) {
        for (const apiGroup of r.apiGroups)
          for (const resource of r.resources)
            add(`${verb} ${apiGroup ? `${apiGroup}/` : ''}${resource}${names}${scope}`, { verbs: [verb], apiGroups: [apiGroup], resources: [resource], resourceNames: r.resourceNames, nonResourceURLs: [] }, { kind: 'resource', user, groups, verb, apiGroup, resource, namespace: ns ?? '*' });
        // nonResourceURLs only mean something through a ClusterRoleBinding.
        if (ns === null) for (const path of r.nonResourceURLs) add(`${verb} ${path}`, { verbs: [verb], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [path] }, { kind: 'nonResource', user, groups, verb, path });
      }
    }
  }
  return [...units.values()];
}

/** Does a unit's grant allow this request? Audit evidence has no object names: a name-limited grant counts as allowing its resource. */
function allows(u: Unit, r: Request): boolean {
  if (u.namespace !== null && (r.path !== '' || r.namespace !== u.namespace)) return false;
  const rule = { ...u.rule, resourceNames: [] };
  return ruleAllows(rule, r.path ? { kind: 'nonResource', verb: r.verb, path: r.path } : { kind: 'resource', verb: r.verb, apiGroup: r.apiGroup, resource: r.resource, subresource: r.subresource, namespace: r.namespace, name: '' });
}

export interface RbacGaps {
  /** The window the RBAC answer is about: the gaps window, or without one the span of the audit windows. */
  window: { from: string; to: string } | undefined;
  completeness: Completeness;
  grantedUnused: UnusedGrant[];
  doneUndeclared: Undeclared[];
}

/** Granted but unused RBAC verbs and requests no grant allows, per service account of the subject. */
export function rbacGaps(rows: readonly RbacGapRow[], gapsWindow: { from: string; to: string } | undefined): RbacGaps {
  const all = rows.flatMap((r) => r.windows);
  const window =
    gapsWindow ?? (all.length ? { from: new Date(all.map((w) => w.from).sort()[0]!).toISOString(), to: new Date(all.map((w) => w.to).sort().at(-1)!).toISOString() } : undefined);
  if (rows.length === 0) return { window, completeness: { complete: false, reason: 'the subject has no Kubernetes service account' }, grantedUnused: [], doneUndeclared: [] };
  const grantedUnused: UnusedGrant[] = [];
  const doneUndeclared: Undeclared[] = [];
  const incomplete: string[] = [];
  for (const row of rows) {
    const units = unitsOf(row);
    const inWindow = (r: Request) => !window || ((!r.lastSeen || Date.parse(r.lastSeen) >= Date.parse(window.from)) && (!r.firstSeen || Date.parse(r.firstSeen) <= Date.parse(window.to)));
    const requests = row.requests.filter(inWindow);
    // The log must cover the window: the same rule as sensor coverage, the cluster's audit log as the one "probe".
    const spans = row.windows.map((w) => `${w.from} .. ${w.to}`).sort();
    const covered: Completeness =
      row.windows.length === 0
        ? { complete: false, reason: `no Kubernetes audit log of cluster ${row.cluster} is collected (collect k8s-audit)` }
        : coverageOf(row.windows.map((w) => ({ workload: row.cluster, coverage: w.id, from: w.from, to: w.to, probes: ['k8s-audit'], lost: false })), 'k8s-audit', window).complete
          ? { complete: true }
          : { complete: false, reason: `the audit log of ${row.cluster} (${spans.join(', ')}) does not cover the whole window ${window!.from} .. ${window!.to}` };
    const overlapping = window ? row.windows.filter((w) => Date.parse(w.to) >= Date.parse(window.from) && Date.parse(w.from) <= Date.parse(window.to)) : [];
    const unknownPolicy = overlapping.find((w) => !w.policy);
    const policies = overlapping.filter((w) => w.policy).map((w) => ({ id: w.id, policy: JSON.parse(w.policy!) as AuditPolicy }));
    if (!covered.complete) incomplete.push(covered.reason!);
    else if (unknownPolicy) incomplete.push(`the audit policy of ${unknownPolicy.id} is not known (collect k8s-audit --policy FILE)`);
    for (const u of units) {
      if (requests.some((r) => r.allowed && allows(u, r))) continue;
      const via = [...u.via].sort().join('; ');
      let reason: string | undefined = !covered.complete ? covered.reason : unknownPolicy ? `the audit policy of ${unknownPolicy.id} is not known (collect k8s-audit --policy FILE)` : undefined;
      for (const p of reason ? [] : policies) {
        const l = requestsLogged(p.policy, u.kind);
        if (l.logged !== 'all') {
          reason = `${p.id}: ${l.reason}`;
          incomplete.push(`${row.serviceAccount} ${u.text}: ${reason}`);
          break;
        }
      }
      grantedUnused.push(
        reason
          ? { domain: 'rbac', subject: row.serviceAccount, grant: u.text, status: 'unknown', reason: `${reason} (via ${via})` }
          : { domain: 'rbac', subject: row.serviceAccount, grant: u.text, status: 'unused', reason: `no request in the audit log from ${window!.from} to ${window!.to}, whose policy logs such requests (via ${via})` },
      );
    }
    for (const r of requests) {
      const granted = units.some((u) => allows(u, r));
      if (r.allowed && granted) continue;
      doneUndeclared.push({
        domain: 'rbac',
        subject: row.serviceAccount,
        observed: requestText(r),
        detail: !r.allowed ? 'attempted: the API server refused it (403)' : 'allowed by the API server, but no binding of this service account grants it today (a grant since removed, or another authorizer)',
        count: r.count,
        lastSeen: r.lastSeen,
      });
    }
  }
  return { window, completeness: incomplete.length ? { complete: false, reason: incomplete[0]! } : { complete: true }, grantedUnused, doneUndeclared };
}
