import { validateBatch } from '../../../src/graph/ingest.js';
import { runtimeDemoBatch } from '../../../src/demo/parts/runtime.js';

test('the runtime demo records are valid ingest records, with observed counts only on DID_* edges', () => {
  const b = runtimeDemoBatch();
  expect(() => validateBatch(b.nodes, b.rels)).not.toThrow();
  expect(b.rels.filter((r) => r.count !== undefined).every((r) => r.type.startsWith('DID_'))).toBe(true);
  expect(b.nodes.filter((n) => n.label === 'Coverage')).toHaveLength(3);
  expect(b.rels.filter((r) => r.type === 'DID_OPEN' && r.to.id.startsWith('/var/run/secrets/'))).toHaveLength(2);
});
