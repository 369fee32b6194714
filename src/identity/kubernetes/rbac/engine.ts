/**
 * The RBAC authorizer, as a pure function of the RBAC objects: same rules as the API server's
 * RBAC authorizer (plugin/pkg/auth/authorizer/rbac) plus the built-in `system:masters` superuser group.
 *
 * - ClusterRoleBindings apply to every request; RoleBindings only to requests in their namespace
 *   (so never to cluster-scoped or non-resource requests).
 * - A rule matches when verb, API group, resource (`*`, exact `res/sub`, or `* /sub`), and resourceNames
 *   (empty = any; otherwise the request must name one) all match. `pods/*` is NOT a wildcard in RBAC.
 * - Non-resource URLs: `*`, an exact path, or a pattern ending in `*` whose text before its trailing
 *   `*`s (all of them: `/logs**` is the prefix `/logs`) starts the path.
 * - Aggregated ClusterRoles: from a live cluster the rules the server stores (what it enforces); from
 *   files, what the clusterrole-aggregation controller would write (`aggregateClusterRoles`).
 */
import { selectorMatches } from './selector.js';
import type { AccessRequest, ClusterRole, ClusterRoleBinding, Decision, PolicyRule, Principal, RbacState, Reason, ResourceRequest, Role, RoleBinding, Subject } from './types.js';

export const SUPERUSER_GROUP = 'system:masters';
const SA_PREFIX = 'system:serviceaccount:';

/** The user name and groups the API server gives a service account's token. */
export function serviceAccountPrincipal(namespace: string, name: string): Principal {
  return { user: `${SA_PREFIX}${namespace}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'] };
}

/** `system:serviceaccount:NS:NAME` → [NS, NAME], else undefined. */
export function parseServiceAccountUser(user: string): [string, string] | undefined {
  if (!user.startsWith(SA_PREFIX)) return undefined;
  const rest = user.slice(SA_PREFIX.length).split(':');
  if (rest.length !== 2 || !rest[0] || !rest[1]) return undefined;
  return [rest[0], rest[1]];
}

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.includes('*') || rule.verbs.includes(verb);
}
export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.includes('*') || rule.apiGroups.includes(group);
}
export function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource === '' ? resource : `${resource}/${subresource}`;
  for (const r of rule.resources) {
    if (r === '*' || r === combined) return true;
    if (subresource !== '' && r === `*/${subresource}`) return true;
  }
  return false;
}
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  if (rule.resourceNames.length === 0) return true;
  return rule.resourceNames.includes(name);
}
/** The API server's NonResourceURLMatches: a trailing run of `*` (one or many) makes the rest a prefix. */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(trimTrailingStars(u))) return true;
  }
  return false;
}

function trimTrailingStars(u: string): string {
  let end = u.length;
  while (end > 0 && u.charCodeAt(end - 1) === 42 /* * */) end--;
  return u.slice(0, end);
}

/** Does one rule allow the request? */
export function ruleAllows(rule: PolicyRule, req: AccessRequest): boolean {
  if (req.kind === 'nonResource') return verbMatches(rule, req.verb) && nonResourceURLMatches(rule, req.path);
  return verbMatches(rule, req.verb) && apiGroupMatches(rule, req.apiGroup) && resourceMatches(rule, req.resource, req.subresource) && resourceNameMatches(rule, req.name);
}

/** Does a binding subject denote this principal? `bindingNamespace` is '' for ClusterRoleBindings. */
export function subjectMatches(s: Subject, p: Principal, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return s.name === p.user;
    case 'Group':
      return p.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace ? s.namespace : bindingNamespace;
      if (!ns) return false;
      return p.user === `${SA_PREFIX}${ns}:${s.name}`;
    }
    default:
      return false;
  }
}

function ruleKey(r: PolicyRule): string {
  return JSON.stringify([r.verbs, r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs]);
}

/**
 * Effective rules of every ClusterRole as the clusterrole-aggregation controller leaves them
 * (pkg/controller/clusterroleaggregation), for RBAC read from files, where nothing stored them yet.
 *
 * The controller computes an aggregated role's rules as the union (first occurrence kept, selected
 * roles in name order per selector, the role itself skipped) of the *stored* rules of the roles its
 * selectors match, and writes them with a forced server-side apply. When the union is empty the
 * apply carries no `rules` field, so rules the controller never wrote (the role's own, from its
 * creator) stay; rules it wrote itself are removed. This replays that: every aggregated role starts
 * with its own rules, and passes in name order recompute each one from the current rules of the
 * others until nothing changes. With cycles between roles that have own rules the real outcome can
 * depend on the controller's processing order; name order is the one replayed here.
 */
export function aggregateClusterRoles(clusterRoles: readonly ClusterRole[]): Map<string, PolicyRule[]> {
  const out = new Map<string, PolicyRule[]>();
  const aggregated: ClusterRole[] = [];
  for (const cr of clusterRoles) {
    out.set(cr.metadata.name, cr.rules);
    if (cr.aggregationRule) aggregated.push(cr);
  }
  if (aggregated.length === 0) return out;
  const sorted = [...clusterRoles].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  aggregated.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  // Which aggregated roles the controller has written: from then on an empty selection clears them.
  const written = new Set<string>();
  // Each rule set is a list of rules drawn from the finite set of all own rules, and written marks only
  // grow; the bound stops a pathological order-dependent cycle instead of looping.
  const maxPasses = 2 * aggregated.length + 2;
  for (let pass = 0; pass < maxPasses; pass++) {
    let changed = false;
    for (const agg of aggregated) {
      const name = agg.metadata.name;
      const selected = selectedRules(agg, sorted, out);
      const current = out.get(name) ?? [];
      let next: PolicyRule[];
      if (selected.length > 0) {
        written.add(name);
        next = selected;
      } else next = written.has(name) ? [] : current;
      if (!sameRules(next, current)) changed = true;
      out.set(name, next);
    }
    if (!changed) break;
  }
  return out;
}

/** The union of the current rules of the ClusterRoles an aggregated role selects, as the controller orders it. */
function selectedRules(agg: ClusterRole, sortedRoles: readonly ClusterRole[], current: ReadonlyMap<string, PolicyRule[]>): PolicyRule[] {
  const rules: PolicyRule[] = [];
  const seen = new Set<string>();
  for (const sel of agg.aggregationRule?.clusterRoleSelectors ?? []) {
    for (const cr of sortedRoles) {
      if (cr.metadata.name === agg.metadata.name) continue;
      if (!selectorMatches(sel, cr.metadata.labels)) continue;
      for (const r of current.get(cr.metadata.name) ?? []) {
        const k = ruleKey(r);
        if (!seen.has(k)) {
          seen.add(k);
          rules.push(r);
        }
      }
    }
  }
  return rules;
}

function sameRules(a: readonly PolicyRule[], b: readonly PolicyRule[]): boolean {
  return a.length === b.length && a.every((r, i) => ruleKey(r) === ruleKey(b[i]!));
}

/**
 * ClusterRoles whose stored rules differ from what their aggregationRule selects from the stored rules
 * of the others (a live cluster whose controller is behind, stopped, or kept rules it did not write).
 * Answers still come from the stored rules, which the server enforces; this is for reporting.
 */
export function aggregationDrift(clusterRoles: readonly ClusterRole[]): Array<{ name: string; stored: number; selected: number }> {
  const stored = new Map(clusterRoles.map((c) => [c.metadata.name, c.rules] as const));
  const sorted = [...clusterRoles].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  const out: Array<{ name: string; stored: number; selected: number }> = [];
  for (const cr of sorted) {
    if (!cr.aggregationRule) continue;
    const selected = selectedRules(cr, sorted, stored);
    // An empty selection leaves rules the controller never wrote: not drift.
    if (selected.length > 0 && !sameRules(cr.rules, selected)) {
      out.push({ name: cr.metadata.name, stored: cr.rules.length, selected: selected.length });
    }
  }
  return out;
}

function bindingName(b: RoleBinding | ClusterRoleBinding): string {
  return b.kind === 'RoleBinding' ? `RoleBinding/${b.metadata.namespace}/${b.metadata.name}` : `ClusterRoleBinding/${b.metadata.name}`;
}
function subjectName(s: Subject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount/${s.namespace ?? ''}/${s.name}` : `${s.kind}/${s.name}`;
}
function describeRule(r: PolicyRule): Reason['rule'] {
  const d: Reason['rule'] = { verbs: r.verbs };
  if (r.apiGroups.length) d.apiGroups = r.apiGroups;
  if (r.resources.length) d.resources = r.resources;
  if (r.resourceNames.length) d.resourceNames = r.resourceNames;
  if (r.nonResourceURLs.length) d.nonResourceURLs = r.nonResourceURLs;
  return d;
}

/** A binding with the rules of the role it references (empty when the role does not exist, as in the API server). */
export interface ResolvedBinding {
  binding: RoleBinding | ClusterRoleBinding;
  /** '' for ClusterRoleBindings. */
  namespace: string;
  roleName: string;
  rules: PolicyRule[];
}

/** Index key of a binding subject; ServiceAccount subjects without a namespace take the binding's. */
function subjectKey(s: Subject, bindingNamespace: string): string | undefined {
  switch (s.kind) {
    case 'User':
      return `u:${s.name}`;
    case 'Group':
      return `g:${s.name}`;
    case 'ServiceAccount': {
      const ns = s.namespace ? s.namespace : bindingNamespace;
      return ns ? `u:${SA_PREFIX}${ns}:${s.name}` : undefined;
    }
    default:
      return undefined;
  }
}

/** A binding that applies to a principal, with the subject entry that matched. */
export interface MatchedBinding {
  rb: ResolvedBinding;
  subject: Subject;
}

/**
 * An index over the RBAC state: build once, ask many questions. Construction resolves aggregation and
 * role references and indexes bindings by subject, so a question only looks at the principal's own bindings.
 */
export class RbacIndex {
  readonly clusterRules: Map<string, PolicyRule[]>;
  readonly bindings: ResolvedBinding[] = [];
  private readonly bySubject = new Map<string, Array<{ rb: ResolvedBinding; subject: Subject }>>();

  constructor(state: RbacState) {
    this.clusterRules = state.aggregation === 'stored' ? new Map(state.clusterRoles.map((c) => [c.metadata.name, c.rules] as const)) : aggregateClusterRoles(state.clusterRoles);
    const roles = new Map<string, Role>();
    for (const r of state.roles) roles.set(`${r.metadata.namespace}/${r.metadata.name}`, r);
    for (const b of state.clusterRoleBindings) {
      this.bindings.push({ binding: b, namespace: '', roleName: `ClusterRole/${b.roleRef.name}`, rules: this.clusterRules.get(b.roleRef.name) ?? [] });
    }
    for (const b of state.roleBindings) {
      const ns = b.metadata.namespace;
      const rules = b.roleRef.kind === 'ClusterRole' ? this.clusterRules.get(b.roleRef.name) ?? [] : roles.get(`${ns}/${b.roleRef.name}`)?.rules ?? [];
      const roleName = b.roleRef.kind === 'ClusterRole' ? `ClusterRole/${b.roleRef.name}` : `Role/${ns}/${b.roleRef.name}`;
      this.bindings.push({ binding: b, namespace: ns, roleName, rules });
    }
    for (const rb of this.bindings) {
      const seen = new Set<string>();
      for (const s of rb.binding.subjects) {
        const k = subjectKey(s, rb.namespace);
        if (k === undefined || seen.has(k)) continue;
        seen.add(k);
        const list = this.bySubject.get(k) ?? [];
        list.push({ rb, subject: s });
        this.bySubject.set(k, list);
      }
    }
  }

  /** Every binding naming the principal (any namespace), each once. */
  allBindingsOf(p: Principal): MatchedBinding[] {
    const out: MatchedBinding[] = [];
    const seen = new Set<ResolvedBinding>();
    const keys = [...(p.user !== '' ? [`u:${p.user}`] : []), ...p.groups.map((g) => `g:${g}`)];
    for (const k of keys) {
      for (const m of this.bySubject.get(k) ?? []) {
        if (seen.has(m.rb)) continue;
        seen.add(m.rb);
        out.push(m);
      }
    }
    return out;
  }

  /** Bindings whose subjects include the principal and that apply to a request in `namespace` ('' = cluster only). */
  bindingsFor(p: Principal, namespace: string): MatchedBinding[] {
    return this.allBindingsOf(p).filter((m) => m.rb.namespace === '' || (namespace !== '' && m.rb.namespace === namespace));
  }

  /** Decides a request the way the API server's authorizer chain (superuser group, then RBAC) does, with every reason. */
  authorize(p: Principal, req: AccessRequest, opts: { firstOnly?: boolean } = {}): Decision {
    return decide(p, this.bindingsFor(p, req.kind === 'resource' ? req.namespace : ''), req, opts);
  }

  /** The principal's bindings, pre-fetched, for asking many questions about one principal. */
  permissionsOf(p: Principal): PermissionSet {
    return new PermissionSet(p, this.allBindingsOf(p));
  }
}

/** One principal's bindings; answers without looking at anyone else's. */
export class PermissionSet {
  private readonly byNamespace = new Map<string, MatchedBinding[]>();

  constructor(
    readonly principal: Principal,
    readonly bindings: readonly MatchedBinding[],
  ) {}

  /** The bindings that apply to a request in `ns` ('' = cluster-scoped / non-resource). */
  applicable(ns: string): MatchedBinding[] {
    let list = this.byNamespace.get(ns);
    if (!list) {
      list = this.bindings.filter((m) => m.rb.namespace === '' || (ns !== '' && m.rb.namespace === ns));
      this.byNamespace.set(ns, list);
    }
    return list;
  }

  decide(req: AccessRequest, opts: { firstOnly?: boolean } = {}): Decision {
    return decide(this.principal, this.applicable(req.kind === 'resource' ? req.namespace : ''), req, opts);
  }

  /** First reason the request is allowed, or undefined. */
  why(req: AccessRequest): Reason | undefined {
    const d = this.decide(req, { firstOnly: true });
    return d.allowed ? d.reasons[0] : undefined;
  }

  /** Whether some object name could be allowed (resourceNames ignored): a cheap filter before asking per name. */
  couldAllow(req: ResourceRequest): boolean {
    if (this.principal.groups.includes(SUPERUSER_GROUP)) return true;
    for (const m of this.applicable(req.namespace)) {
      for (const rule of m.rb.rules) {
        if (verbMatches(rule, req.verb) && apiGroupMatches(rule, req.apiGroup) && resourceMatches(rule, req.resource, req.subresource)) return true;
      }
    }
    return false;
  }
}

function decide(p: Principal, matched: readonly MatchedBinding[], req: AccessRequest, opts: { firstOnly?: boolean }): Decision {
  const reasons: Reason[] = [];
  if (p.groups.includes(SUPERUSER_GROUP)) {
    reasons.push({ binding: `group ${SUPERUSER_GROUP} (built-in superuser)`, role: '*', subject: `Group/${SUPERUSER_GROUP}`, rule: { verbs: ['*'] } });
    if (opts.firstOnly) return { allowed: true, reasons };
  }
  for (const { rb, subject } of matched) {
    for (const rule of rb.rules) {
      if (!ruleAllows(rule, req)) continue;
      reasons.push({ binding: bindingName(rb.binding), role: rb.roleName, subject: subjectName(subject), rule: describeRule(rule) });
      if (opts.firstOnly) return { allowed: true, reasons };
    }
  }
  return reasons.length > 0 ? { allowed: true, reasons } : { allowed: false, reasons: [] };
}

/** One-shot convenience: build an index and decide one request. */
export function authorize(state: RbacState, p: Principal, req: AccessRequest): Decision {
  return new RbacIndex(state).authorize(p, req);
}
