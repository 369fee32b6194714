/** The watch path writes only the difference between two batches: applying it to the old batch gives the new one. */
import fc from 'fast-check';
import { diffBatches } from '../../../src/collectors/kubernetes/collect.js';
import { node, rel, type Batch, type NodeRecord, type RelRecord } from '../../../src/graph/records.js';

// diffBatches takes the collector's index form; build it the same way the collector does.
const nodeKey = (n: NodeRecord) => `${n.label}\u0000${n.id}`;
const relKey = (r: RelRecord) => `${r.type}\u0000${r.from.label}\u0000${r.from.id}\u0000${r.to.label}\u0000${r.to.id}\u0000${r.key ?? ''}`;
const index = (b: Batch) => ({
  nodes: new Map(b.nodes.map((n) => [nodeKey(n), { rec: n, json: JSON.stringify(n.props ?? {}) }])),
  rels: new Map(b.rels.map((r) => [relKey(r), { rec: r, json: JSON.stringify(r.props ?? {}) }])),
});

/** What the graph holds after applying a diff: MERGE with `+=` (null removes a property), then deletes. */
function apply(before: Batch, d: ReturnType<typeof diffBatches>): Batch {
  const nodes = new Map(before.nodes.map((n) => [nodeKey(n), { ...n, props: { ...(n.props ?? {}) } }]));
  for (const n of d.upsert.nodes) {
    const cur = nodes.get(nodeKey(n)) ?? { ...n, props: {} };
    const props = { ...(cur.props ?? {}), ...(n.props ?? {}) };
    for (const [k, v] of Object.entries(props)) if (v === null) delete props[k];
    nodes.set(nodeKey(n), { ...n, props });
  }
  for (const n of d.removeNodes) nodes.delete(nodeKey(n));
  const rels = new Map(before.rels.map((r) => [relKey(r), r]));
  for (const r of d.upsert.rels) {
    const props = { ...(rels.get(relKey(r))?.props ?? {}), ...(r.props ?? {}) };
    for (const [k, v] of Object.entries(props)) if (v === null) delete props[k];
    rels.set(relKey(r), { ...r, props });
  }
  for (const r of d.removeRels) rels.delete(relKey(r));
  return { nodes: [...nodes.values()], rels: [...rels.values()] };
}
const norm = (b: Batch) => ({
  nodes: b.nodes.map((n) => [nodeKey(n), n.props ?? {}]).sort((a, c) => String(a[0]).localeCompare(String(c[0]))),
  rels: b.rels.map((r) => [relKey(r), r.props ?? {}]).sort((a, c) => String(a[0]).localeCompare(String(c[0]))),
});

const arbProps = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('x', 'y')), { maxKeys: 3 });
const arbBatch: fc.Arbitrary<Batch> = fc
  .record({
    nodes: fc.uniqueArray(fc.record({ id: fc.constantFrom('n1', 'n2', 'n3', 'n4'), props: arbProps }), { selector: (n) => n.id }),
    rels: fc.uniqueArray(fc.record({ from: fc.constantFrom('n1', 'n2'), to: fc.constantFrom('n3', 'n4'), key: fc.constantFrom('', 'm1', 'm2'), props: arbProps }), { selector: (r) => `${r.from}${r.to}${r.key}` }),
  })
  .map(({ nodes, rels }) => ({
    nodes: nodes.map((n) => node('K8sPod', n.id, n.props)),
    rels: rels.map((r) => rel('MAY_ACT_AS', { label: 'K8sPod', id: r.from }, { label: 'K8sPod', id: r.to }, { key: r.key, props: r.props })),
  }));

test('applying the diff to the old batch yields the new batch', () => {
  fc.assert(
    fc.property(arbBatch, arbBatch, (before, after) => {
      const d = diffBatches(index(before), index(after));
      expect(norm(apply(before, d))).toEqual(norm(after));
    }),
    { numRuns: 300 },
  );
});

test('an unchanged batch gives an empty diff', () => {
  fc.assert(
    fc.property(arbBatch, (b) => {
      const d = diffBatches(index(b), index(b));
      return d.upsert.nodes.length + d.upsert.rels.length + d.removeNodes.length + d.removeRels.length === 0;
    }),
  );
});
