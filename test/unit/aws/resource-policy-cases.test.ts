// Table tests: identity and resource-based policies together (test/cases/aws/resource-policy.json),
// each case naming the AWS documentation page that decides it; public-grant detection; and the law
// that a resource-policy Allow never takes access away within the account.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { evaluate, parsePolicy, publicStatements, resourceDenies, resourceGrants, resourcePolicyRequired, resourceMatches, type EvaluationInput, type NamedPolicy } from '../../../src/identity/aws/index.js';

interface Case {
  name: string;
  doc: string;
  caller: string;
  identity: Record<string, unknown>;
  resourcePolicy: unknown;
  resourceAccount?: string;
  action: string;
  resource: string;
  expect: { decision: string; conditional: boolean; statements: string[] };
}
interface PublicCase {
  name: string;
  policy: unknown;
  expect: number[];
}

interface StoredCase {
  name: string;
  doc: string;
  policy: unknown;
  grants: Record<string, unknown>[];
  denies: Record<string, unknown>[];
}

const file = JSON.parse(readFileSync(new URL('../../cases/aws/resource-policy.json', import.meta.url), 'utf8')) as { cases: Case[]; public: PublicCase[]; stored: StoredCase[] };
const named = (name: string, doc: unknown): NamedPolicy => ({ name, doc: parsePolicy(doc) });

describe('identity and resource-based policies (AWS documented logic)', () => {
  test.each(file.cases.map((c) => [`${c.name} (${c.doc})`, c] as const))('%s', (_name, c) => {
    // Given the caller's identity policies and the resource's policy
    const input: EvaluationInput = {
      caller: { kind: c.caller.includes(':role/') ? 'role' : 'user', id: c.caller },
      action: c.action,
      resource: c.resource,
      identityPolicies: Object.entries(c.identity).map(([n, d]) => named(n, d)),
      resourcePolicy: named('resource', c.resourcePolicy),
      // The same rule principalEvaluator applies: KMS key policies (and role trust) must allow.
      ...(resourcePolicyRequired(c.resource, c.action) ? { resourcePolicyRequired: true } : {}),
      ...(c.resourceAccount ? { resourceAccount: c.resourceAccount } : {}),
    };
    // When evaluated
    const d = evaluate(input);
    // Then the decision and deciding statements are the documented ones
    expect({ decision: d.decision, conditional: d.conditional, statements: d.statements.map((s) => `${s.policy}#${s.index}`).sort() }).toEqual({ ...c.expect, statements: [...c.expect.statements].sort() });
  });

  test('KMS key policies and role trust policies are mandatory; bucket and secret policies are not', () => {
    expect(resourcePolicyRequired('arn:aws:kms:us-east-1:111122223333:key/k1', 'kms:Decrypt')).toBe(true);
    expect(resourcePolicyRequired('arn:aws:iam::111122223333:role/r', 'sts:AssumeRole')).toBe(true);
    expect(resourcePolicyRequired('arn:aws:s3:::b/k', 's3:GetObject')).toBe(false);
    expect(resourcePolicyRequired('arn:aws:secretsmanager:us-east-1:111122223333:secret:s-AbCdEf', 'secretsmanager:GetSecretValue')).toBe(false);
  });
});

describe('public grants', () => {
  test.each(file.public.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Given a resource policy, when its public statements are listed, then exactly the expected ones are
    expect(publicStatements(parsePolicy(c.policy))).toEqual(c.expect);
  });

  test('grants name accounts, principals, services and anyone; wildcard principal ARNs are dropped', () => {
    const doc = parsePolicy({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: ['444455556666', 'arn:aws:iam::777788889999:root', 'arn:aws:iam::444455556666:role/R', 'arn:aws:iam::444455556666:role/*'] }, Action: 's3:GetObject', Resource: '*' },
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, NotAction: 's3:Delete*', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } },
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
      ],
    });
    const g = resourceGrants(doc);
    expect(g.map((x) => `${x.principal.kind}:${x.principal.id}:${x.public}:${x.conditional}`)).toEqual([
      'account:444455556666:false:false',
      'account:777788889999:false:false',
      'arn:arn:aws:iam::444455556666:role/R:false:false',
      'service:lambda.amazonaws.com:false:true',
      'anyone:*:true:false',
    ]);
    expect(g[3]!.actions).toEqual(['NOT s3:Delete*']);
  });
});

describe('law: a resource-policy Allow never removes access within the account', () => {
  const ACCT = '111122223333';
  const actions = ['s3:GetObject', 's3:PutObject', 'kms:Decrypt', 'kms:Encrypt', 'secretsmanager:GetSecretValue'];
  const resources = ['arn:aws:s3:::data/a', 'arn:aws:s3:::data/b', `arn:aws:kms:us-east-1:${ACCT}:key/k1`, `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:db-AbCdEf`];
  const principals = ['*', ACCT, `arn:aws:iam::${ACCT}:root`, `arn:aws:iam::${ACCT}:user/alice`, `arn:aws:iam::${ACCT}:role/app`, `arn:aws:iam::${ACCT}:user/bob`];
  const statement = (withPrincipal: boolean) =>
    fc.record({
      Effect: fc.constantFrom('Allow', 'Deny'),
      Action: fc.subarray(actions, { minLength: 1 }),
      Resource: fc.constantFrom('*', 'arn:aws:s3:::data/*', resources[2]!, resources[3]!),
      ...(withPrincipal ? { Principal: fc.constantFrom(...principals).map((p) => (p === '*' ? '*' : { AWS: p })) } : {}),
      Condition: fc.option(fc.constant({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }), { nil: undefined }),
    });
  const clean = (s: Record<string, unknown>) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined));
  const doc = (sts: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement: sts.map(clean) });

  test('for any identity and resource policies, callers, actions and resources', () => {
    fc.assert(
      fc.property(
        fc.array(statement(false), { maxLength: 3 }),
        fc.array(statement(true), { maxLength: 3 }),
        statement(true).map((s) => ({ ...s, Effect: 'Allow' })),
        fc.constantFrom(`arn:aws:iam::${ACCT}:user/alice`, `arn:aws:iam::${ACCT}:role/app`),
        fc.constantFrom(...actions),
        fc.constantFrom(...resources),
        (identity, resourceSts, added, caller, action, resource) => {
          // Given a same-account request decided with a resource policy
          const base: EvaluationInput = {
            caller: { kind: caller.includes(':role/') ? 'role' : 'user', id: caller, accountId: ACCT },
            action,
            resource,
            resourceAccount: ACCT,
            identityPolicies: identity.length ? [named('id', doc(identity))] : [],
            ...(resourcePolicyRequired(resource, action) ? { resourcePolicyRequired: true } : {}),
          };
          const before = evaluate({ ...base, resourcePolicy: named('res', doc(resourceSts)) });
          // When the resource policy gains one Allow statement
          const after = evaluate({ ...base, resourcePolicy: named('res', doc([...resourceSts, added])) });
          // Then what was allowed stays allowed, and an unconditional allow stays unconditional
          if (before.decision === 'allowed') expect(after.decision).toBe('allowed');
          if (before.decision === 'allowed' && !before.conditional) expect(after.conditional).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('stored edges: resource-policy Deny and conditions (what the collector writes)', () => {
  test.each(file.stored.map((c) => [`${c.name} (${c.doc})`, c] as const))('%s', (_name, c) => {
    // Given a resource policy as AWS documents it
    const doc = parsePolicy(c.policy);
    // When its Allow and Deny statements are turned into edge data
    const grants = resourceGrants(doc).map((g) => ({ principal: g.principal.id, statement: g.statement, conditional: g.conditional, conditionKeys: g.conditionKeys, public: g.public, deniedBy: g.deniedBy, ...(g.denied ? { denied: g.denied } : {}) }));
    const denies = resourceDenies(doc).map((d) => ({ principal: d.principal.id, statement: d.statement, conditional: d.conditional, conditionKeys: d.conditionKeys, exceptPrincipals: d.exceptPrincipals, resources: d.resources }));
    // Then each conditional Allow is kept with its keys, each Deny is its own entry, and the cut is as documented
    expect(grants).toEqual(c.grants);
    expect(denies).toEqual(c.denies);
    for (const g of resourceGrants(doc)) if (g.conditional) expect(g.conditions.length).toBeGreaterThan(0);
  });
});

describe('law: a stored "denied: all" agrees with the evaluator', () => {
  const ACCT = '111122223333';
  const users = [`arn:aws:iam::${ACCT}:user/alice`, `arn:aws:iam::${ACCT}:user/bob`];
  const actions = ['s3:GetObject', 's3:PutObject', 's3:*', 's3:Get*'];
  const patterns = ['*', 'arn:aws:s3:::data/*', 'arn:aws:s3:::data/private/*', 'arn:aws:s3:::data/a'];
  const objects = ['arn:aws:s3:::data/a', 'arn:aws:s3:::data/private/x', 'arn:aws:s3:::data/b'];
  const st = (effect?: string) =>
    fc.record({
      Effect: effect ? fc.constant(effect) : fc.constantFrom('Allow', 'Deny'),
      Principal: fc.constantFrom('*', ...users, ACCT).map((p) => (p === '*' ? '*' : { AWS: p })),
      Action: fc.subarray(actions, { minLength: 1 }),
      Resource: fc.constantFrom(...patterns),
      Condition: fc.option(fc.constant({ Bool: { 'aws:SecureTransport': 'false' } }), { nil: undefined }),
    });
  const clean = (s: Record<string, unknown>) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined));

  test('every request an Allow marked "denied: all" admits is an explicit Deny; an unconditional explicit Deny is always listed in deniedBy', () => {
    fc.assert(
      fc.property(st('Allow'), fc.array(st(), { maxLength: 3 }), fc.constantFrom(...users), fc.constantFrom('s3:GetObject', 's3:PutObject', 's3:GetObjectAcl'), fc.constantFrom(...objects), (allow, rest, caller, action, object) => {
        const doc = parsePolicy({ Version: '2012-10-17', Statement: [allow, ...rest].map(clean) });
        const request = { caller: { kind: 'user' as const, id: caller, accountId: ACCT }, action, resource: object, resourceAccount: ACCT, identityPolicies: [], resourcePolicy: { name: 'res', doc } };
        const d = evaluate(request);
        const allowNames = (g: ReturnType<typeof resourceGrants>[number]) => g.statement === 0 && (g.principal.id === caller || g.principal.id === '*');
        const applies = doc.statements[0]!.action!.some((a) => new RegExp(`^${a.replace(/\*/g, '.*')}$`, 'i').test(action)) && doc.statements[0]!.resource!.some((r) => resourceMatches(r, object));
        for (const g of resourceGrants(doc).filter(allowNames)) {
          // Given an Allow naming the caller that admits this request
          if (!applies) continue;
          // Then "denied: all" means AWS's evaluation denies it explicitly, whatever the condition keys say
          if (g.denied === 'all') expect(d.decision).toBe('explicitDeny');
          // And an explicit Deny that holds without any condition is never missing from the edge
          if (d.decision === 'explicitDeny' && !d.conditional) expect(g.deniedBy.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
