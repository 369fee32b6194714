/**
 * Evaluating requests for principals of an account model: wires a principal's identity policies,
 * boundary and (for role assumption) the role's trust policy into the evaluator.
 */
import { boundaryPolicy, identityPolicies, unreadableBoundary, type AccountModel, type AwsPrincipal } from './account.js';
import type { RequestContext } from './conditions.js';
import { evaluate, type Caller, type Decision } from './evaluate.js';
import { actionMatches } from './glob.js';
import type { NamedPolicy } from './policy.js';
import { resourcePolicyRequired } from './resource-policy.js';

export function callerOf(p: AwsPrincipal): Caller {
  return { kind: p.kind, id: p.arn, accountId: p.accountId };
}

export interface PrincipalEvaluator {
  principal: AwsPrincipal;
  policies: NamedPolicy[];
  boundary?: NamedPolicy;
  /** Some identity Allow statement names an action matching `action` (a cheap pre-filter). */
  mayAllow(action: string): boolean;
  /** Full evaluation on a concrete resource. */
  can(action: string, resource: string, context?: RequestContext): Decision;
  /** Allowed on some resource: tries `*` and every resource pattern of matching Allow statements. */
  canSomewhere(action: string, context?: RequestContext): Decision;
  /** Unconditionally allowed every probe of ADMIN_PROBES on `*`: treated as administrator. */
  isAdmin(): boolean;
}

/**
 * An administrator in PMapper's sense can grant itself anything; we probe the actions that make
 * that true plus a spread of services, all unconditionally on `*`.
 */
export const ADMIN_PROBES = ['iam:Attach{kind}Policy', 'iam:Put{kind}Policy', 'iam:CreatePolicyVersion', 'iam:PassRole', 'sts:AssumeRole', 's3:GetObject', 'ec2:RunInstances', 'kms:Decrypt', 'secretsmanager:GetSecretValue'];

const ASSUME = /^sts:AssumeRole/i;

/** Resource-based policies by resource ARN (bucket, key, secret, function, repository policies). */
export type ResourcePolicyLookup = (resourceArn: string) => NamedPolicy | undefined;

export function principalEvaluator(model: AccountModel, p: AwsPrincipal, scps?: NamedPolicy[][], resourcePolicies?: ResourcePolicyLookup): PrincipalEvaluator {
  const policies = identityPolicies(model, p);
  const boundary = boundaryPolicy(model, p);
  const missingBoundary = unreadableBoundary(model, p);
  const allows = policies.flatMap((pol) => pol.doc.statements.filter((s) => s.effect === 'Allow'));
  const roleByArn = (arn: string): AwsPrincipal | undefined => {
    const r = model.principals.get(arn);
    return r?.kind === 'role' ? r : undefined;
  };
  const mayAllow = (action: string): boolean =>
    allows.some((s) => (s.action !== undefined ? s.action.some((a) => actionMatches(a, action)) : !s.notAction!.some((a) => actionMatches(a, action))));
  // What IAM itself puts in every request context of this principal (policy variables, aws:Principal*).
  const base: Record<string, string[]> = {
    'aws:principalarn': [p.arn],
    'aws:principalaccount': [p.accountId],
    'aws:principaltype': [p.kind === 'user' ? 'User' : 'AssumedRole'],
    ...(p.kind === 'user' ? { 'aws:username': [p.name] } : {}),
  };
  const can = (action: string, resource: string, given?: RequestContext): Decision => {
    const assume = ASSUME.test(action) && resource.includes(':role/');
    const target = assume ? roleByArn(resource) : undefined;
    const context: RequestContext = { ...(given ?? {}), values: { ...base, ...(given?.values ?? {}) } };
    // The trust policy is mandatory: a known role whose trust did not parse admits nobody.
    if (target && !target.trust) return { decision: 'implicitDeny', conditional: false, statements: [] };
    const rp = target ? undefined : resourcePolicies?.(resource);
    // A KMS key without a known key policy is still governed by one: only a missing lookup falls back to IAM alone.
    const rpRequired = rp !== undefined && resourcePolicyRequired(resource, action);
    const d = evaluate({
      caller: callerOf(p),
      action,
      resource,
      identityPolicies: policies,
      ...(boundary ? { boundary } : {}),
      ...(missingBoundary !== undefined ? { unreadableBoundary: missingBoundary } : {}),
      ...(scps ? { scps } : {}),
      context,
      ...(target?.trust ? { resourcePolicy: target.trust, resourcePolicyRequired: true } : {}),
      ...(rp ? { resourcePolicy: rp, ...(rpRequired ? { resourcePolicyRequired: true } : {}) } : {}),
    });
    // A role outside the model (another account): its trust is unknown, so an Allow is only conditional.
    if (assume && !target && d.decision === 'allowed') return { ...d, conditional: true };
    return d;
  };
  const canSomewhere = (action: string, context?: RequestContext): Decision => {
    const patterns = new Set<string>(['*']);
    for (const s of allows) {
      const hit = s.action !== undefined ? s.action.some((a) => actionMatches(a, action)) : !s.notAction!.some((a) => actionMatches(a, action));
      if (hit) for (const r of s.resource ?? []) patterns.add(r);
    }
    let best: Decision | undefined;
    for (const r of patterns) {
      const d = can(action, r, context);
      if (d.decision === 'allowed' && !d.conditional) return d;
      if (d.decision === 'allowed' && best?.decision !== 'allowed') best = d;
      else if (best === undefined) best = d;
    }
    return best!;
  };
  const isAdmin = (): boolean =>
    ADMIN_PROBES.every((a) => {
      const d = can(a.replace('{kind}', p.kind === 'user' ? 'User' : 'Role'), '*');
      return d.decision === 'allowed' && !d.conditional;
    });
  return { principal: p, policies, ...(boundary ? { boundary } : {}), mayAllow, can, canSomewhere, isAdmin };
}
