// Known-vulnerable AI components from a user-supplied OSV export: offline, exact versions only.
import fs from 'node:fs';
import { compareVersions, loadOsv, matchAdvisories } from '../../../src/collectors/aibom/osv.js';
import { aibomFindings } from '../../../src/collectors/aibom/findings.js';
import { scanAibom } from '../../../src/collectors/aibom/scan.js';

const TREE = new URL('../../cases/aibom/agent-tree', import.meta.url).pathname;
const OSV = new URL('../../cases/aibom/osv/advisories.json', import.meta.url).pathname;

test.each([
  ['1.10.0', '1.9.9', 1],
  ['0.3.7', '0.3.8', -1],
  ['1.0', '1.0.0', 0],
  ['1.0.0rc1', '1.0.0', -1],
  ['1.0.0-beta.2', '1.0.0', -1],
  ['1.0.0.post1', '1.0.0', 1],
  ['2.0.0a1', '1.9.0', 1],
])('compareVersions(%s, %s) = %d', (a, b, want) => {
  expect(compareVersions(a, b)).toBe(want);
});

test('pinned components inside a range or listed by version match; fixed ranges and unpinned ranges do not', async () => {
  const scan = await scanAibom(TREE);
  const { advisories, errors } = loadOsv(OSV);
  expect(errors).toEqual([]);
  const m = matchAdvisories(scan.components, advisories).map((x) => `${x.component.agent} ${x.component.name}@${x.component.version} ${x.advisory.id}`);
  expect(m).toEqual(['node-agent openai@4.70.0 TEST-OAI-0002', 'py-agent langchain@0.3.7 TEST-LC-0001']);
  const f = aibomFindings(scan, [], matchAdvisories(scan.components, advisories)).filter((x) => x.rule === 'vulnerable-component');
  expect(f.map((x) => [x.id, x.severity])).toEqual([
    ['aibom:vulnerable-component:node-agent/npm/openai@4.70.0/TEST-OAI-0002', 'medium'],
    ['aibom:vulnerable-component:py-agent/pypi/langchain@0.3.7/TEST-LC-0001', 'critical'],
  ]);
  expect(f[1]!.subject).toEqual({ label: 'AgentFramework', id: 'pypi/langchain@0.3.7' });
});

test('bad advisory files are errors naming the file and record; a directory of files is read', () => {
  const dir = fs.mkdtempSync('/tmp/aibom-osv-');
  fs.copyFileSync(OSV, `${dir}/a.json`);
  fs.writeFileSync(`${dir}/b.json`, '[{"id": "X-1", "affected": [{"package": {"ecosystem": "npm"}}]}]');
  fs.writeFileSync(`${dir}/c.json`, '{ not json');
  const { advisories, errors } = loadOsv(dir);
  expect(advisories.map((a) => a.id)).toEqual(['TEST-LC-0001', 'TEST-OAI-0002', 'TEST-CREW-0003', 'TEST-LG-0004']);
  expect(errors).toEqual([
    { file: `${dir}/b.json`, message: 'record 0: field `affected.0.package.name`: Invalid input: expected string, received undefined' },
    { file: `${dir}/c.json`, message: expect.stringMatching(/^line 1: invalid JSON/) },
  ]);
  expect(() => loadOsv(`${dir}/missing.json`)).toThrow('--osv');
});
