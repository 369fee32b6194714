import fc from 'fast-check';
import { ANY, EMPTY, PROTOCOLS, contains, intersect, isEmpty, subtract, union, type PortSet, type Protocol } from '../../../../src/identity/kubernetes/netpol/ports.js';

// Port sets against brute force: ports drawn from a small window so ranges overlap and touch often.
const range = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 10 })).map(([a, w]) => [a, a + w] as const);
const finite = fc.record({ TCP: fc.array(range, { maxLength: 3 }), UDP: fc.array(range, { maxLength: 3 }), SCTP: fc.array(range, { maxLength: 2 }) }).map((r) => {
  let s: PortSet = EMPTY;
  for (const p of PROTOCOLS) for (const [a, b] of r[p]) s = union(s, { ...EMPTY, [p]: [[a, b]] });
  return s;
});
const set = fc.oneof({ weight: 6, arbitrary: finite }, { weight: 1, arbitrary: fc.constant(ANY) });
const probes: Array<[Protocol, number]> = PROTOCOLS.flatMap((p) => Array.from({ length: 52 }, (_, i) => [p, i] as [Protocol, number]));
const members = (s: PortSet) => probes.map(([p, n]) => contains(s, p, n));

describe('port sets', () => {
  it('union, intersect and subtract agree with membership', () => {
    fc.assert(
      fc.property(set, set, (x, y) => {
        expect(members(union(x, y))).toEqual(probes.map((_, i) => members(x)[i]! || members(y)[i]!));
        expect(members(intersect(x, y))).toEqual(probes.map((_, i) => members(x)[i]! && members(y)[i]!));
        if (!x.any || y.any || isEmpty(y)) expect(members(subtract(x, y))).toEqual(probes.map((_, i) => members(x)[i]! && !(y.any || members(y)[i]!)));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps ranges sorted, disjoint and non-adjacent', () => {
    fc.assert(
      fc.property(finite, finite, (x, y) => {
        for (const s of [union(x, y), intersect(x, y), subtract(x, y)]) {
          for (const p of PROTOCOLS) {
            s[p].forEach(([a, b], i) => {
              expect(a).toBeLessThanOrEqual(b);
              if (i > 0) expect(a).toBeGreaterThan(s[p][i - 1]![1] + 1);
            });
          }
        }
      }),
    );
  });
});
