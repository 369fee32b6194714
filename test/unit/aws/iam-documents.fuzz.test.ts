// Standing fuzz target "IAM documents" (issue 8): at least 10,000 generated policy documents and
// questions per run through parsePolicy and evaluate. The only exception allowed is the documented
// input error (PolicyParseError, with a message); loading through the account model names the
// policy; wildcard-heavy patterns must not stall (a hang fails the run by the Jest timeout, which is
// the bound — no test here asserts a duration); the heap must not grow without bound.
import fc from 'fast-check';
import { buildAccountModel, evaluate, parsePolicy, PolicyParseError, type Caller, type NamedPolicy } from '../../../src/identity/aws/index.js';
import { retainedHeap } from '../../helpers/heap.js';

const RUNS = 10_000;
const A = '111122223333';

// Pieces that make policies interesting to the evaluator, and pieces that make them broken.
const wild = fc.string({ unit: fc.constantFrom('a', 'b', '*', '?', ':', '/', '-', '$', '{', '}', 'é', '\u0000'), maxLength: 40 });
const action = fc.oneof(fc.constantFrom('*', 's3:GetObject', 's3:Get*', 'iam:*', 'sts:GetCallerIdentity', 'iam:CreatePolicyVersion', 'S3:G?tObject'), wild.map((w) => `s3:${w}`), wild);
const arnish = fc.oneof(
  fc.constantFrom('*', 'arn:aws:s3:::b/*', 'arn:aws:iam::aws:policy/AdministratorAccess', `arn:aws:iam::${A}:user/\${aws:username}`, `arn:aws:iam:*host`, `arn:aws:iam::${A}:u*/bob`, "arn:aws:s3:::home/${aws:username, 'x'}/*"),
  wild.map((w) => `arn:aws:s3:::${w}`),
  wild.map((w) => `arn:aws:${w}:${w}`),
  fc.integer({ min: 1, max: 30 }).map((n) => `arn:aws:s3:::${'a*'.repeat(n)}b`),
  wild,
);
const oneOrMany = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, fc.array(a, { maxLength: 4 }));
const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), wild);
const condition = fc.dictionary(
  fc.oneof(fc.constantFrom('StringEquals', 'StringLike', 'StringNotEquals', 'ArnLike', 'Null', 'Bool', 'NumericLessThan', 'DateGreaterThan', 'IpAddress', 'ForAllValues:StringLike', 'ForAnyValue:StringEquals', 'StringEqualsIfExists'), fc.string({ maxLength: 8 })),
  fc.dictionary(fc.oneof(fc.constantFrom('aws:username', 'aws:TokenIssueTime', 'aws:userid', 'aws:SourceIp', 's3:prefix', 'aws:CurrentTime'), fc.string({ maxLength: 8 })), fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.object({ maxDepth: 1 }))),
  { maxKeys: 3 },
);
// A well-formed statement (one of Action/NotAction, at most one of Resource/NotResource)…
const validStatement = fc
  .record({
    effect: fc.constantFrom('Allow', 'Deny'),
    not: fc.boolean(),
    actions: oneOrMany(action),
    res: fc.constantFrom('Resource', 'NotResource', 'none'),
    resources: oneOrMany(arnish),
    principal: fc.option(fc.oneof(fc.constant('*'), fc.record({ AWS: oneOrMany(fc.oneof(arnish, fc.constant(A))) })), { nil: undefined }),
    condition: fc.option(condition, { nil: undefined }),
  })
  .map((r) => ({
    Effect: r.effect,
    [r.not ? 'NotAction' : 'Action']: r.actions,
    ...(r.res === 'none' ? {} : { [r.res]: r.resources }),
    ...(r.principal === undefined ? {} : { Principal: r.principal }),
    ...(r.condition === undefined ? {} : { Condition: r.condition }),
  }));
// …and one with any mix of fields, valid or not (both Action and NotAction, `Actions`, bad Effect).
const anyStatement = fc.record(
  {
    Sid: fc.oneof(fc.string({ maxLength: 6 }), fc.integer()),
    Effect: fc.oneof(fc.constantFrom('Allow', 'Deny'), fc.string({ maxLength: 5 })),
    Action: oneOrMany(action),
    NotAction: oneOrMany(action),
    Resource: oneOrMany(arnish),
    NotResource: oneOrMany(arnish),
    Principal: fc.oneof(fc.constant('*'), scalar),
    Condition: fc.oneof(condition, scalar),
    Actions: fc.constant('s3:*'),
  },
  { requiredKeys: [] },
);
const statement = fc.oneof({ weight: 4, arbitrary: validStatement }, { weight: 1, arbitrary: anyStatement });
const document = fc.oneof(
  { weight: 8, arbitrary: fc.record({ Version: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('2012-10-17', '2008-10-17') }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }), Statement: oneOrMany(statement), Id: fc.string({ maxLength: 4 }) }, { requiredKeys: ['Statement'] }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);
// Documents arrive as objects, JSON text, or URL-encoded JSON text (as IAM's API returns them).
const input = fc.tuple(document, fc.constantFrom('object', 'object', 'json', 'url', 'truncated')).map(([d, form]) => {
  if (form === 'object') return d;
  const text = JSON.stringify(d) ?? 'undefined';
  if (form === 'json') return text;
  if (form === 'url') return encodeURIComponent(text);
  return text.slice(0, Math.floor(text.length / 2));
});
const question = fc.record({
  caller: fc.constantFrom<Caller>({ kind: 'user', id: `arn:aws:iam::${A}:user/alice` }, { kind: 'role', id: `arn:aws:iam::${A}:role/app` }, { kind: 'service', id: 'lambda.amazonaws.com' }),
  action: fc.oneof(fc.constantFrom('s3:GetObject', 'iam:CreatePolicyVersion', 'sts:GetCallerIdentity', 'sts:AssumeRole'), wild.map((w) => `s3:${w}`)),
  resource: fc.oneof(fc.constantFrom('*', 'arn:aws:s3:::b/k', 'arn:aws:iam::aws:policy/AdministratorAccess', `arn:aws:iam::${A}:user/engineering/ghost`, `arn:aws:s3:::home/alice/x`), wild.map((w) => `arn:aws:s3:::${'a'.repeat(80)}${w}`)),
  context: fc.dictionary(fc.constantFrom('aws:username', 'aws:sourceip', 's3:prefix', 'aws:currenttime'), fc.array(fc.string({ maxLength: 10 }), { maxLength: 2 })),
  asResource: fc.boolean(),
});

describe('fuzz: IAM documents through parsePolicy and evaluate', () => {
  test(`${RUNS} generated documents and questions: answers or documented input errors only, bounded heap`, () => {
    const heapBefore = retainedHeap();
    let parsed = 0;
    let refused = 0;
    fc.assert(
      fc.property(input, question, (raw, q) => {
        let policy: NamedPolicy;
        try {
          policy = { name: 'fuzz', doc: parsePolicy(raw) };
          parsed++;
        } catch (e) {
          // Then a refusal is the documented error, and it says what is wrong
          if (!(e instanceof PolicyParseError) || e.message.trim() === '') throw e;
          refused++;
          return;
        }
        const d = evaluate({
          caller: q.caller,
          action: q.action,
          resource: q.resource,
          context: { values: q.context },
          ...(q.asResource ? { resourcePolicy: policy } : { identityPolicies: [policy] }),
        });
        // Then every question gets one of the three decisions
        expect(['allowed', 'explicitDeny', 'implicitDeny']).toContain(d.decision);
        expect(typeof d.conditional).toBe('boolean');
      }),
      { numRuns: RUNS },
    );
    // Both paths were exercised
    expect(parsed).toBeGreaterThan(RUNS / 10);
    expect(refused).toBeGreaterThan(RUNS / 10);
    // And the heap did not keep what the run generated (generous bound: the matcher cache is capped)
    expect(retainedHeap() - heapBefore).toBeLessThan(512 * 1024 * 1024);
  }, 120_000);

  test('through the account model every refused document is named by its policy', () => {
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 5 }), (docs) => {
        const model = buildAccountModel({
          UserDetailList: [{ UserName: 'u', Arn: `arn:aws:iam::${A}:user/u`, UserPolicyList: docs.map((d, i) => ({ PolicyName: `p${i}`, PolicyDocument: d })) }],
        });
        const user = model.principals.get(`arn:aws:iam::${A}:user/u`)!;
        // Then each document is either loaded or reported under its own name, never both, never lost
        docs.forEach((_d, i) => {
          const name = `arn:aws:iam::${A}:user/u#inline/p${i}`;
          const loaded = user.inline.some((p) => p.name === name);
          const reported = model.problems.filter((p) => p.name === name);
          expect({ name, loadedOrReported: Number(loaded) + reported.length }).toEqual({ name, loadedOrReported: 1 });
          for (const r of reported) expect(r.message.length).toBeGreaterThan(0);
        });
      }),
      { numRuns: 1_000 },
    );
  });
});
