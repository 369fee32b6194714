/**
 * Request evaluation: one principal, one action, one resource, following AWS's documented policy
 * evaluation logic (explicit Deny first, then SCP levels, resource and identity policies, the
 * permission boundary and session policies). Pure: policies in, verdict out.
 */
import { evaluateConditions, substituteVariables, tri, type RequestContext, type Tri } from './conditions.js';
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
  /** Why, when a documented rule decided rather than the policies (GetCallerIdentity, AWS managed policies). */
  reason?: string;
  /** What the evaluator could not read and had to assume (an unreadable permissions boundary). */
  warnings?: string[];
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
  /**
   * ARN of a permissions boundary the principal has but the input lacks (a partial export, a
   * policy that did not parse). It may deny anything, so no grant is more than conditional.
   */
  unreadableBoundary?: string;
}

/**
 * Keys IAM never puts in a request of this principal type, and keys it always puts there (value
 * unknown to us). IAM User Guide, policy variables reference (the aws:username / aws:userid table per
 * principal) and global condition context keys (aws:TokenIssueTime: only with temporary credentials,
 * which a role session always uses).
 */
const ABSENT_FOR: Partial<Record<Caller['kind'], ReadonlySet<string>>> = {
  role: new Set(['aws:username']),
  federated: new Set(['aws:username']),
};
const PRESENT_FOR: Partial<Record<Caller['kind'], ReadonlySet<string>>> = {
  user: new Set(['aws:username', 'aws:userid']),
  role: new Set(['aws:userid', 'aws:tokenissuetime']),
};

/** The request context seen through what the caller's principal type decides about keys. */
export function principalContext(caller: Caller, ctx: RequestContext | undefined): RequestContext {
  const absent = ABSENT_FOR[caller.kind];
  const present = PRESENT_FOR[caller.kind];
  const values = { ...(ctx?.values ?? {}) };
  // A user's aws:username is its friendly name: the last part of the ARN's path.
  if (caller.kind === 'user' && values['aws:username'] === undefined) {
    const name = caller.id.slice(caller.id.lastIndexOf('/') + 1);
    if (name !== '' && caller.id.includes(':user/')) values['aws:username'] = [name];
  }
  const out: RequestContext = { values };
  if (absent !== undefined || ctx?.isAbsent !== undefined) out.isAbsent = (k) => (absent?.has(k) ?? false) || (ctx?.isAbsent?.(k) ?? false);
  if (present !== undefined || ctx?.isPresent !== undefined) out.isPresent = (k) => (present?.has(k) ?? false) || (ctx?.isPresent?.(k) ?? false);
  return out;
}

/** STS API reference, GetCallerIdentity: no permission is needed, and an explicit Deny does not stop it. */
const GET_CALLER_IDENTITY = 'sts:getcalleridentity';
/** Requests that would change an AWS managed policy (IAM User Guide, "AWS managed policies": they cannot be changed). */
const MANAGED_POLICY_WRITES = new Set(['iam:createpolicyversion', 'iam:deletepolicyversion', 'iam:setdefaultpolicyversion', 'iam:deletepolicy']);
const AWS_MANAGED_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\//;

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

// Escaped ${*} ${?} ${$} stand for literal characters: marked so the match compares them exactly.
const markEscape = (ch: string): string => `\u0000${ch}`;

/** `invalid`: an element names a variable the request can never have, so the statement is void. */
function resourceElementMatches(patterns: string[], resource: string, ctx: RequestContext | undefined, variables: boolean): Tri | 'invalid' {
  const subs = patterns.map((p) => (variables ? substituteVariables(p, ctx, markEscape) : { value: p, unknown: false, invalid: false }));
  if (subs.some((s) => s.invalid)) return 'invalid';
  let result: Tri = 'false';
  for (const sub of subs) {
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
  // IAM policy variables reference: a variable the principal type never has (aws:username for a
  // role) makes any attempt to match fail and the statement invalid, in Resource and NotResource alike.
  const element = st.resource ?? st.notResource;
  if (element !== undefined) {
    const m = resourceElementMatches(element, req.resource, req.context, variables);
    if (m === 'invalid') return 'false';
    res = st.resource !== undefined ? m : tri.not(m);
  }
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
export function evaluate(given: EvaluationInput): Decision {
  const action = given.action.toLowerCase();
  if (action === GET_CALLER_IDENTITY && given.caller.kind !== 'anonymous')
    return { decision: 'allowed', conditional: false, statements: [], reason: 'sts:GetCallerIdentity needs no permission and succeeds even when a policy explicitly denies it (STS API reference, GetCallerIdentity)' };
  if (MANAGED_POLICY_WRITES.has(action) && AWS_MANAGED_POLICY.test(given.resource))
    return { decision: 'implicitDeny', conditional: false, statements: [], reason: `${given.action} on an AWS managed policy always fails: AWS managed policies cannot be changed (IAM User Guide, AWS managed policies)` };
  const input: EvaluationInput = { ...given, context: principalContext(given.caller, given.context) };
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
  // An unreadable boundary could allow or deny anything: every grant stays at most conditional.
  const bAllow = input.boundary ? anyTri(allows(boundary)) : input.unreadableBoundary !== undefined ? 'unknown' : 'true';
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
  const warnings = input.unreadableBoundary !== undefined ? [`permissions boundary ${input.unreadableBoundary} is not in the input or did not parse: it may deny this, so the answer is at most conditional`] : undefined;
  // (A boundary only ever narrows: whatever it says cannot turn an implicit deny into anything else.)
  if (allowed === 'false') return { decision: 'implicitDeny', conditional: false, statements: [] };

  const deciding = [...used, ...(input.boundary ? allows(boundary) : []), ...allows(session), ...scpLevels.flatMap(allows), ...denies];
  const conditional = allowed === 'unknown' || denies.length > 0 || warnings !== undefined;
  return { decision: 'allowed', conditional, statements: dedupe(deciding.map((h) => h.stmt)), ...(warnings ? { warnings } : {}) };
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
