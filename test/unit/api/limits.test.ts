import { parse } from 'graphql';
import { countSelections, RateLimiter } from '../../../src/api/limits.js';

describe('API limits', () => {
  test('given a burst of 2 at 1 request per second, then the third request waits and a second later one passes', () => {
    let now = 0;
    const rl = new RateLimiter(2, 1, 100, () => now);
    expect(rl.take('a')).toEqual({ ok: true });
    expect(rl.take('a')).toEqual({ ok: true });
    expect(rl.take('a')).toEqual({ ok: false, retryAfterS: 1 });
    expect(rl.take('b')).toEqual({ ok: true });
    now += 1000;
    expect(rl.take('a')).toEqual({ ok: true });
  });

  test('given more clients than the table holds, then old ones are forgotten and the table stays bounded', () => {
    let now = 0;
    const rl = new RateLimiter(1, 0.001, 10, () => now);
    for (let i = 0; i < 1000; i++) rl.take(`client-${i}`);
    expect((rl as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(10);
    now += 1;
    expect(rl.take('client-999')).toMatchObject({ ok: false });
  });

  test('given aliases inside operations and fragments, then each written alias and field is counted once', () => {
    const doc = parse('query { a: health { neo4j } b: health { version } ...F } fragment F on Query { c: __typename estate { label } }');
    expect(countSelections(doc)).toEqual({ aliases: 3, fields: 7, depth: 2 });
  });

  test('given nesting through fragments, then depth counts the expanded fields and a fragment cycle is infinitely deep', () => {
    const nested = parse('{ __schema { ...T } } fragment T on __Schema { types { fields { type { ...R } } } } fragment R on __Type { ofType { ofType { name } } }');
    expect(countSelections(nested).depth).toBe(7);
    expect(countSelections(parse('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }')).depth).toBe(Infinity);
  });
});
