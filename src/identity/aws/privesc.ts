/**
 * Privilege-escalation edges: which principal can gain which principal's (or group's) privileges,
 * by the methods in privesc-methods.ts. Edges are emitted whether or not the target is stronger
 * (as PMapper does); path queries decide what reaches an admin.
 */
import type { AccountModel, AwsPrincipal } from './account.js';
import { context } from './conditions.js';
import type { Decision } from './evaluate.js';
import type { NamedPolicy } from './policy.js';
import { principalEvaluator, type PrincipalEvaluator } from './principal-eval.js';
import { ESCALATION_METHODS, type EscalationMethod } from './privesc-methods.js';
import { analyzeTrust, type TrustAnalysis } from './trust.js';

export interface EscalationEdge {
  from: string;
  to: string;
  method: string;
  conditional: boolean;
  /** JSON text: the actions and deciding statements, the passed service, any unchecked precondition. */
  evidence: string;
}

interface Evidence {
  actions: string[];
  statements: string[];
  service?: string;
  via?: string;
  precondition?: string;
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
  const rolesTrusting = (services: string[]): AwsPrincipal[] => [...new Set(services.flatMap((s) => byService.get(s) ?? []))];
  // Account-root trust delegates to the identity side: only callers with some Allow for it qualify.
  const assumeCandidates = (p: AwsPrincipal, identityMayAssume: boolean): AwsPrincipal[] => [
    ...new Set([...(assumable.byArn.get(p.arn) ?? []), ...(identityMayAssume ? (assumable.byAccount.get(p.accountId) ?? []) : []), ...assumable.anyone]),
  ];

  const edges: EscalationEdge[] = [];
  const sources = opts.principal === undefined ? principals : principals.filter((p) => p.arn === opts.principal);
  for (const p of sources) {
    const ev = principalEvaluator(model, p, opts.scps);
    // Administrators already have everything: edges out of them add nothing but volume (PMapper).
    if (ev.isAdmin()) continue;
    for (const m of ESCALATION_METHODS) {
      // Trust naming the caller's ARN admits it with no identity-side Allow, so sts-001 has no pre-filter.
      if (m.id !== 'sts-001' && !m.requires.every((a) => ev.mayAllow(a))) continue;
      if (m.passRole && !ev.mayAllow('iam:PassRole')) continue;
      edges.push(...check(m, ev, model, { users, roles, trusts, rolesTrusting, assumeCandidates }));
    }
  }
  return edges;
}

interface Ctx {
  users: AwsPrincipal[];
  roles: AwsPrincipal[];
  trusts: Map<string, TrustAnalysis>;
  rolesTrusting(services: string[]): AwsPrincipal[];
  assumeCandidates(p: AwsPrincipal, identityMayAssume: boolean): AwsPrincipal[];
}

function edge(from: string, to: string, m: EscalationMethod, ds: Decision[], extra: Omit<Evidence, 'actions' | 'statements'> = {}): EscalationEdge {
  const evidence: Evidence = { actions: [...(m.passRole ? ['iam:PassRole'] : []), ...m.requires], statements: stmtRefs(ds), ...extra };
  return { from, to, method: m.id, conditional: ds.some((d) => d.conditional), evidence: JSON.stringify(evidence) };
}

function attachedCustomerPolicies(model: AccountModel, p: AwsPrincipal): string[] {
  const arns = new Set(p.managed);
  for (const g of p.groups) for (const a of model.groups.get(g)?.managed ?? []) arns.add(a);
  return [...arns].filter((a) => model.policies.get(a)?.awsManaged === false);
}

function check(m: EscalationMethod, ev: PrincipalEvaluator, model: AccountModel, c: Ctx): EscalationEdge[] {
  const p = ev.principal;
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
      for (const u of c.users) {
        if (u.arn === p.arn) continue;
        const ds = onTarget(u.arn);
        if (allAllowed(ds)) out.push(edge(p.arn, u.arn, m, ds, m.id === 'iam-002' ? { precondition: 'target user has fewer than 2 access keys' } : m.id === 'iam-004' ? { precondition: 'target user has no console password yet' } : {}));
      }
      break;
    }
    case 'role': {
      for (const r of m.id === 'sts-001' ? c.assumeCandidates(p, ev.mayAllow('sts:AssumeRole')) : c.roles) {
        if (r.arn === p.arn) continue;
        const ds = onTarget(r.arn);
        if (allAllowed(ds)) out.push(edge(p.arn, r.arn, m, ds));
      }
      break;
    }
    case 'passrole': {
      const somewhere = m.requires.map((a) => ev.canSomewhere(a));
      if (!allAllowed(somewhere)) break;
      for (const r of c.rolesTrusting(m.services ?? [])) {
        if (r.arn === p.arn) continue;
        for (const svc of m.services ?? []) {
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
