/**
 * Privilege-escalation edges: which principal can gain which principal's (or group's) privileges,
 * by the methods in privesc-methods.ts. Edges are emitted whether or not the target is stronger
 * (as PMapper does); path queries decide what reaches an admin.
 *
 * Two rules keep the output linear where a wildcard grant would make it square (every role able to
 * pass or assume `*`): a principal that reaches an administrator in one step is admin-equivalent
 * and reported once, by its edges to administrators (PMapper treats such a principal as an admin);
 * and a uniform grant over more than FAN_OUT_LIMIT roles becomes one edge to the node the roles
 * hang off in the graph (the account for account-root trust, the service principal for PassRole),
 * whose MAY_ASSUME edges lead on to each role.
 */
import type { AccountModel, AwsPrincipal } from './account.js';
import { context } from './conditions.js';
import type { Decision } from './evaluate.js';
import { actionMatches, resourceCovers, resourceMatches } from './glob.js';
import type { NamedPolicy } from './policy.js';
import { principalEvaluator, type PrincipalEvaluator } from './principal-eval.js';
import { ESCALATION_METHODS, type EscalationMethod } from './privesc-methods.js';
import { analyzeTrust, type TrustAnalysis } from './trust.js';

export interface EscalationEdge {
  from: string;
  /** A principal or group ARN, a service principal, or (account-root trust, see `roles`) an account id. */
  to: string;
  method: string;
  conditional: boolean;
  /** Condition texts (JSON) of the deciding statements, and what the evaluator could not read. */
  conditions: string[];
  /** JSON text: the actions and deciding statements, the passed service, any unchecked precondition. */
  evidence: string;
}

interface Evidence {
  actions: string[];
  statements: string[];
  conditions?: string[];
  service?: string;
  via?: string;
  precondition?: string;
  /** The caller reaches an administrator here; its edges to other principals are left out. */
  adminEquivalent?: boolean;
  /** Roles behind a collapsed fan-out edge (reached through the target's MAY_ASSUME edges). */
  roles?: number;
}

/** Above this many candidate roles, a uniform wildcard grant becomes one edge (see the file comment). */
export const FAN_OUT_LIMIT = 50;

/** The conditions recorded in an edge's evidence JSON (for edges read back from the graph). */
export function escalationConditions(evidence: string): string[] {
  try {
    const e = JSON.parse(evidence) as { conditions?: unknown };
    return Array.isArray(e.conditions) ? e.conditions.filter((c): c is string => typeof c === 'string') : [];
  } catch {
    return [];
  }
}

function stmtRefs(ds: Decision[]): string[] {
  return [...new Set(ds.flatMap((d) => d.statements.filter((s) => s.effect === 'Allow' && s.source !== 'boundary').map((s) => `${s.policy}#${s.index}`)))];
}

function allAllowed(ds: Decision[]): boolean {
  return ds.every((d) => d.decision === 'allowed');
}

export interface EscalationOptions {
  /** Only edges from this principal ARN. */
  principal?: string;
  scps?: NamedPolicy[][];
}

/** All escalation edges of an account. */
export function findEscalations(model: AccountModel, opts: EscalationOptions = {}): EscalationEdge[] {
  const principals = [...model.principals.values()];
  const users = principals.filter((p) => p.kind === 'user');
  const roles = principals.filter((p) => p.kind === 'role');
  const trusts = new Map<string, TrustAnalysis>();
  for (const r of roles) if (r.trust) trusts.set(r.arn, analyzeTrust(r.trust));
  const byService = new Map<string, AwsPrincipal[]>();
  // Roles whose trust could admit a principal: named by ARN, by its account, or by anyone.
  const assumable = { byArn: new Map<string, AwsPrincipal[]>(), byAccount: new Map<string, AwsPrincipal[]>(), anyone: [] as AwsPrincipal[] };
  const push = <K>(m: Map<K, AwsPrincipal[]>, k: K, r: AwsPrincipal): void => {
    const l = m.get(k);
    if (l === undefined) m.set(k, [r]);
    else if (!l.includes(r)) l.push(r);
  };
  for (const r of roles) {
    for (const e of trusts.get(r.arn)?.entries ?? []) {
      if (!e.actions.includes('sts:AssumeRole')) continue;
      if (e.kind === 'service') push(byService, e.principal.toLowerCase(), r);
      else if (e.kind === 'principal') push(assumable.byArn, e.principal, r);
      else if (e.kind === 'account') push(assumable.byAccount, e.principal, r);
      else if (e.kind === 'anyone' && !assumable.anyone.includes(r)) assumable.anyone.push(r);
    }
  }
  // One service: the stored list itself (no copy per call: callers only read it).
  const rolesTrusting = (services: string[]): AwsPrincipal[] => (services.length === 1 ? (byService.get(services[0]!) ?? []) : [...new Set(services.flatMap((s) => byService.get(s) ?? []))]);
  // Account-root trust delegates to the identity side: only callers with some Allow for it qualify.
  const assumeCandidates = (p: AwsPrincipal, identityMayAssume: boolean): AwsPrincipal[] => [
    ...new Set([...(assumable.byArn.get(p.arn) ?? []), ...(identityMayAssume ? (assumable.byAccount.get(p.accountId) ?? []) : []), ...assumable.anyone]),
  ];
  const admits = (p: AwsPrincipal, r: AwsPrincipal, identityMayAssume: boolean): boolean =>
    (assumable.byArn.get(p.arn)?.includes(r) ?? false) || (identityMayAssume && (assumable.byAccount.get(p.accountId)?.includes(r) ?? false)) || assumable.anyone.includes(r);

  const evaluators = new Map<string, PrincipalEvaluator>();
  const evaluatorOf = (p: AwsPrincipal): PrincipalEvaluator => {
    let ev = evaluators.get(p.arn);
    if (ev === undefined) evaluators.set(p.arn, (ev = principalEvaluator(model, p, opts.scps)));
    return ev;
  };
  const adminList = principals.filter((p) => evaluatorOf(p).isAdmin());
  const admins = new Set(adminList.map((p) => p.arn));
  const ctx: Ctx = { users, roles, trusts, rolesTrusting, assumeCandidates, admits, accountRoles: assumable.byAccount, scps: opts.scps };

  const edges: EscalationEdge[] = [];
  const sources = opts.principal === undefined ? principals : principals.filter((p) => p.arn === opts.principal);
  for (const p of sources) {
    // Administrators already have everything: edges out of them add nothing but volume (PMapper).
    if (admins.has(p.arn)) continue;
    const ev = evaluatorOf(p);
    const methods = ESCALATION_METHODS.filter(
      // Trust naming the caller's ARN admits it with no identity-side Allow, so sts-001 has no pre-filter.
      (m) => (m.id === 'sts-001' || m.requires.every((a) => ev.mayAllow(a))) && (!m.passRole || ev.mayAllow('iam:PassRole')),
    );
    // First the one step to an administrator: if there is one, the caller is admin-equivalent and
    // those edges say all there is to say about its reach over other principals.
    // Only an unconditional step counts: behind a condition the other edges may still matter.
    const toAdmins = adminList.length === 0 ? [] : methods.filter((m) => FAN_OUT.has(m.target)).flatMap((m) => check(m, ev, model, ctx, adminList));
    const adminEquivalent = toAdmins.some((e) => !e.conditional);
    if (adminEquivalent) {
      for (const e of toAdmins) e.evidence = JSON.stringify({ ...(JSON.parse(e.evidence) as Evidence), adminEquivalent: true });
      edges.push(...toAdmins);
    }
    for (const m of methods) if (!adminEquivalent || !FAN_OUT.has(m.target)) edges.push(...check(m, ev, model, ctx));
  }
  return edges;
}

/** Targets that fan out over other principals (the square-growth risk). */
const FAN_OUT = new Set<EscalationMethod['target']>(['user', 'role', 'passrole']);

interface Ctx {
  users: AwsPrincipal[];
  roles: AwsPrincipal[];
  trusts: Map<string, TrustAnalysis>;
  rolesTrusting(services: string[]): AwsPrincipal[];
  assumeCandidates(p: AwsPrincipal, identityMayAssume: boolean): AwsPrincipal[];
  /** Is `r` among `assumeCandidates(p, …)` (without building the list)? */
  admits(p: AwsPrincipal, r: AwsPrincipal, identityMayAssume: boolean): boolean;
  /** Roles whose trust admits an account root, by account id. */
  accountRoles: Map<string, AwsPrincipal[]>;
  scps: NamedPolicy[][] | undefined;
}

function edge(from: string, to: string, m: EscalationMethod, ds: Decision[], extra: Omit<Evidence, 'actions' | 'statements'> = {}): EscalationEdge {
  const conditions = [
    ...new Set([
      ...ds.flatMap((d) => d.statements.filter((s) => s.conditional && s.condition !== undefined).map((s) => s.condition!)),
      ...ds.flatMap((d) => (d.warnings ?? []).map((w) => JSON.stringify({ warning: w }))),
    ]),
  ];
  const evidence: Evidence = { actions: [...(m.passRole ? ['iam:PassRole'] : []), ...m.requires], statements: stmtRefs(ds), ...(conditions.length > 0 ? { conditions } : {}), ...extra };
  return { from, to, method: m.id, conditional: ds.some((d) => d.conditional), conditions, evidence: JSON.stringify(evidence) };
}

/**
 * Does every role ARN of the account get the same identity-side answer for `action`? True when each
 * statement naming the action either covers all of `arn:…:role/*` or cannot match a role at all
 * (its literal prefix leaves the role namespace). Sound, not complete: doubt means "not uniform".
 */
function uniformOverRoles(ev: PrincipalEvaluator, action: string, account: string, scps: NamedPolicy[][] | undefined): boolean {
  const rolePrefix = `arn:aws:iam::${account}:role/`;
  const allRoles = `${rolePrefix}*`;
  const policies = [...ev.policies, ...(ev.boundary ? [ev.boundary] : []), ...(scps ?? []).flat()];
  return policies.every((pol) =>
    pol.doc.statements.every((st) => {
      const names = st.action !== undefined ? st.action.some((a) => actionMatches(a, action)) : !st.notAction!.some((a) => actionMatches(a, action));
      if (!names) return true;
      if (st.notResource !== undefined) return false;
      return (st.resource ?? ['*']).every((r) => {
        if (resourceCovers(r, allRoles)) return true;
        // `q*` covers every role when q matches a prefix of the role namespace (`arn:aws:iam::*:role/*`).
        if (r.endsWith('*') && !r.includes('${')) for (let k = 0; k <= rolePrefix.length; k++) if (resourceMatches(r.slice(0, -1), rolePrefix.slice(0, k))) return true;
        const w = r.search(/[*?$]/);
        const literal = w < 0 ? r : r.slice(0, w);
        return !(literal.startsWith(rolePrefix) || rolePrefix.startsWith(literal));
      });
    }),
  );
}

/** The identity side of a uniform grant, decided once on a role name no pattern singles out. */
function onAnyRole(ev: PrincipalEvaluator, action: string, account: string, context?: Parameters<PrincipalEvaluator['can']>[2]): Decision {
  const d = ev.can(action, `arn:aws:iam::${account}:role/reachgraph-any-role-\u0001`, context);
  // can() marks assuming a role outside the model conditional; here the roles are in the model.
  return { ...d, conditional: d.statements.some((s) => s.conditional) || (d.warnings?.length ?? 0) > 0 };
}

function attachedCustomerPolicies(model: AccountModel, p: AwsPrincipal): string[] {
  const arns = new Set(p.managed);
  for (const g of p.groups) for (const a of model.groups.get(g)?.managed ?? []) arns.add(a);
  return [...arns].filter((a) => model.policies.get(a)?.awsManaged === false);
}

/**
 * Edges of one method from one caller. `only` (the administrators pass) replaces the fan-out targets
 * by those principals, so that pass costs the number of administrators, not of principals.
 */
function check(m: EscalationMethod, ev: PrincipalEvaluator, model: AccountModel, c: Ctx, only?: AwsPrincipal[]): EscalationEdge[] {
  const p = ev.principal;
  const onlyKind = (kind: 'user' | 'role'): AwsPrincipal[] => (only ?? []).filter((x) => x.kind === kind && x.arn !== p.arn);
  const out: EscalationEdge[] = [];
  const onTarget = (arn: string): Decision[] => m.requires.map((a) => ev.can(a, arn));
  switch (m.target) {
    case 'self': {
      if (m.id === 'iam-001' || m.id === 'iam-setdefaultpolicyversion') {
        for (const pol of attachedCustomerPolicies(model, p)) {
          if (m.id === 'iam-setdefaultpolicyversion' && (model.policies.get(pol)?.versions.length ?? 0) < 2) continue;
          const ds = onTarget(pol);
          if (allAllowed(ds)) out.push(edge(p.arn, p.arn, m, ds, { via: pol }));
        }
      } else if (m.id === 'iam-010' || m.id === 'iam-011') {
        for (const g of p.groups) {
          const ds = onTarget(g);
          if (allAllowed(ds)) out.push(edge(p.arn, p.arn, m, ds, { via: g }));
        }
      } else {
        const wantKind = m.id === 'iam-005' || m.id === 'iam-009' ? 'role' : 'user';
        if (p.kind !== wantKind) break;
        const ds = onTarget(p.arn);
        if (allAllowed(ds)) out.push(edge(p.arn, p.arn, m, ds));
      }
      break;
    }
    case 'group': {
      if (p.kind !== 'user') break;
      for (const g of model.groups.values()) {
        if (p.groups.includes(g.arn)) continue;
        const ds = onTarget(g.arn);
        if (allAllowed(ds)) out.push(edge(p.arn, g.arn, m, ds));
      }
      break;
    }
    case 'user': {
      for (const u of only ? onlyKind('user') : c.users) {
        if (u.arn === p.arn) continue;
        const ds = onTarget(u.arn);
        if (allAllowed(ds)) out.push(edge(p.arn, u.arn, m, ds, m.id === 'iam-002' ? { precondition: 'target user has fewer than 2 access keys' } : m.id === 'iam-004' ? { precondition: 'target user has no console password yet' } : {}));
      }
      break;
    }
    case 'role': {
      const identityMayAssume = ev.mayAllow('sts:AssumeRole');
      let candidates: AwsPrincipal[] | undefined;
      if (only !== undefined) candidates = onlyKind('role').filter((r) => m.id !== 'sts-001' || c.admits(p, r, identityMayAssume));
      const viaAccount = c.accountRoles.get(p.accountId) ?? [];
      if (m.id === 'sts-001' && only === undefined && viaAccount.length > FAN_OUT_LIMIT && identityMayAssume && uniformOverRoles(ev, 'sts:AssumeRole', p.accountId, c.scps)) {
        // Account-root trust delegates to the identity side, which is the same for every role here:
        // one edge to the account, whose MAY_ASSUME {via:'account'} edges lead to each role. Roles that
        // also admit the caller by ARN or '*' are still checked one by one.
        const d = onAnyRole(ev, 'sts:AssumeRole', p.accountId);
        if (d.decision === 'allowed') out.push(edge(p.arn, p.accountId, m, [d], { via: 'account', roles: viaAccount.length, precondition: 'the role trust admits the account root (MAY_ASSUME via account)' }));
        candidates = c.assumeCandidates(p, false);
      }
      candidates ??= m.id === 'sts-001' ? c.assumeCandidates(p, identityMayAssume) : c.roles;
      for (const r of candidates) {
        if (r.arn === p.arn) continue;
        const ds = onTarget(r.arn);
        if (allAllowed(ds)) out.push(edge(p.arn, r.arn, m, ds));
      }
      break;
    }
    case 'passrole': {
      const somewhere = m.requires.map((a) => ev.canSomewhere(a));
      if (!allAllowed(somewhere)) break;
      const services = m.services ?? [];
      const collapsed = new Set<string>();
      if (only === undefined && services.some((svc) => c.rolesTrusting([svc]).length > FAN_OUT_LIMIT) && uniformOverRoles(ev, 'iam:PassRole', p.accountId, c.scps)) {
        for (const svc of services) {
          const behind = c.rolesTrusting([svc]);
          if (behind.length <= FAN_OUT_LIMIT) continue;
          // The same PassRole answer for every role: one edge to the service, whose MAY_ASSUME edges lead on.
          const pass = onAnyRole(ev, 'iam:PassRole', p.accountId, context({ 'iam:PassedToService': svc }, () => false));
          if (pass.decision === 'allowed') out.push(edge(p.arn, svc, m, [pass, ...somewhere], { service: svc, via: 'service', roles: behind.length, precondition: `a role trusting ${svc} (MAY_ASSUME via service)` }));
          collapsed.add(svc);
        }
      }
      const open = services.filter((svc) => !collapsed.has(svc));
      for (const r of only ? onlyKind('role') : c.rolesTrusting(open)) {
        if (r.arn === p.arn) continue;
        for (const svc of only ? services : open) {
          if (!c.trusts.get(r.arn)?.entries.some((e) => e.kind === 'service' && e.principal.toLowerCase() === svc)) continue;
          const pass = ev.can('iam:PassRole', r.arn, context({ 'iam:PassedToService': svc }, () => false));
          if (pass.decision !== 'allowed') continue;
          out.push(edge(p.arn, r.arn, m, [pass, ...somewhere], { service: svc }));
          break;
        }
      }
      break;
    }
    case 'existing': {
      // Without a compute inventory the role an existing function/instance runs as is unknown; the
      // caller controls code running as the service, and the service's MAY_ASSUME edges (trust)
      // lead on to the roles. So the edge goes to the service principal, once per method.
      const somewhere = m.requires.map((a) => ev.canSomewhere(a));
      if (!allAllowed(somewhere)) break;
      for (const svc of m.services ?? []) {
        if (c.rolesTrusting([svc]).every((r) => r.arn === p.arn)) continue;
        out.push(edge(p.arn, svc, m, somewhere, { service: svc, precondition: `an existing ${svc} resource runs as a role trusting it` }));
      }
      break;
    }
  }
  return out;
}
