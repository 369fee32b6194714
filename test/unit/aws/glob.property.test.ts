// IAM wildcard matching: the matcher against a plain reference, and wildcard-heavy patterns
// (issue 8 finding 7: a 25-wildcard pattern used to hang `iam privesc` and `collect aws`).
import fc from 'fast-check';
import { actionMatches, evaluate, globMatch, resourceMatches } from '../../../src/identity/aws/index.js';

/**
 * Reference: the rules written down as directly as possible, by recursion over both strings (fine
 * for the short inputs fast-check draws). `*` ending a segment (before `:` or at the end) spans
 * anything; any other `*`, and every `?`, stays off `:` when ARN segments apply.
 */
function reference(p: string, t: string, arnSegments: boolean): boolean {
  if (p === '') return t === '';
  const c = p[0]!;
  if (c === '*') {
    const crosses = !arnSegments || p.length === 1 || p[1] === ':';
    for (let k = 0; k <= t.length; k++) {
      if (!crosses && t.slice(0, k).includes(':')) break;
      if (reference(p.slice(1), t.slice(k), arnSegments)) return true;
    }
    return false;
  }
  if (t === '') return false;
  if (c === '?') return (!arnSegments || t[0] !== ':') && reference(p.slice(1), t.slice(1), arnSegments);
  return c === t[0] && reference(p.slice(1), t.slice(1), arnSegments);
}

const text = fc.string({ unit: fc.constantFrom('a', 'b', ':', '/'), maxLength: 12 });
const pattern = fc.string({ unit: fc.constantFrom('a', 'b', ':', '/', '*', '?'), maxLength: 9 });

describe('IAM wildcard matching', () => {
  test('agrees with the reference matcher, * spanning everything (actions, StringLike)', () => {
    fc.assert(fc.property(pattern, text, (p, t) => globMatch(p, t) === reference(p, t, false)), { numRuns: 5_000 });
  });

  test('agrees with the reference matcher under the ARN segment rule (Resource, ArnLike)', () => {
    fc.assert(fc.property(pattern, text, (p, t) => globMatch(p, t, { arnSegments: true }) === reference(p, t, true)), { numRuns: 5_000 });
  });

  test('actions match case-insensitively, resources case-sensitively', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'B', '*', '?'), maxLength: 6 }), fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'B'), maxLength: 8 }), (p, t) => {
        expect(actionMatches(`s3:${p}`, `S3:${t}`)).toBe(reference(`s3:${p}`.toLowerCase(), `s3:${t}`.toLowerCase(), false));
        expect(resourceMatches(`arn:aws:s3:::${p}`, `arn:aws:s3:::${t}`)).toBe(reference(`arn:aws:s3:::${p}`, `arn:aws:s3:::${t}`, true));
      }),
      { numRuns: 2_000 },
    );
  });

  test('a 25-wildcard pattern is decided, for a match and for the worst-case miss', () => {
    // Given the pattern that made a backtracking regex run for hours: a* repeated, no final b in the text
    const pat = `arn:aws:s3:::${'a*'.repeat(25)}b`;
    const miss = `arn:aws:s3:::${'a'.repeat(200)}`;
    // Then both answers come back (and agree with the rule: the text needs 25 a's and a final b)
    expect(resourceMatches(pat, miss)).toBe(false);
    expect(resourceMatches(pat, `${miss}b`)).toBe(true);
    expect(actionMatches(`s3:${'g*'.repeat(25)}x`, `s3:${'g'.repeat(200)}`)).toBe(false);
  });

  test('a policy with a 25-wildcard Resource and Action evaluates through evaluate()', () => {
    const d = evaluate({
      caller: { kind: 'user', id: 'arn:aws:iam::111122223333:user/alice' },
      action: `s3:${'G'.repeat(60)}`,
      resource: `arn:aws:s3:::${'a'.repeat(300)}`,
      identityPolicies: [{ name: 'wild', doc: { version: '2012-10-17', statements: [{ effect: 'Allow', action: [`s3:${'g*'.repeat(25)}`], resource: [`arn:aws:s3:::${'a*'.repeat(25)}b`] }] } }],
    });
    expect(d.decision).toBe('implicitDeny');
  });
});
