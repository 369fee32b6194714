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
import { conditionText, type NamedPolicy, type PolicyDocument, type Statement } from './policy.js';
import { arnAccount, hasWildcard } from './glob.js';

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

/** A principal a resource-policy Allow names. */
export interface ResourceGrant {
  principal: { kind: 'anyone' | 'account' | 'arn' | 'service' | 'federated'; id: string };
  /** Action patterns as written (`NOT …` for NotAction). */
  actions: string[];
  conditional: boolean;
  conditions: string[];
  statement: number;
  public: boolean;
}

/**
 * Everyone a resource policy's Allow statements name (NotPrincipal Allows name nobody in particular
 * and are skipped: AWS advises against them). Account roots become `account` grants (delegation to
 * that account's identity policies); wildcard principal ARNs match nothing and are dropped.
 */
export function resourceGrants(doc: PolicyDocument): ResourceGrant[] {
  const out: ResourceGrant[] = [];
  doc.statements.forEach((st, statement) => {
    if (st.effect !== 'Allow' || st.principal === undefined) return;
    const actions = st.action ?? (st.notAction ?? []).map((a) => `NOT ${a}`);
    const ct = conditionText(st.condition);
    const base = { actions, conditional: ct !== undefined, conditions: ct ? [ct] : [], statement };
    const isPublic = namesAnyone(st) && !restrictsCaller(st);
    if (st.principal === '*') {
      out.push({ principal: { kind: 'anyone', id: '*' }, ...base, public: isPublic });
      return;
    }
    for (const [type, vals] of Object.entries(st.principal)) {
      const t = type.toLowerCase();
      for (const v of vals) {
        if (t === 'aws') {
          if (v === '*') out.push({ principal: { kind: 'anyone', id: '*' }, ...base, public: isPublic });
          else if (/^\d{12}$/.test(v)) out.push({ principal: { kind: 'account', id: v }, ...base, public: false });
          else if (/^arn:aws[a-z-]*:iam::\d{12}:root$/.test(v)) out.push({ principal: { kind: 'account', id: arnAccount(v) }, ...base, public: false });
          else if (!hasWildcard(v)) out.push({ principal: { kind: 'arn', id: v }, ...base, public: false });
        } else if (t === 'service') out.push({ principal: { kind: 'service', id: v }, ...base, public: false });
        else if (t === 'federated') out.push({ principal: { kind: 'federated', id: v }, ...base, public: false });
      }
    }
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
