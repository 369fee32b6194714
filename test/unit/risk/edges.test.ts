import { RELS } from '../../../src/graph/model/index.js';
import { DOMAIN_TYPES, NOT_TRAVERSED, traversalTypes } from '../../../src/risk/edges.js';

describe('risk traversal types', () => {
  test('every declared and observed type of the model is placed in a domain or deliberately left out', () => {
    const placed = new Set([...Object.values(DOMAIN_TYPES).flat(), ...Object.keys(NOT_TRAVERSED)]);
    const missing = RELS.filter((r) => r.family !== 'structural' && !placed.has(r.type)).map((r) => r.type);
    expect(missing).toEqual([]);
  });

  test('every type a domain names exists in the model', () => {
    const model = new Set(RELS.map((r) => r.type));
    expect(Object.values(DOMAIN_TYPES).flat().filter((t) => !model.has(t))).toEqual([]);
  });

  test('declared mode follows no DID_ edge, observed mode no MAY_ edge, both is their union', () => {
    const d = traversalTypes('declared');
    const o = traversalTypes('observed');
    const b = traversalTypes('both');
    expect(d.some((t) => t.startsWith('DID_'))).toBe(false);
    expect(o.some((t) => t.startsWith('MAY_'))).toBe(false);
    expect(b).toEqual([...new Set([...d, ...o])].sort());
    expect(traversalTypes('declared', ['tools'])).toEqual(['GRANTS_CAPABILITY', 'MAY_INVOKE', 'MAY_USE_TOOL', 'OFFERS']);
  });
});
