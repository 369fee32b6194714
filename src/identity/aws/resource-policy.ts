/**
 * Resource-based policies (bucket, secret, key, function, repository policies): who they name,
 * which grants are public, and which services make the resource policy mandatory. Pure.
 *
 * A public grant is an Allow whose Principal is `*` (or `{"AWS": "*"}`) without a condition that
 * narrows who can use it: S3 User Guide, "Blocking public access to your Amazon S3 storage", section
 * "The meaning of public", lists the keys whose fixed values make a policy non-public
 * (aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceAccount, aws:SourceOwner, aws:PrincipalOrgID,
 * aws:PrincipalAccount, aws:PrincipalArn, aws:userid, aws:SourceIp with a non-public range, …).
 */
import { conditionText, type NamedPolicy, type PolicyDocument, type PrincipalBlock, type Statement } from './policy.js';
import { actionMatches, arnAccount, hasWildcard, resourceCovers, resourceMatches } from './glob.js';

/** Condition keys that, with fixed values, restrict who can use a `Principal: "*"` grant. */
const RESTRICTING_KEYS = new Set([
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalservicename',
  'aws:userid',
  'aws:sourceip',
  'aws:vpcsourceip',
  'kms:calleraccount',
  'kms:viaservice',
  'lambda:functionurlauthtype',
  's3:dataaccesspointaccount',
  's3:dataaccesspointarn',
]);
/** Operators whose values are fixed (not `*` patterns) narrow; negations and IfExists do not. */
const NARROWING_OPERATORS = /^(stringequals|stringequalsignorecase|stringlike|arnequals|arnlike|ipaddress)$/i;

function namesAnyone(st: Statement): boolean {
  const p = st.principal;
  if (p === undefined) return false;
  if (p === '*') return true;
  for (const [k, vals] of Object.entries(p)) if (k.toLowerCase() === 'aws' && vals.includes('*')) return true;
  return false;
}

/** Does the condition block narrow the caller set to something non-public? */
export function restrictsCaller(st: Statement): boolean {
  for (const [op, keys] of Object.entries(st.condition ?? {})) {
    const bare = op.replace(/^(ForAnyValue|ForAllValues):/i, '');
    if (!NARROWING_OPERATORS.test(bare)) continue;
    for (const [key, values] of Object.entries(keys)) {
      if (!RESTRICTING_KEYS.has(key.toLowerCase())) continue;
      // A value that is itself all-wildcard (`*`, `0.0.0.0/0`) narrows nothing.
      if (values.some((v) => v === '*' || v === '0.0.0.0/0' || v === '::/0')) continue;
      return true;
    }
  }
  return false;
}

/** Allow statements that grant to anyone without a restricting condition, by 0-based index. */
export function publicStatements(doc: PolicyDocument): number[] {
  const out: number[] = [];
  doc.statements.forEach((st, i) => {
    if (st.effect === 'Allow' && namesAnyone(st) && !restrictsCaller(st)) out.push(i);
  });
  return out;
}

/** Who a resource-policy statement names. */
export interface NamedPrincipal {
  kind: 'anyone' | 'account' | 'arn' | 'service' | 'federated';
  id: string;
}

/** A principal a resource-policy Allow names. */
export interface ResourceGrant {
  principal: NamedPrincipal;
  /** Action patterns as written (`NOT …` for NotAction). */
  actions: string[];
  conditional: boolean;
  conditions: string[];
  /** The condition keys the statement tests, lower-case, sorted: what a request must carry. */
  conditionKeys: string[];
  statement: number;
  public: boolean;
  /**
   * Deny statements of the same policy that name this principal and overlap its actions and resources
   * (0-based indexes); `denied` is `all` when one of them is unconditional and covers every action
   * and resource of the grant (the Allow has no effect), `partly` when they only overlap or depend
   * on a condition. AWS: an explicit Deny always wins (IAM User Guide, policy evaluation logic).
   */
  deniedBy: number[];
  denied?: 'all' | 'partly';
}

/** A principal a resource-policy Deny names (`anyone` with `exceptPrincipals` for NotPrincipal). */
export interface ResourceDeny {
  principal: NamedPrincipal;
  /** NotPrincipal: the principals the Deny spares (as written). */
  exceptPrincipals: string[];
  actions: string[];
  /** The statement's Resource patterns (`NOT …` for NotResource); `*` when it names none. */
  resources: string[];
  conditional: boolean;
  conditions: string[];
  conditionKeys: string[];
  statement: number;
}

/** Lower-case condition keys of a statement, sorted. */
export function conditionKeys(st: Statement): string[] {
  return [...new Set(Object.values(st.condition ?? {}).flatMap((keys) => Object.keys(keys).map((k) => k.toLowerCase())))].sort();
}

/**
 * The principals one Principal element names. Account roots are `account` (delegation to that
 * account's identity policies); wildcard principal ARNs match nothing and are dropped.
 */
function namedPrincipals(p: PrincipalBlock): NamedPrincipal[] {
  if (p === '*') return [{ kind: 'anyone', id: '*' }];
  const out: NamedPrincipal[] = [];
  for (const [type, vals] of Object.entries(p)) {
    const t = type.toLowerCase();
    for (const v of vals) {
      if (t === 'aws') {
        if (v === '*') out.push({ kind: 'anyone', id: '*' });
        else if (/^\d{12}$/.test(v)) out.push({ kind: 'account', id: v });
        else if (/^arn:aws[a-z-]*:iam::\d{12}:root$/.test(v)) out.push({ kind: 'account', id: arnAccount(v) });
        else if (!hasWildcard(v)) out.push({ kind: 'arn', id: v });
      } else if (t === 'service') out.push({ kind: 'service', id: v });
      else if (t === 'federated') out.push({ kind: 'federated', id: v });
    }
  }
  return out;
}

const statementActions = (st: Statement): string[] => st.action ?? (st.notAction ?? []).map((a) => `NOT ${a}`);

/**
 * Does a Deny naming `d` apply to requests of the grantee `g`? `all`: to every request the grant
 * admits; `some`: to some of them (a Deny on one user of an account the Allow names); else false.
 */
function denyNames(d: ResourceDeny, g: NamedPrincipal): 'all' | 'some' | false {
  if (d.principal.kind === 'anyone') {
    const root = (x: string): boolean => /^arn:aws[a-z-]*:iam::\d{12}:root$/.test(x);
    // IAM User Guide, NotPrincipal with Deny: a spared principal's account ARN must be listed too, else the
    // Deny may still apply to it (role sessions, cross-account callers): listed alone it is only partly spared.
    if (g.kind === 'arn' && d.exceptPrincipals.includes(g.id)) return d.exceptPrincipals.some((x) => root(x) && arnAccount(x) === arnAccount(g.id)) ? false : 'some';
    // An account's ARN spares the account principal, not its users and roles: an Allow delegating to the
    // account stays denied for every identity not listed.
    return g.kind === 'account' && d.exceptPrincipals.some((x) => arnAccount(x) === g.id) ? 'some' : 'all';
  }
  if (d.principal.kind === g.kind && d.principal.id === g.id) return 'all';
  if (d.principal.kind === 'account' && g.kind === 'arn' && arnAccount(g.id) === d.principal.id) return 'all';
  if (d.principal.kind === 'arn' && g.kind === 'account' && arnAccount(d.principal.id) === g.id) return 'some';
  // An Allow to anyone covers every principal a narrower Deny names.
  if (g.kind === 'anyone') return 'some';
  return false;
}

/** Does action pattern `outer` (case-insensitive) cover every action `inner` can stand for? */
function actionCovers(outer: string, inner: string): boolean {
  if (outer.startsWith('NOT ') || inner.startsWith('NOT ')) return outer === '*';
  if (!hasWildcard(inner)) return actionMatches(outer, inner);
  return resourceCovers(outer.toLowerCase(), inner.toLowerCase());
}
function actionsOverlap(a: string, b: string): boolean {
  if (a.startsWith('NOT ') || b.startsWith('NOT ')) return true;
  return actionMatches(a, b) || actionMatches(b, a);
}
function resourcesOverlap(deny: string, grant: string): boolean {
  if (deny.startsWith('NOT ') || grant.startsWith('NOT ')) return true;
  return resourceMatches(deny, grant) || resourceMatches(grant, deny) || resourceCovers(deny, grant) || resourceCovers(grant, deny);
}
const resourcesOf = (st: Statement): string[] => st.resource ?? (st.notResource ? [`NOT ${st.notResource.join(',')}`] : ['*']);

/**
 * Everyone a resource policy's Allow statements name (NotPrincipal Allows name nobody in particular
 * and are skipped: AWS advises against them), each with the Deny statements of the same policy that
 * cut it. A conditional Allow stays a grant, marked `conditional` with its condition text and keys:
 * never dropped, never unconditional.
 */
export function resourceGrants(doc: PolicyDocument): ResourceGrant[] {
  const denies = resourceDenies(doc);
  const out: ResourceGrant[] = [];
  doc.statements.forEach((st, statement) => {
    if (st.effect !== 'Allow' || st.principal === undefined) return;
    const actions = statementActions(st);
    const resources = resourcesOf(st);
    const ct = conditionText(st.condition);
    const isPublic = namesAnyone(st) && !restrictsCaller(st);
    for (const principal of namedPrincipals(st.principal)) {
      const applicable = denies.filter((d) => denyNames(d, principal) !== false && actions.some((a) => d.actions.some((x) => actionsOverlap(x, a))) && resources.some((r) => d.resources.some((x) => resourcesOverlap(x, r))));
      const whole = applicable.some(
        (d) =>
          !d.conditional &&
          denyNames(d, principal) === 'all' &&
          actions.every((a) => d.actions.some((x) => actionCovers(x, a))) &&
          resources.every((r) => d.resources.some((x) => !x.startsWith('NOT ') && !r.startsWith('NOT ') && resourceCovers(x, r))),
      );
      out.push({
        principal,
        actions,
        conditional: ct !== undefined,
        conditions: ct ? [ct] : [],
        conditionKeys: conditionKeys(st),
        statement,
        public: principal.kind === 'anyone' && isPublic,
        deniedBy: [...new Set(applicable.map((d) => d.statement))].sort((a, b) => a - b),
        ...(applicable.length > 0 ? { denied: whole ? ('all' as const) : ('partly' as const) } : {}),
      });
    }
  });
  return out;
}

/**
 * The principals a resource policy's Deny statements name, one entry each. `NotPrincipal` with
 * Deny ("deny everyone but these") becomes a Deny for anyone with `exceptPrincipals`.
 */
export function resourceDenies(doc: PolicyDocument): ResourceDeny[] {
  const out: ResourceDeny[] = [];
  doc.statements.forEach((st, statement) => {
    if (st.effect !== 'Deny') return;
    const ct = conditionText(st.condition);
    const base = { actions: statementActions(st), resources: resourcesOf(st), conditional: ct !== undefined, conditions: ct ? [ct] : [], conditionKeys: conditionKeys(st), statement };
    if (st.notPrincipal !== undefined) {
      const except = st.notPrincipal === '*' ? ['*'] : Object.values(st.notPrincipal).flat();
      // NotPrincipal: "*" spares everyone: the statement denies nobody.
      if (!except.includes('*')) out.push({ principal: { kind: 'anyone', id: '*' }, exceptPrincipals: except, ...base });
      return;
    }
    if (st.principal === undefined) return;
    for (const principal of namedPrincipals(st.principal)) out.push({ principal, exceptPrincipals: [], ...base });
  });
  return out;
}

/**
 * Whether the service needs its resource policy to allow, whatever identity policies say.
 * KMS Developer Guide, "Key policies in AWS KMS": "Unless the key policy explicitly allows it, you
 * cannot use IAM policies to allow access to a KMS key." IAM roles: the trust policy decides
 * sts:AssumeRole* (IAM User Guide, policy evaluation logic).
 */
export function resourcePolicyRequired(resourceArn: string, action: string): boolean {
  if (/^arn:aws[a-z-]*:kms:/.test(resourceArn) && /^kms:/i.test(action)) return true;
  if (/^sts:AssumeRole/i.test(action) && /^arn:aws[a-z-]*:iam::\d{12}:role\//.test(resourceArn)) return true;
  return false;
}

/** A resource policy with the name it is reported under (`<resource ARN>#policy`). */
export function namedResourcePolicy(resourceArn: string, doc: PolicyDocument): NamedPolicy {
  return { name: `${resourceArn}#policy`, doc };
}

/** The resource whose policy governs an ARN: an S3 object's bucket, otherwise the resource itself. */
export function policyHolder(resourceArn: string): string {
  const m = /^(arn:aws[a-z-]*:s3:::[^/]+)\//.exec(resourceArn);
  return m ? m[1]! : resourceArn;
}
