/**
 * Request evaluation: one principal, one action, one resource, following AWS's documented policy
 * evaluation logic (explicit Deny first, then SCP levels, resource and identity policies, the
 * permission boundary and session policies). Pure: policies in, verdict out.
 */
import { evaluateConditions, tri, type RequestContext, type Tri } from './conditions.js';
import { actionMatches, arnAccount, hasWildcard, resourceMatches } from './glob.js';
import { conditionText, type NamedPolicy, type PrincipalBlock, type Statement } from './policy.js';

/** Who is asking. `kind` decides how Principal elements match. */
export interface Caller {
  kind: 'user' | 'role' | 'service' | 'federated' | 'anonymous';
  /** ARN for users/roles, service principal name for services, provider ARN or name for federated. */
  id: string;
  /** 12-digit account of a user/role. */
  accountId?: string;
}

export type PolicySource = 'identity' | 'boundary' | 'scp' | 'resource' | 'session';

/** A statement that took part in a decision, named by policy and 0-based index. */
export interface MatchedStatement {
  policy: string;
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  source: PolicySource;
  conditional: boolean;
  condition?: string;
}

export type DecisionKind = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface Decision {
  decision: DecisionKind;
  /** True when the verdict depends on request context the evaluator did not know. */
  conditional: boolean;
  statements: MatchedStatement[];
}

export interface EvaluationInput {
  caller: Caller;
  action: string;
  resource: string;
  context?: RequestContext;
  identityPolicies?: NamedPolicy[];
  boundary?: NamedPolicy;
  sessionPolicies?: NamedPolicy[];
  /** SCPs by level of the OU path (root first); each level needs an applicable Allow. */
  scps?: NamedPolicy[][];
  resourcePolicy?: NamedPolicy;
  /** Account owning the resource; defaults to the ARN's account, else the caller's. */
  resourceAccount?: string;
  /** The resource policy alone decides (role trust policies for sts:AssumeRole*). */
  resourcePolicyRequired?: boolean;
}

/** How a Principal element matched: directly by ARN/name/'*', or by the caller's account (delegation). */
export type PrincipalMatch = 'none' | 'direct' | 'account' | 'anyone';

function principalValues(block: PrincipalBlock, type: string): string[] | '*' {
  if (block === '*') return '*';
  for (const [k, v] of Object.entries(block)) if (k.toLowerCase() === type.toLowerCase()) return v;
  return [];
}

/** Does a Principal element name the caller? Principal ARNs with wildcards match nothing (IAM rules). */
export function matchPrincipal(block: PrincipalBlock, caller: Caller): PrincipalMatch {
  if (block === '*') return 'anyone';
  if (caller.kind === 'user' || caller.kind === 'role') {
    const vals = principalValues(block, 'AWS');
    if (vals === '*') return 'anyone';
    let best: PrincipalMatch = 'none';
    for (const v of vals) {
      if (v === '*') return 'anyone';
      if (hasWildcard(v)) continue;
      if (v === caller.id) return 'direct';
      const acct = caller.accountId ?? arnAccount(caller.id);
      if (v === acct || v === `arn:aws:iam::${acct}:root`) best = 'account';
    }
    return best;
  }
  if (caller.kind === 'service') {
    const vals = principalValues(block, 'Service');
    if (vals === '*') return 'anyone';
    return vals.some((v) => v.toLowerCase() === caller.id.toLowerCase()) ? 'direct' : 'none';
  }
  if (caller.kind === 'federated') {
    const vals = principalValues(block, 'Federated');
    if (vals === '*') return 'anyone';
    return vals.some((v) => v === caller.id) ? 'direct' : 'none';
  }
  return 'none';
}

function substituteVariables(pattern: string, ctx: RequestContext | undefined): { value: string; unknown: boolean } {
  if (!pattern.includes('${')) return { value: pattern, unknown: false };
  let unknown = false;
  const value = pattern.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
    if (name === '*' || name === '?' || name === '$') return `\u0000${name}`;
    const v = ctx?.values?.[name.toLowerCase()];
    if (v !== undefined && v.length === 1) return v[0]!;
    unknown = true;
    return '*';
  });
  return { value, unknown };
}

function resourceElementMatches(patterns: string[], resource: string, ctx: RequestContext | undefined, variables: boolean): Tri {
  let result: Tri = 'false';
  for (const p of patterns) {
    const sub = variables ? substituteVariables(p, ctx) : { value: p, unknown: false };
    // Escaped ${*} ${?} ${$} stand for literal characters: compare those exactly.
    const literal = sub.value.replace(/\u0000\*/g, '*').replace(/\u0000\?/g, '?').replace(/\u0000\$/g, '$');
    const m = sub.value.includes('\u0000') ? literal === resource : resourceMatches(sub.value, resource);
    if (m) {
      if (!sub.unknown) return 'true';
      result = 'unknown';
    }
  }
  return result;
}

/**
 * Does one statement apply to the request? Conditions and unresolved policy variables make the
 * answer `unknown`. `principalMatch` is filled for resource-based statements.
 */
export function statementApplies(
  st: Statement,
  req: { action: string; resource: string; caller?: Caller; context?: RequestContext; version?: string },
  out?: { principalMatch?: PrincipalMatch },
): Tri {
  if (st.action !== undefined ? !st.action.some((p) => actionMatches(p, req.action)) : st.notAction!.some((p) => actionMatches(p, req.action))) return 'false';
  const variables = req.version !== '2008-10-17';
  let res: Tri = 'true';
  if (st.resource !== undefined) res = resourceElementMatches(st.resource, req.resource, req.context, variables);
  else if (st.notResource !== undefined) res = tri.not(resourceElementMatches(st.notResource, req.resource, req.context, variables));
  if (res === 'false') return 'false';
  if (st.principal !== undefined || st.notPrincipal !== undefined) {
    if (req.caller === undefined) return 'false';
    if (st.principal !== undefined) {
      const m = matchPrincipal(st.principal, req.caller);
      if (out) out.principalMatch = m;
      if (m === 'none') return 'false';
    } else {
      const m = matchPrincipal(st.notPrincipal!, req.caller);
      if (out) out.principalMatch = 'anyone';
      if (m !== 'none') return 'false';
    }
  }
  return tri.and(res, evaluateConditions(st.condition, req.context ?? {}));
}

interface Hit {
  stmt: MatchedStatement;
  tri: Tri;
  principalMatch?: PrincipalMatch;
}

function collect(policies: NamedPolicy[] | undefined, source: PolicySource, input: EvaluationInput): Hit[] {
  const hits: Hit[] = [];
  for (const p of policies ?? []) {
    p.doc.statements.forEach((st, index) => {
      const out: { principalMatch?: PrincipalMatch } = {};
      const t = statementApplies(st, { action: input.action, resource: input.resource, caller: input.caller, context: input.context, version: p.doc.version }, out);
      if (t === 'false') return;
      const stmt: MatchedStatement = { policy: p.name, index, effect: st.effect, source, conditional: t === 'unknown' };
      if (st.sid !== undefined) stmt.sid = st.sid;
      const ct = conditionText(st.condition);
      if (ct !== undefined) stmt.condition = ct;
      const hit: Hit = { stmt, tri: t };
      if (out.principalMatch !== undefined) hit.principalMatch = out.principalMatch;
      hits.push(hit);
    });
  }
  return hits;
}

function anyTri(hits: Hit[]): Tri {
  return hits.reduce<Tri>((acc, h) => tri.or(acc, h.tri), 'false');
}

/** Evaluate one request. */
export function evaluate(input: EvaluationInput): Decision {
  const identity = collect(input.identityPolicies, 'identity', input);
  const boundary = input.boundary ? collect([input.boundary], 'boundary', input) : [];
  const session = collect(input.sessionPolicies, 'session', input);
  const resource = input.resourcePolicy ? collect([input.resourcePolicy], 'resource', input) : [];
  const scpLevels = (input.scps ?? []).map((level) => collect(level, 'scp', input));
  const all = [...identity, ...boundary, ...session, ...resource, ...scpLevels.flat()];

  // 1. An applicable explicit Deny wins over everything.
  const denies = all.filter((h) => h.stmt.effect === 'Deny');
  const sureDenies = denies.filter((h) => h.tri === 'true');
  if (sureDenies.length > 0) return { decision: 'explicitDeny', conditional: false, statements: sureDenies.map((h) => h.stmt) };

  const allows = (hs: Hit[]): Hit[] => hs.filter((h) => h.stmt.effect === 'Allow');
  // 2. Every SCP level must allow.
  let scp: Tri = 'true';
  for (const level of scpLevels) scp = tri.and(scp, anyTri(allows(level)));

  // 3. Identity side, cut by boundary and session policies.
  const idAllow = anyTri(allows(identity));
  const bAllow = input.boundary ? anyTri(allows(boundary)) : 'true';
  const sAllow = input.sessionPolicies && input.sessionPolicies.length > 0 ? anyTri(allows(session)) : 'true';
  const identitySide = tri.and(idAllow, tri.and(bAllow, sAllow));

  // 4. Resource side: a direct grant (ARN or '*') stands alone in the same account; an account grant
  //    delegates to the identity side. A grant to a role ARN is still cut by the role's boundary.
  const rAllows = allows(resource);
  const direct = rAllows.filter((h) => h.principalMatch === 'direct' || h.principalMatch === 'anyone');
  const viaAccount = rAllows.filter((h) => h.principalMatch === 'account');
  const roleCut = input.caller.kind === 'role';
  const directTri = direct.reduce<Tri>((acc, h) => tri.or(acc, h.principalMatch === 'direct' && roleCut ? tri.and(h.tri, bAllow) : h.tri), 'false');
  const accountTri = tri.and(anyTri(viaAccount), identitySide);
  const resourceSide = tri.or(directTri, accountTri);

  const callerAccount = input.caller.accountId ?? arnAccount(input.caller.id);
  const resAccount = input.resourceAccount ?? (arnAccount(input.resource) || callerAccount);
  // Services and federated identities have no identity side of their own: only the resource policy speaks.
  const sameAccount = input.caller.kind === 'service' || input.caller.kind === 'federated' || resAccount === callerAccount;

  let allowed: Tri;
  let used: Hit[];
  if (input.resourcePolicyRequired) {
    allowed = resourceSide;
    if (!sameAccount) allowed = tri.and(resourceSide, identitySide);
    used = [...direct, ...viaAccount, ...(accountTri !== 'false' || !sameAccount ? allows(identity) : [])];
  } else if (sameAccount) {
    allowed = tri.or(identitySide, resourceSide);
    used = [...(identitySide !== 'false' ? allows(identity) : []), ...(resourceSide !== 'false' ? rAllows : [])];
  } else {
    allowed = tri.and(identitySide, input.resourcePolicy ? anyTri(rAllows) : 'true');
    used = [...allows(identity), ...rAllows];
  }
  allowed = tri.and(allowed, scp);
  if (allowed === 'false') return { decision: 'implicitDeny', conditional: false, statements: [] };

  const deciding = [...used, ...(input.boundary ? allows(boundary) : []), ...allows(session), ...scpLevels.flatMap(allows), ...denies];
  const conditional = allowed === 'unknown' || denies.length > 0;
  return { decision: 'allowed', conditional, statements: dedupe(deciding.map((h) => h.stmt)) };
}

function dedupe(stmts: MatchedStatement[]): MatchedStatement[] {
  const seen = new Set<string>();
  return stmts.filter((s) => {
    const k = `${s.source}|${s.policy}|${s.index}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
