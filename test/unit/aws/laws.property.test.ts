// Property-based laws of the IAM evaluator (fast-check).
import fc from 'fast-check';
import {
  effectivePermissions,
  evaluate,
  loadActionCatalog,
  type ActionCatalog,
  type NamedPolicy,
  type PolicyDocument,
  type Statement,
} from '../../../src/identity/aws/index.js';

const ACTION_PATTERNS = ['s3:GetObject', 's3:PutObject', 's3:Get*', 's3:*', 'iam:CreateUser', 'iam:*', 'ec2:RunInstances', 'ec2:Describe*', 'sts:AssumeRole', '*', 'S3:get?bject'];
const ACTIONS = ['s3:GetObject', 's3:PutObject', 'iam:CreateUser', 'ec2:RunInstances', 'ec2:DescribeInstances', 'sts:AssumeRole'];
const RESOURCE_PATTERNS = ['*', 'arn:aws:s3:::b/*', 'arn:aws:s3:::b/k', 'arn:aws:s3:::*', 'arn:aws:iam::111122223333:user/*', 'arn:aws:ec2:*:*:instance/*'];
const RESOURCES = ['arn:aws:s3:::b/k', 'arn:aws:s3:::other/x', 'arn:aws:iam::111122223333:user/bob', 'arn:aws:ec2:us-east-1:111122223333:instance/i-1', '*'];

const some = <T>(xs: readonly T[]) => fc.uniqueArray(fc.constantFrom(...xs), { minLength: 1, maxLength: 3 });
const statementArb: fc.Arbitrary<Statement> = fc
  .record({
    effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
    not: fc.boolean(),
    actions: some(ACTION_PATTERNS),
    notRes: fc.boolean(),
    resources: some(RESOURCE_PATTERNS),
    cond: fc.boolean(),
  })
  .map((r) => {
    const st: Statement = { effect: r.effect };
    if (r.not) st.notAction = r.actions;
    else st.action = r.actions;
    if (r.notRes) st.notResource = r.resources;
    else st.resource = r.resources;
    if (r.cond) st.condition = { Bool: { 'aws:SecureTransport': ['true'] } };
    return st;
  });
const allowArb = statementArb.map((s) => ({ ...s, effect: 'Allow' as const }));
const doc = (statements: Statement[]): PolicyDocument => ({ version: '2012-10-17', statements });
const policiesArb = fc.array(fc.array(statementArb, { minLength: 1, maxLength: 4 }), { minLength: 0, maxLength: 3 }).map((ps) => ps.map((s, i): NamedPolicy => ({ name: `p${i}`, doc: doc(s) })));
const requestArb = fc.record({ action: fc.constantFrom(...ACTIONS), resource: fc.constantFrom(...RESOURCES) });
const caller = { kind: 'user' as const, id: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' };

const allowedish = (d: { decision: string }): boolean => d.decision === 'allowed';

describe('IAM evaluation laws', () => {
  test('an explicit unconditional Deny that matches always wins', () => {
    fc.assert(
      fc.property(policiesArb, requestArb, (policies, req) => {
        const deny: NamedPolicy = { name: 'deny', doc: doc([{ effect: 'Deny', action: [req.action], resource: ['*'] }]) };
        const d = evaluate({ caller, ...req, identityPolicies: [...policies, deny] });
        return d.decision === 'explicitDeny' && d.statements.some((s) => s.policy === 'deny');
      }),
    );
  });

  test('NotAction never grants a listed action', () => {
    fc.assert(
      fc.property(some(ACTION_PATTERNS), requestArb, (listed, req) => {
        const p: NamedPolicy = { name: 'p', doc: doc([{ effect: 'Allow', notAction: listed, resource: ['*'] }]) };
        const d = evaluate({ caller, ...req, identityPolicies: [p] });
        const isListed = listed.some((l) => new RegExp(`^${l.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(req.action));
        return !isListed || d.decision === 'implicitDeny';
      }),
    );
  });

  test('adding an Allow never removes a permission', () => {
    fc.assert(
      fc.property(policiesArb, allowArb, requestArb, (policies, extra, req) => {
        const before = evaluate({ caller, ...req, identityPolicies: policies });
        const after = evaluate({ caller, ...req, identityPolicies: [...policies, { name: 'extra', doc: doc([extra]) }] });
        return !allowedish(before) || allowedish(after);
      }),
    );
  });

  test('a permission boundary never adds a permission', () => {
    fc.assert(
      fc.property(policiesArb, fc.array(statementArb, { minLength: 1, maxLength: 4 }), requestArb, (policies, boundary, req) => {
        const without = evaluate({ caller, ...req, identityPolicies: policies });
        const withB = evaluate({ caller, ...req, identityPolicies: policies, boundary: { name: 'b', doc: doc(boundary) } });
        return allowedish(without) || !allowedish(withB);
      }),
    );
  });

  test('SCPs never add a permission', () => {
    fc.assert(
      fc.property(policiesArb, fc.array(statementArb, { minLength: 1, maxLength: 3 }), requestArb, (policies, scp, req) => {
        const without = evaluate({ caller, ...req, identityPolicies: policies });
        const withS = evaluate({ caller, ...req, identityPolicies: policies, scps: [[{ name: 's', doc: doc(scp) }]] });
        return allowedish(without) || !allowedish(withS);
      }),
    );
  });

  test('a statement with an unresolvable variable never widens access', () => {
    // IAM policy variables reference: a key the request lacks makes the statement invalid. A role
    // never has aws:username; aws:SourceIdentity is absent when the context says so.
    const role = { kind: 'role' as const, id: 'arn:aws:iam::111122223333:role/app', accountId: '111122223333' };
    const variableStatement = fc
      .record({ effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'), not: fc.boolean(), notRes: fc.boolean(), actions: some(ACTION_PATTERNS), variable: fc.constantFrom('${aws:username}', '${aws:SourceIdentity}'), inCondition: fc.boolean(), rest: some(RESOURCE_PATTERNS) })
      .map((r): Statement => {
        const st: Statement = { effect: r.effect, ...(r.not ? { notAction: r.actions } : { action: r.actions }) };
        const element = r.inCondition ? r.rest : [...r.rest, `arn:aws:s3:::b/${r.variable}/*`];
        if (r.notRes) st.notResource = element;
        else st.resource = element;
        if (r.inCondition) st.condition = { StringLike: { 's3:prefix': [`${r.variable}/*`] } };
        return st;
      });
    fc.assert(
      fc.property(policiesArb, variableStatement, requestArb, fc.constantFrom(caller, role), (policies, extra, req, who) => {
        const context = { values: {}, isAbsent: (k: string) => k === 'aws:sourceidentity' };
        const before = evaluate({ caller: who, ...req, identityPolicies: policies, context });
        const after = evaluate({ caller: who, ...req, identityPolicies: [...policies, { name: 'extra', doc: doc([extra]) }], context });
        const unresolvable = who === role || JSON.stringify(extra).includes('SourceIdentity');
        return !unresolvable || allowedish(before) || !allowedish(after);
      }),
      { numRuns: 500 },
    );
  });

  describe('effective permissions', () => {
    let catalog: ActionCatalog;
    beforeAll(async () => {
      catalog = await loadActionCatalog();
    });
    const total = (gs: ReturnType<typeof effectivePermissions>): Set<string> => new Set(gs.flatMap((g) => [...g.actions].map((a) => `${g.resource}|${a}`)));

    test('a boundary never adds an action to any resource pattern', () => {
      fc.assert(
        fc.property(fc.array(allowArb, { minLength: 1, maxLength: 3 }), fc.array(allowArb, { minLength: 1, maxLength: 3 }), (ids, b) => {
          const plain = effectivePermissions({ identity: [{ name: 'p', doc: doc(ids) }] }, catalog);
          const bounded = effectivePermissions({ identity: [{ name: 'p', doc: doc(ids) }], boundary: { name: 'b', doc: doc(b) } }, catalog);
          const plainActions = new Set(plain.flatMap((g) => [...g.actions]));
          return [...total(bounded)].every((k) => plainActions.has(k.slice(k.indexOf('|') + 1)));
        }),
        { numRuns: 25 },
      );
    });

    test('an unconditional Deny on * removes its actions everywhere', () => {
      fc.assert(
        fc.property(fc.array(allowArb, { minLength: 1, maxLength: 3 }), fc.constantFrom(...ACTIONS), (ids, denied) => {
          const gs = effectivePermissions({ identity: [{ name: 'p', doc: doc([...ids, { effect: 'Deny', action: [denied], resource: ['*'] }]) }] }, catalog);
          return gs.every((g) => !g.actions.has(denied.toLowerCase()));
        }),
        { numRuns: 60 },
      );
    });

    test('NotAction + Allow never yields a listed action', () => {
      fc.assert(
        fc.property(some(['iam:*', 's3:*', 'ec2:Describe*', 'sts:AssumeRole']), fc.constantFrom(...RESOURCE_PATTERNS), (listed, r) => {
          const gs = effectivePermissions({ identity: [{ name: 'p', doc: doc([{ effect: 'Allow', notAction: listed, resource: [r] }]) }] }, catalog);
          const re = listed.map((l) => new RegExp(`^${l.replace(/\*/g, '.*')}$`, 'i'));
          return gs.every((g) => [...g.actions].every((a) => !re.some((x) => x.test(a))));
        }),
        { numRuns: 30 },
      );
    });
  });
});
