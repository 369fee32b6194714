// Privilege-escalation edges on the fixture account (test/cases/aws/account.json).
import { readFileSync } from 'node:fs';
import { buildAccountModel, escalationConditions, ESCALATION_METHODS, FAN_OUT_LIMIT, findEscalations, parseAuthDetails, parsePolicy, principalEvaluator, type AuthDetails } from '../../../src/identity/aws/index.js';

const A = '111122223333';
const arn = (k: string, n: string) => `arn:aws:iam::${A}:${k}/${n}`;
const fixture = buildAccountModel(parseAuthDetails(JSON.parse(readFileSync(new URL('../../cases/aws/account.json', import.meta.url), 'utf8')), 'account.json'));
const edges = findEscalations(fixture);
const has = (from: string, to: string, method: string) => edges.some((e) => e.from === from && e.to === to && e.method === method);

describe('privilege escalation on the fixture account', () => {
  test('CreatePolicyVersion / SetDefaultPolicyVersion on an attached customer policy (iam-001, Rhino 1/2)', () => {
    expect(has(arn('user', 'bob'), arn('user', 'bob'), 'iam-001')).toBe(true);
    expect(has(arn('user', 'bob'), arn('user', 'bob'), 'iam-setdefaultpolicyversion')).toBe(true);
  });

  test('PassRole to Lambda + CreateFunction + InvokeFunction reaches the admin role (lambda-001)', () => {
    const e = edges.find((x) => x.from === arn('user', 'carol') && x.method === 'lambda-001');
    expect(e?.to).toBe(`arn:aws:iam::${A}:role/service-role/lambda-admin`);
    expect(JSON.parse(e!.evidence)).toMatchObject({ service: 'lambda.amazonaws.com', actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'] });
    // PassRole is limited to lambda.amazonaws.com: no EC2/Glue paths
    expect(edges.some((x) => x.from === arn('user', 'carol') && /^(ec2|glue)-/.test(x.method))).toBe(false);
  });

  test('CreateAccessKey on other users (iam-002), never on itself', () => {
    expect(has(arn('user', 'dave'), arn('user', 'alice'), 'iam-002')).toBe(true);
    expect(has(arn('user', 'dave'), arn('user', 'dave'), 'iam-002')).toBe(false);
  });

  test('AttachUserPolicy on ${aws:username} is self-escalation (iam-008) and not conditional', () => {
    const e = edges.find((x) => x.from === arn('user', 'eve') && x.method === 'iam-008');
    expect(e).toMatchObject({ to: arn('user', 'eve'), conditional: false });
  });

  test('a boundary that lacks sts:AssumeRole stops account-root delegation; a * trust admits anyway', () => {
    const ci = `arn:aws:iam::${A}:user/automation/ci-bot`;
    expect(has(ci, arn('role', 'deploy'), 'sts-001')).toBe(false);
    expect(has(ci, arn('role', 'too-open'), 'sts-001')).toBe(true);
  });

  test('administrators get no outgoing edges; a principal with no permissions only reaches the role trusting *', () => {
    expect(edges.some((e) => e.from === arn('user', 'alice'))).toBe(false);
    expect(edges.filter((e) => e.from === arn('user', 'mallory')).map((e) => [e.to, e.method])).toEqual([[arn('role', 'too-open'), 'sts-001']]);
  });

  test('a trust naming a principal ARN admits it without any identity permission (sts-001)', () => {
    const details = {
      UserDetailList: [{ UserName: 'nobody', Arn: arn('user', 'nobody') }],
      RoleDetailList: [{ RoleName: 'r', Arn: arn('role', 'r'), AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: arn('user', 'nobody') }, Action: 'sts:AssumeRole' }] } }],
    };
    expect(findEscalations(buildAccountModel(details)).map((e) => [e.from, e.to, e.method])).toEqual([[arn('user', 'nobody'), arn('role', 'r'), 'sts-001']]);
  });

  test('--principal filter', () => {
    const only = findEscalations(fixture, { principal: arn('user', 'dave') });
    expect(only.length).toBeGreaterThan(0);
    expect(only.every((e) => e.from === arn('user', 'dave'))).toBe(true);
  });
});

describe('each method fires on a minimal account and not without its permissions', () => {
  // A minimal account: the caller, a victim user, a group, and one role per service trust.
  const services = [...new Set(ESCALATION_METHODS.flatMap((m) => m.services ?? []))];
  const trustFor = (s: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: s }, Action: 'sts:AssumeRole' }] });
  const accountWith = (actions: string[], callerKind: 'user' | 'role'): AuthDetails => ({
    UserDetailList: [
      ...(callerKind === 'user' ? [{ UserName: 'attacker', Arn: arn('user', 'attacker'), GroupList: ['team'], AttachedManagedPolicies: [{ PolicyArn: arn('policy', 'attacker-policy') }], UserPolicyList: [] }] : []),
      { UserName: 'victim', Arn: arn('user', 'victim'), GroupList: [], UserPolicyList: [] },
    ],
    GroupDetailList: [
      { GroupName: 'team', Arn: arn('group', 'team') },
      { GroupName: 'ops', Arn: arn('group', 'ops') },
    ],
    RoleDetailList: [
      ...(callerKind === 'role' ? [{ RoleName: 'attacker', Arn: arn('role', 'attacker'), AssumeRolePolicyDocument: trustFor('ec2.amazonaws.com'), AttachedManagedPolicies: [{ PolicyArn: arn('policy', 'attacker-policy') }] }] : []),
      ...services.map((s) => ({ RoleName: `svc-${s}`, Arn: arn('role', `svc-${s}`), AssumeRolePolicyDocument: trustFor(s) })),
      { RoleName: 'trusts-attacker', Arn: arn('role', 'trusts-attacker'), AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' }] } },
    ],
    Policies: [
      {
        PolicyName: 'attacker-policy',
        Arn: arn('policy', 'attacker-policy'),
        DefaultVersionId: 'v2',
        PolicyVersionList: [
          { VersionId: 'v2', IsDefaultVersion: true, Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] } },
          { VersionId: 'v1', IsDefaultVersion: false, Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
        ],
      },
    ],
  });

  test.each(ESCALATION_METHODS.map((m) => [m.id, m] as const))('%s', (_id, m) => {
    // Given exactly the method's required permissions
    const needed = [...m.requires, ...(m.passRole ? ['iam:PassRole'] : [])];
    const kind = m.id === 'iam-005' || m.id === 'iam-009' ? 'role' : 'user';
    const caller = arn(kind, 'attacker');
    const withAll = findEscalations(buildAccountModel(accountWith(needed, kind)), { principal: caller });
    // Then the method is found
    expect(withAll.some((e) => e.method === m.id)).toBe(true);
    // And removing any one required permission removes it
    for (const drop of needed) {
      const without = findEscalations(buildAccountModel(accountWith(needed.filter((a) => a !== drop).concat(['sts:GetCallerIdentity']), kind)), { principal: caller });
      expect({ drop, found: without.some((e) => e.method === m.id) }).toEqual({ drop, found: false });
    }
  });

  test('a policy whose document fails to parse is not evaluated (no edge from it)', () => {
    expect(() => parsePolicy('{"Statement":')).toThrow();
  });
});

describe('docs/iam-escalation.md', () => {
  test('documents every method with its required permissions', () => {
    const docText = readFileSync(new URL('../../../docs/iam-escalation.md', import.meta.url), 'utf8');
    for (const m of ESCALATION_METHODS) {
      const row = docText.split('\n').find((l) => l.startsWith(`| ${m.id} |`));
      expect({ id: m.id, documented: row !== undefined }).toEqual({ id: m.id, documented: true });
      for (const a of m.requires) expect(row).toContain(`\`${a}\``);
    }
  });
});

describe('role assumption needs the trust policy', () => {
  const model = buildAccountModel({
    UserDetailList: [{ UserName: 'u', Arn: arn('user', 'u'), UserPolicyList: [{ PolicyName: 'a', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] } }] }],
    RoleDetailList: [{ RoleName: 'broken-trust', Arn: arn('role', 'broken-trust'), AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[' }],
  });
  const ev = principalEvaluator(model, model.principals.get(arn('user', 'u'))!);

  test('a known role whose trust did not parse admits nobody', () => {
    expect(ev.can('sts:AssumeRole', arn('role', 'broken-trust')).decision).toBe('implicitDeny');
    expect(model.problems.map((p) => p.name)).toEqual([`${arn('role', 'broken-trust')}#trust`]);
  });

  test('a role in another account: the identity Allow is only conditional (its trust is unknown)', () => {
    expect(ev.can('sts:AssumeRole', 'arn:aws:iam::444455556666:role/partner')).toMatchObject({ decision: 'allowed', conditional: true });
  });
});

describe('edges carry their conditions (issue 10: `iam privesc --format json` kept only the flag)', () => {
  test('an Allow that needs MFA gives a conditional edge with the condition text', () => {
    const model = buildAccountModel({
      UserDetailList: [{ UserName: 'u', Arn: arn('user', 'u'), UserPolicyList: [{ PolicyName: 'a', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }] } }] }],
      RoleDetailList: [{ RoleName: 'r', Arn: arn('role', 'r'), AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' }] } }],
    });
    const [e] = findEscalations(model, { principal: arn('user', 'u') });
    expect(e).toMatchObject({ to: arn('role', 'r'), method: 'sts-001', conditional: true });
    expect(e!.conditions).toEqual(['{"Bool":{"aws:MultiFactorAuthPresent":["true"]}}']);
    expect(escalationConditions(e!.evidence)).toEqual(e!.conditions);
  });
});

describe('wildcard grants over many roles stay linear (issue 8 finding 11)', () => {
  const rootTrust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' }] };
  const inline = (statements: object[]) => [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: statements } }];
  const assumeAny = { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' };
  const many = (n: number, extra: object[] = []) =>
    Array.from({ length: n }, (_, i) => ({ RoleName: `r-${i}`, Arn: arn('role', `r-${i}`), AssumeRolePolicyDocument: rootTrust, RolePolicyList: inline([assumeAny, ...extra]) }));

  test('roles that can assume * reach an administrator: each is reported once, admin-equivalent, with no edge to every other role', () => {
    // Given 120 roles that may assume any role, and one administrator role trusting the account
    const model = buildAccountModel({ RoleDetailList: [...many(120), { RoleName: 'boss', Arn: arn('role', 'boss'), AssumeRolePolicyDocument: rootTrust, RolePolicyList: inline([{ Effect: 'Allow', Action: '*', Resource: '*' }]) }] });
    // When the escalation edges are computed
    const edges = findEscalations(model);
    // Then every role has exactly one edge, to the administrator, marked admin-equivalent
    expect(edges).toHaveLength(120);
    expect(edges.every((e) => e.to === arn('role', 'boss') && e.method === 'sts-001' && JSON.parse(e.evidence).adminEquivalent === true)).toBe(true);
  });

  test('a step to an administrator behind a condition does not make a principal admin-equivalent', () => {
    const mfa = { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } };
    const roles = Array.from({ length: 4 }, (_, i) => ({ RoleName: `m-${i}`, Arn: arn('role', `m-${i}`), AssumeRolePolicyDocument: rootTrust, RolePolicyList: inline([mfa]) }));
    const model = buildAccountModel({ RoleDetailList: [...roles, { RoleName: 'boss', Arn: arn('role', 'boss'), AssumeRolePolicyDocument: rootTrust, RolePolicyList: inline([{ Effect: 'Allow', Action: '*', Resource: '*' }]) }] });
    const fromM0 = findEscalations(model, { principal: arn('role', 'm-0') });
    expect(fromM0.map((e) => e.to).sort()).toEqual([arn('role', 'boss'), arn('role', 'm-1'), arn('role', 'm-2'), arn('role', 'm-3')]);
    expect(fromM0.every((e) => e.conditional && JSON.parse(e.evidence).adminEquivalent === undefined)).toBe(true);
  });

  test('without an administrator, a uniform sts:AssumeRole on * becomes one edge to the account (its MAY_ASSUME edges lead to the roles)', () => {
    const model = buildAccountModel({ RoleDetailList: many(FAN_OUT_LIMIT + 10) });
    const edges = findEscalations(model);
    expect(edges).toHaveLength(FAN_OUT_LIMIT + 10);
    expect(edges.every((e) => e.to === A && e.method === 'sts-001' && !e.conditional)).toBe(true);
    expect(JSON.parse(edges[0]!.evidence)).toMatchObject({ via: 'account', roles: FAN_OUT_LIMIT + 10 });
  });

  test('a grant that singles out some roles is not collapsed: edges go to each role it allows', () => {
    const deny = { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: arn('role', 'r-7') };
    const model = buildAccountModel({ RoleDetailList: [...many(FAN_OUT_LIMIT + 10).slice(1), { RoleName: 'picky', Arn: arn('role', 'picky'), AssumeRolePolicyDocument: rootTrust, RolePolicyList: inline([assumeAny, deny]) }] });
    const fromPicky = findEscalations(model, { principal: arn('role', 'picky') });
    expect(fromPicky.some((e) => e.to === A)).toBe(false);
    expect(fromPicky.some((e) => e.to === arn('role', 'r-7'))).toBe(false);
    expect(fromPicky.filter((e) => e.method === 'sts-001')).toHaveLength(FAN_OUT_LIMIT + 8);
  });

  test('PassRole on * to many roles trusting a service becomes one edge to the service principal', () => {
    const lambdaTrust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const model = buildAccountModel({
      UserDetailList: [{ UserName: 'dev', Arn: arn('user', 'dev'), UserPolicyList: inline([{ Effect: 'Allow', Action: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' }]) }],
      RoleDetailList: Array.from({ length: FAN_OUT_LIMIT + 5 }, (_, i) => ({ RoleName: `fn-${i}`, Arn: arn('role', `fn-${i}`), AssumeRolePolicyDocument: lambdaTrust })),
    });
    const edges = findEscalations(model, { principal: arn('user', 'dev') }).filter((e) => e.method === 'lambda-001');
    expect(edges.map((e) => e.to)).toEqual(['lambda.amazonaws.com']);
    expect(JSON.parse(edges[0]!.evidence)).toMatchObject({ service: 'lambda.amazonaws.com', via: 'service', roles: FAN_OUT_LIMIT + 5 });
  });
});
