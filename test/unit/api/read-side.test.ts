/**
 * Pure parts of the API's read side: the search text as a Lucene query (only letters, digits and
 * escaped literals reach it), agent cursors, and the generation cache's LRU and invalidation.
 */
import 'reflect-metadata';
import fc from 'fast-check';
import type { Graph } from '../../../src/graph/driver.js';
import { agentCursor, parseAgentCursor } from '../../../src/api/agent.resolver.js';
import { AgentOrder } from '../../../src/api/agent.type.js';
import { GenerationCache } from '../../../src/api/blast-cache.js';
import { MAX_SEARCH_WORDS, searchQuery } from '../../../src/api/search.js';

describe('searchQuery', () => {
  test('given plain words, then each must match by token or prefix', () => {
    expect(searchQuery('Support')).toBe('(support^4 OR support*^3)');
    expect(searchQuery('support  agent')).toBe('(support^4 OR support*^3) AND (agent^4 OR agent*^3)');
  });

  test('given a word with separators, then its escaped phrase, its literal prefix, or all its runs as prefixes', () => {
    expect(searchQuery('qdrant.data')).toBe('("qdrant.data"^6 OR qdrant.data*^5 OR (qdrant* AND data*))');
    expect(searchQuery('arn:aws:iam::1:role/x-y')).toBe('("arn\\:aws\\:iam\\:\\:1\\:role\\/x\\-y"^16 OR arn\\:aws\\:iam\\:\\:1\\:role\\/x\\-y*^15 OR (arn* AND aws* AND iam* AND 1* AND role* AND x* AND y*))');
  });

  test('given no letter or digit, then no query', () => {
    for (const t of ['', '   ', '*:*', '() [] {}', '&& || !']) expect(searchQuery(t)).toBeUndefined();
  });

  test('given any text, then every Lucene syntax character in the query is escaped or one of ours', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const q = searchQuery(text);
        if (q === undefined) return;
        // Drop what we write (escapes, our parentheses, operators and trailing *), then nothing special may remain.
        const rest = q.replace(/\\./gu, '').replace(/"([^"]*)"\^\d+/gu, '$1').replace(/ (AND|OR) /g, ' ').replace(/\^\d+(?=[ )])/g, '').replace(/\*(?=[ )])/g, '').replace(/(^|[ (])\(/g, '$1').replace(/\)(?=$|[ )])/g, '');
        expect(rest).not.toMatch(/[+\-!():^[\]"{}~*?|&/\\]/);
        expect(q).not.toMatch(/\b(AND|OR|NOT)\b(?! )/);
        expect(q.split(' AND ').length).toBeLessThanOrEqual(MAX_SEARCH_WORDS);
      }),
      { numRuns: 500 },
    );
  });
});

describe('agent cursors', () => {
  test('given a cursor, then it reads back only under the order that issued it', () => {
    const c = agentCursor({ order: AgentOrder.RISK_DESC, key: 7.5, id: 'a' });
    expect(parseAgentCursor(c, AgentOrder.RISK_DESC)).toEqual({ order: AgentOrder.RISK_DESC, key: 7.5, id: 'a' });
    expect(() => parseAgentCursor(c, AgentOrder.NAME_ASC)).toThrow(/^after: .*NAME_ASC/);
    for (const bad of ['', 'x', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["RISK_DESC","7","a"]').toString('base64url')]) expect(() => parseAgentCursor(bad, AgentOrder.RISK_DESC)).toThrow(/^after: /);
  });
});

describe('GenerationCache', () => {
  const graph = {} as Graph;
  function setup(max = 2) {
    let now = 0;
    let generation = 'g1';
    let reads = 0;
    const cache = new GenerationCache<string>(max, async () => (reads++, generation), 1000, () => now);
    return { cache, tick: (ms: number) => void (now += ms), setGeneration: (g: string) => void (generation = g), reads: () => reads };
  }

  test('given repeated keys, then the value is computed once and the least recently used entry goes first', async () => {
    const { cache } = setup(2);
    let computed = 0;
    const get = (k: string) => cache.get(graph, k, async () => `${k}${++computed}`);
    expect(await get('a')).toBe('a1');
    expect(await get('a')).toBe('a1');
    await get('b');
    await get('a');
    await get('c'); // evicts b, the least recently used
    expect(cache.size).toBe(2);
    expect(await get('a')).toBe('a1');
    expect(await get('b')).toBe('b4');
    expect(cache.stats).toEqual({ hits: 3, misses: 4, invalidations: 0 });
  });

  test('given a new generation, then entries are dropped once it has been read, at most once a second', async () => {
    const t = setup(10);
    let computed = 0;
    const get = () => t.cache.get(graph, 'k', async () => String(++computed));
    await get();
    t.setGeneration('g2');
    t.tick(500);
    expect(await get()).toBe('1'); // not re-read yet
    expect(t.reads()).toBe(1);
    t.tick(600);
    expect(await get()).toBe('2');
    expect(t.reads()).toBe(2);
    expect(t.cache.stats.invalidations).toBe(1);
  });

  test('given a failing computation, then it is not kept', async () => {
    const { cache } = setup();
    await expect(cache.get(graph, 'k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await new Promise((r) => setImmediate(r));
    expect(await cache.get(graph, 'k', async () => 'ok')).toBe('ok');
  });
});
