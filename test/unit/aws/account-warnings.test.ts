// Loading an account: what the model warns about instead of silently dropping (issue 10 #6 and the
// resource-type wildcard note), and how effective permissions honour the principal type (#1, #5).
import { buildAccountModel, effectivePermissions, loadActionCatalog, principalEvaluator, type ActionCatalog } from '../../../src/identity/aws/index.js';

const A = '111122223333';
const arn = (k: string, n: string) => `arn:aws:iam::${A}:${k}/${n}`;
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const rootTrust = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' });

describe('a permissions boundary missing from the input (AWS: the boundary limits every grant; docs access_policies_boundaries)', () => {
  const model = buildAccountModel({
    RoleDetailList: [
      {
        RoleName: 'app',
        Arn: arn('role', 'app'),
        AssumeRolePolicyDocument: rootTrust,
        RolePolicyList: [{ PolicyName: 'all', PolicyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }],
        PermissionsBoundary: { PermissionsBoundaryArn: arn('policy', 'not-exported') },
      },
    ],
  });
  const ev = principalEvaluator(model, model.principals.get(arn('role', 'app'))!);

  test('is reported as a warning naming the policy', () => {
    expect(model.warnings).toEqual([{ name: arn('role', 'app'), message: expect.stringContaining(arn('policy', 'not-exported')) }]);
  });

  test('never yields a plain allow: conditional, with the warning on the decision', () => {
    const d = ev.can('s3:GetObject', 'arn:aws:s3:::b/k');
    expect(d).toMatchObject({ decision: 'allowed', conditional: true });
    expect(d.warnings?.[0]).toContain(arn('policy', 'not-exported'));
  });

  test('so the principal is not an administrator', () => {
    expect(ev.isAdmin()).toBe(false);
  });

  test('effective permissions mark every grant conditional on the unreadable boundary', async () => {
    const catalog: ActionCatalog = await loadActionCatalog();
    const grants = effectivePermissions({ identity: ev.policies, unreadableBoundary: arn('policy', 'not-exported'), principalKind: 'role' }, catalog);
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.every((g) => g.conditional && g.conditions.includes(JSON.stringify({ unreadableBoundary: arn('policy', 'not-exported') })))).toBe(true);
  });

  test('a boundary that is present is not reported', () => {
    const ok = buildAccountModel({
      RoleDetailList: [{ RoleName: 'app', Arn: arn('role', 'app'), AssumeRolePolicyDocument: rootTrust, PermissionsBoundary: { PermissionsBoundaryArn: arn('policy', 'b') } }],
      Policies: [{ PolicyName: 'b', Arn: arn('policy', 'b'), DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) }] }],
    });
    expect(ok.warnings).toEqual([]);
  });
});

describe('a wildcard in the resource-type part of an ARN (not allowed by the ARN format; AWS does not say how it evaluates)', () => {
  const model = buildAccountModel({
    UserDetailList: [{ UserName: 'alice', Arn: arn('user', 'alice'), UserPolicyList: [{ PolicyName: 'odd', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: [`arn:aws:iam::${A}:u*/bob`, `arn:aws:ec2:*:${A}:insta*nce/*`, 'arn:aws:s3:::logs*/x'] }) }] }],
  });

  test('loading warns, naming the policy, statement and pattern (S3 bucket names are not resource types)', () => {
    expect(model.warnings?.map((w) => w.name)).toEqual([`${arn('user', 'alice')}#inline/odd`, `${arn('user', 'alice')}#inline/odd`]);
    expect(model.warnings?.[0]?.message).toContain(`statement 0 Resource "arn:aws:iam::${A}:u*/bob"`);
    expect(model.warnings?.[1]?.message).toContain('insta*nce');
  });

  test('an AWS managed policy nobody attaches is dropped without a warning (moto lists them all)', () => {
    const m = buildAccountModel({
      Policies: [{ PolicyName: 'AWSQuickSight', Arn: 'arn:aws:iam::aws:policy/AWSQuickSight', DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc({ Effect: 'Allow', Action: 'quicksight:*', Resource: 'arn:aws:quicksight:*:*:*/*' }) }] }],
    });
    expect(m.warnings).toEqual([]);
  });

  test('the documented answer: the * stays within its segment, so u*/bob matches user/bob', () => {
    const ev = principalEvaluator(model, model.principals.get(arn('user', 'alice'))!);
    expect(ev.can('iam:GetUser', arn('user', 'bob')).decision).toBe('allowed');
    expect(ev.can('iam:GetUser', arn('user', 'carol')).decision).toBe('implicitDeny');
  });
});

describe('effective permissions follow the principal type (IAM policy variables reference; global condition keys)', () => {
  let catalog: ActionCatalog;
  beforeAll(async () => {
    catalog = await loadActionCatalog();
  });
  const identity = [
    {
      name: 'home',
      doc: {
        version: '2012-10-17' as const,
        statements: [
          { effect: 'Allow' as const, action: ['s3:GetObject'], resource: ['arn:aws:s3:::home/${aws:username}/*'] },
          { effect: 'Allow' as const, action: ['s3:PutObject'], resource: ['*'], condition: { StringEquals: { 'aws:username': ['alice'] } } },
        ],
      },
    },
  ];

  test('a role gets nothing from statements that need aws:username', () => {
    expect(effectivePermissions({ identity, principalKind: 'role' }, catalog)).toEqual([]);
  });

  test('a user gets its own folder, unconditionally', () => {
    const grants = effectivePermissions({ identity, principalKind: 'user', variables: { 'aws:username': 'alice' } }, catalog);
    expect(grants.find((g) => g.resource === 'arn:aws:s3:::home/alice/*')).toMatchObject({ conditional: false });
  });
});
