/**
 * Attack edges on a manifest estate (test/cases/kubernetes/attack/): the edges each documented method must
 * produce, the ones its preconditions rule out, and a negative control with zero outgoing edges.
 */
import fs from 'node:fs';
import path from 'node:path';
import { countManifests, readManifestDir } from '../../../src/collectors/kubernetes/manifests.js';
import { snapshotToBatch } from '../../../src/collectors/kubernetes/transform.js';

const dir = path.join(process.cwd(), 'test/cases/kubernetes/attack');
interface Expected {
  cluster: string;
  present: Array<[string, string, string, string]>;
  absent: Array<[string, string, string | null, string | null, string]>;
  linkProblems: string[];
  skipped: Record<string, number>;
}
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;

describe('attack edges on the case estate', () => {
  let batch: ReturnType<typeof snapshotToBatch>;
  let skipped: Record<string, number>;
  beforeAll(async () => {
    const m = await readManifestDir(path.join(dir, 'estate'));
    skipped = countManifests(m).skipped;
    const { other: _o, ...snapshot } = m;
    batch = snapshotToBatch(expected.cluster, snapshot);
  });
  const edgeKey = (type: string, from: string, to: string, method: string) => `${type} ${from} → ${to} (${method})`;

  test.each(expected.present)('%s %s → %s (%s)', (type, from, to, method) => {
    const found = batch.rels.some((r) => r.type === type && r.from.id === from && r.to.id === to && (method === '' || r.key === method));
    expect(found ? edgeKey(type, from, to, method) : `missing: ${edgeKey(type, from, to, method)}`).toBe(edgeKey(type, from, to, method));
  });

  test.each(expected.absent)('not %s %s → %s (%s): %s', (type, from, to, method) => {
    const hits = batch.rels.filter((r) => r.type === type && r.from.id === from && (to === null || r.to.id === to) && (method === null || r.key === method));
    expect(hits).toEqual([]);
  });

  test('bad cloud-link annotations are reported, not linked', () => {
    expect(batch.stats.linkProblems).toEqual(expected.linkProblems);
  });

  test('custom resources are counted and skipped', () => {
    expect(skipped).toEqual(expected.skipped);
  });

  test('secret values from the manifests reach no record', () => {
    const text = JSON.stringify(batch);
    expect(text).toContain('openai-key');
    expect(text).not.toContain('sk-never-stored-0000');
    expect(text).not.toContain('c2VjcmV0LXZhbHVlLW5ldmVyLXN0b3JlZA');
  });

  test('every record passes the ingest schema', async () => {
    const { validateBatch } = await import('../../../src/graph/ingest.js');
    expect(() => validateBatch(batch.nodes, batch.rels)).not.toThrow();
  });
});
