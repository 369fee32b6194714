// Patterns meet resources: which concrete ARNs a grant pattern reaches, with the evaluator's glob
// semantics; and the law that `resource` reach agrees with resourceMatches.
import fc from 'fast-check';
import { notResourceReach, patternReach, resourceMatches } from '../../../src/identity/aws/index.js';

const A = '111122223333';
describe('patternReach', () => {
  test.each([
    ['*', 'arn:aws:s3:::acme-data', 'resource'],
    ['arn:aws:s3:::acme-*', 'arn:aws:s3:::acme-data', 'resource'],
    ['arn:aws:s3:::acme-*/*', 'arn:aws:s3:::acme-data', 'contents'],
    ['arn:aws:s3:::acme-data/logs/*', 'arn:aws:s3:::acme-data', 'contents'],
    ['arn:aws:s3:::acme-data/logs/*', 'arn:aws:s3:::acme-datalake', undefined],
    ['arn:aws:s3:::acme-*/*', 'arn:aws:s3:::other', undefined],
    ['arn:aws:s3:::*', 'arn:aws:s3:::anything', 'resource'],
    [`arn:aws:dynamodb:us-*:${A}:table/orders`, `arn:aws:dynamodb:us-east-1:${A}:table/orders`, 'resource'],
    [`arn:aws:dynamodb:us-east-1:${A}:table/orders/index/*`, `arn:aws:dynamodb:us-east-1:${A}:table/orders`, 'contents'],
    [`arn:aws:dynamodb:eu-*:${A}:table/orders`, `arn:aws:dynamodb:us-east-1:${A}:table/orders`, undefined],
    [`arn:aws:secretsmanager:us-east-1:${A}:secret:db-??????`, `arn:aws:secretsmanager:us-east-1:${A}:secret:db-AbCdEf`, 'resource'],
    [`arn:aws:secretsmanager:us-east-1:${A}:secret:db-*`, `arn:aws:secretsmanager:us-east-1:${A}:secret:dbx-AbCdEf`, undefined],
    [`arn:aws:lambda:us-east-1:${A}:function:pay:*`, `arn:aws:lambda:us-east-1:${A}:function:pay`, 'contents'],
    [`arn:aws:lambda:*:${A}:function:pay*`, `arn:aws:lambda:us-east-1:${A}:function:payments`, 'resource'],
    // The service segment decides first.
    [`arn:aws:s3:::*`, `arn:aws:kms:us-east-1:${A}:key/k`, undefined],
    // A star bound to its segment does not reach across a colon.
    [`arn:aws:lambda:us-east-1:${A}:func*x`, `arn:aws:lambda:us-east-1:${A}:function:pay`, undefined],
    [`arn:aws:kms:*:${A}:key/*`, `arn:aws:kms:eu-west-1:${A}:key/1234`, 'resource'],
  ])('%s reaches %s: %s', (pattern, arn, want) => {
    // Given a grant pattern and a resource, when reach is computed, then it is the expected kind
    expect(patternReach(pattern, arn)).toBe(want);
  });

  test('law: reach "resource" exactly when the evaluator matches the ARN', () => {
    const seg = fc.stringMatching(/^[a-z*?-]{0,6}$/);
    fc.assert(
      fc.property(seg, seg, fc.stringMatching(/^[a-z-]{1,8}$/), fc.constantFrom('/', ''), (b1, b2, bucket, slash) => {
        const pattern = `arn:aws:s3:::${b1}${slash}${b2}`;
        const arn = `arn:aws:s3:::${bucket}`;
        expect(patternReach(pattern, arn) === 'resource').toBe(resourceMatches(pattern, arn));
      }),
      { numRuns: 3000 },
    );
  });

  test('law: "contents" reach means some object ARN inside the resource matches', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z*?]{0,5}$/), fc.stringMatching(/^[a-z*?/]{0,5}$/), fc.stringMatching(/^[a-z]{1,4}$/), (b, k, bucket) => {
        const pattern = `arn:aws:s3:::${b}/${k}`;
        const arn = `arn:aws:s3:::${bucket}`;
        const r = patternReach(pattern, arn);
        // Witness: replace wildcards in the key part with letters; a 'contents' answer must have a witness among a few keys.
        const keys = ['a', 'ab', 'a/b', 'abc/d', 'x', '', 'aaaaa', 'a/a/a'];
        const witness = keys.some((key) => resourceMatches(pattern, `${arn}/${key}`));
        if (witness) expect(r).toBeDefined();
      }),
      { numRuns: 3000 },
    );
  });
});

describe('notResourceReach (NotResource: everything except the listed patterns)', () => {
  const B = 'arn:aws:s3:::acme-data';
  test.each([
    // IAM User Guide, NotResource: "arn:aws:s3:::HRBucket/Payroll" excluded still leaves every other resource.
    [['arn:aws:s3:::hr-bucket/payroll/*'], B, 'resource'],
    // The bucket ARN is excluded but its objects are not: `s3:GetObject` on acme-data/x is still granted.
    [[B], B, 'contents'],
    // Bucket and all its objects excluded: nothing of it is reached.
    [[B, `${B}/*`], B, undefined],
    // A trailing `*` spans `/`: excluding `acme-*` excludes the objects too (IAM: wildcards in resource ARNs).
    [['arn:aws:s3:::acme-*'], B, undefined],
    [['arn:aws:s3:::acme-dat?'], B, 'contents'],
    [['arn:aws:s3:::acme-*', 'arn:aws:s3:::acme-*/*'], B, undefined],
    [['arn:aws:s3:::*'], B, undefined],
    // Only part of the contents excluded: the rest is reached.
    [[B, `${B}/private/*`], B, 'contents'],
    // A secret has no sub-resources: excluded means not reached.
    [[`arn:aws:secretsmanager:us-east-1:${A}:secret:prod/*`], `arn:aws:secretsmanager:us-east-1:${A}:secret:prod/db-AbCdEf`, undefined],
    [[`arn:aws:secretsmanager:us-east-1:${A}:secret:prod/*`], `arn:aws:secretsmanager:us-east-1:${A}:secret:dev/db-AbCdEf`, 'resource'],
    // Lambda: versions and aliases are `function:f:qualifier`.
    [[`arn:aws:lambda:us-east-1:${A}:function:pay`], `arn:aws:lambda:us-east-1:${A}:function:pay`, 'contents'],
    [[`arn:aws:lambda:us-east-1:${A}:function:pay*`], `arn:aws:lambda:us-east-1:${A}:function:pay`, undefined],
  ] as [string[], string, string | undefined][])('NotResource %j reaches %s: %s', (excluded, arn, want) => {
    // Given the excluded patterns of a NotResource grant, when its reach is computed, then it is the expected kind
    expect(notResourceReach(excluded, arn)).toBe(want);
  });

  test('law: reach "resource" exactly when no excluded pattern matches, and no reach only when sample objects are all excluded', () => {
    const pat = fc.stringMatching(/^[a-z*?]{0,4}(\/[a-z*?/]{0,4})?$/).map((x) => `arn:aws:s3:::${x}`);
    fc.assert(
      fc.property(fc.array(pat, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z]{1,4}$/), (excluded, bucket) => {
        const arn = `arn:aws:s3:::${bucket}`;
        const r = notResourceReach(excluded, arn);
        // Given an exclusion list, then the bucket itself is reached exactly when the evaluator would not exclude it
        expect(r === 'resource').toBe(!excluded.some((n) => resourceMatches(n, arn)));
        // and "not reached at all" is never claimed while some object of the bucket escapes every exclusion
        if (r === undefined) for (const key of ['a', 'ab/c', 'zz', 'a/b/c']) expect(excluded.some((n) => resourceMatches(n, `${arn}/${key}`))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
