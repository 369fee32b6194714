import { loadCypherRegistry, cypher, statements } from '../../../src/graph/cypher.js';
import { familyOfType, LABELS, RELS, UNSERVED_LABELS } from '../../../src/graph/model/index.js';

describe('graph model', () => {
  test('every node label has a unique id constraint in cypher/schema/', () => {
    const reg = loadCypherRegistry();
    const schema = [...reg.entries()].filter(([k]) => k.startsWith('schema/')).flatMap(([, v]) => statements(v));
    for (const { label } of LABELS) {
      const re = new RegExp(`FOR \\(n:${label}\\) REQUIRE n\\.id IS UNIQUE`);
      expect({ label, constrained: schema.some((s) => re.test(s)) }).toEqual({ label, constrained: true });
    }
  });

  test('relationship names say their family: MAY_ declared, DID_ observed', () => {
    for (const r of RELS) expect({ type: r.type, family: familyOfType(r.type) }).toEqual({ type: r.type, family: r.family });
    expect(RELS.some((r) => r.family === 'declared')).toBe(true);
    expect(RELS.some((r) => r.family === 'observed')).toBe(true);
  });

  test('every Cypher file starts with a header comment', () => {
    for (const [name, text] of loadCypherRegistry()) expect({ name, header: text.trimStart().startsWith('//') }).toEqual({ name, header: true });
  });

  test('templates take only model names', () => {
    expect(() => cypher('ingest/merge-nodes', { label: 'AWSRole' })).not.toThrow();
    expect(() => cypher('ingest/merge-nodes', { label: 'AWSRole) DETACH DELETE (x' })).toThrow(/not a label of the graph model/);
    expect(() => cypher('ingest/merge-nodes')).toThrow(/template/);
    expect(() => cypher('cleanup/delete-stale-rels', { type: 'NOT_A_TYPE' })).toThrow(/not a relationship type/);
    expect(() => cypher('no/such/file')).toThrow(/no Cypher file/);
  });

  test("node(id)'s lookup seeks every served label's id index, and no unserved label", () => {
    const branches = [...cypher('queries/api/node-by-id').matchAll(/MATCH \(n:(\w+) \{id: \$id\}\) RETURN n/g)].map((m) => m[1]).sort();
    expect(branches).toEqual(LABELS.map((l) => l.label).filter((l) => !UNSERVED_LABELS.includes(l)).sort());
    expect(UNSERVED_LABELS).toContain('ApiKey');
  });

  test('a query is sent without its whole-line comments, the rest of its text unchanged', () => {
    for (const [name, raw] of loadCypherRegistry()) {
      if (/\{\{\w+\}\}/.test(raw)) continue;
      const sent = cypher(name);
      expect({ name, comment: sent.split('\n').some((l) => l.trimStart().startsWith('//')) }).toEqual({ name, comment: false });
      expect({ name, sent }).toEqual({ name, sent: raw.split('\n').filter((l) => !l.trimStart().startsWith('//')).join('\n').trim() });
    }
  });

  test('a hop bound enters query text only as an integer from 1 to 10, as the quantifier itself', () => {
    expect(cypher('queries/risk/blast-radius', { maxHops: 6 })).toMatch(/\)\{1,6\}\(t\)/);
    expect(cypher('queries/risk/attack-paths', { maxHops: 3 })).toMatch(/\)\{1,3\}\(t\)/);
    for (const bad of [0, 11, 2.5, Number.NaN, '6} MATCH (n) DETACH DELETE n //' as unknown as number])
      expect(() => cypher('queries/risk/blast-radius', { maxHops: bad })).toThrow(/maxHops.*integer from 1 to 10/);
    expect(() => cypher('queries/risk/blast-radius')).toThrow(/template/);
  });
});
