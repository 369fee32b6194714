import fs from 'node:fs';
import path from 'node:path';
import { findingsOf, loadCatalog, priority, sortFindings } from '../../../src/risk/findings.js';
import { toSarif } from '../../../src/risk/sarif.js';
import { sarifValidator } from '../../helpers/sarif.js';

describe('findings catalog', () => {
  test('the catalog file loads: stable ids, a query per finding, every framework mapped', () => {
    const c = loadCatalog();
    expect(c.map((f) => f.id)).toEqual(['RG-001', 'RG-002', 'RG-003', 'RG-004', 'RG-005', 'RG-006', 'RG-007', 'RG-008']);
    for (const f of c) {
      expect(fs.existsSync(path.join(process.cwd(), 'cypher', 'queries', `${f.query}.cypher`))).toBe(true);
      expect(f.owaspLlm.length + f.owaspAgentic.length).toBeGreaterThan(0);
      expect(f.soc2.length * f.pciDss.length * f.hipaa.length).toBeGreaterThan(0);
    }
  });

  test('a bad catalog entry is an error naming the file and field', () => {
    const dir = fs.mkdtempSync(path.join(process.cwd(), '.tmp-catalog-'));
    try {
      const file = path.join(dir, 'catalog.json');
      fs.writeFileSync(file, JSON.stringify({ version: 1, findings: [{ ...loadCatalog()[0], severity: 'urgent' }] }));
      expect(() => loadCatalog(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: findings\\.0\\.severity`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('priority: exercised above unused, entry above none, more severe above less', () => {
    expect(priority('high', true, false)).toBeGreaterThan(priority('high', false, false));
    expect(priority('high', false, true)).toBeGreaterThan(priority('high', false, false));
    expect(priority('critical', false, false)).toBeGreaterThan(priority('high', false, false));
    expect(priority('critical', true, true)).toBe(100);
  });
});

describe('SARIF 2.1.0', () => {
  const catalog = loadCatalog();
  const hop = (type: string, from: string, to: string) => ({ type, from, to });
  const fs1 = sortFindings([
    ...findingsOf(catalog[0]!, { label: 'AIAgent', id: 'a1' }, [{ target: 'arn:aws:iam::1:role/admin', hops: [hop('MAY_ASSUME', 'sa', 'r'), hop('MAY_ESCALATE_TO', 'r', 'arn:aws:iam::1:role/admin')], exercised: false }], true),
    ...findingsOf(catalog[4]!, { label: 'AIAgent', id: 'a1' }, [{ target: '/root/.aws/credentials', hops: [hop('DID_OPEN', 'w', '/root/.aws/credentials')], exercised: true }], false),
  ]);

  test('the log validates against the SARIF 2.1.0 JSON schema', () => {
    const validate = sarifValidator();
    const log = toSarif(catalog, fs1, '0.1.0');
    expect({ valid: validate(log), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
  });

  test('an invalid log fails the same validation (the check can fail)', () => {
    const validate = sarifValidator();
    const log = toSarif(catalog, fs1, '0.1.0') as { runs: { results: Record<string, unknown>[] }[] };
    log.runs[0]!.results[0]!.level = 'fatal';
    expect(validate(log)).toBe(false);
  });

  test('results carry rule, rank = priority, a logical location and a stable fingerprint', () => {
    const log = toSarif(catalog, fs1, '0.1.0') as { runs: { results: { ruleId: string; rank: number; partialFingerprints: Record<string, string>; locations: unknown[] }[] }[] };
    const rs = log.runs[0]!.results;
    expect(rs.map((r) => [r.ruleId, r.rank])).toEqual([
      ['RG-001', 75],
      ['RG-005', 75],
    ]);
    expect(rs[0]!.locations).toEqual([{ logicalLocations: [{ name: 'a1', fullyQualifiedName: 'reachgraph/AIAgent/a1', kind: 'resource' }] }]);
    const again = toSarif(catalog, fs1, '0.1.0') as typeof log;
    expect(again.runs[0]!.results[0]!.partialFingerprints).toEqual(rs[0]!.partialFingerprints);
    expect(Object.keys(rs[0]!.partialFingerprints)).toEqual(['reachgraphIdentity/v1']);
  });
});
