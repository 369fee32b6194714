import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { allowedConnections } from '../../../../src/identity/kubernetes/netpol/evaluate.js';
import { modelOf, nsObject, podObject, policyObject } from './estate.js';

const run = promisify(execFile);

// The real command, as a user runs it, on a directory of manifests.
describe('reachgraph netpol --from-dir', () => {
  const objects = [
    nsObject('x'),
    podObject({ ns: 'x', name: 'a', labels: { app: 'a' }, ports: [{ port: 80, name: 'http' }] }),
    podObject({ ns: 'x', name: 'b', labels: { app: 'b' }, ports: [{ port: 8080, name: 'http' }, { port: 53, protocol: 'UDP' }] }),
    podObject({ ns: 'y', name: 'c', labels: { app: 'c' }, ports: [{ port: 443 }] }),
    policyObject('x', 'a-from-b', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'b' } } }], ports: [{ port: 'http' }] }] }),
  ];

  it('prints exactly {"allowed": [...]} sorted, agreeing with the evaluator', async () => {
    // Given the estate as multi-document YAML (JSON documents are YAML) in a folder
    const dir = await mkdtemp(join(tmpdir(), 'rg-netpol-cli-'));
    await writeFile(join(dir, 'estate.yaml'), objects.map((o) => JSON.stringify(o)).join('\n---\n'));
    // When
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'netpol', '--from-dir', dir, '--format', 'json'], { cwd: process.cwd(), maxBuffer: 1 << 24 });
    // Then
    const out = JSON.parse(stdout) as { allowed: unknown[] };
    expect(Object.keys(out)).toEqual(['allowed']);
    expect(out.allowed).toEqual(allowedConnections(modelOf(objects)));
    expect(out.allowed).toContainEqual({ src: 'x/b', dst: 'x/a', port: 80, protocol: 'TCP' });
    expect(out.allowed).not.toContainEqual({ src: 'y/c', dst: 'x/a', port: 80, protocol: 'TCP' });
    expect(out.allowed).toContainEqual({ src: 'x/a', dst: 'x/b', port: 53, protocol: 'UDP' });
  }, 60_000);

  it('names the file and document of a bad policy and exits 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-netpol-cli-'));
    await writeFile(join(dir, 'bad.yaml'), `${JSON.stringify(objects[1])}\n---\n${JSON.stringify(policyObject('x', 'bad', { podSelector: {}, ingress: [{ ports: [{ port: 70000 }] }] }))}\n`);
    const err = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'netpol', '--from-dir', dir, '--format', 'json'], { cwd: process.cwd() }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(2);
    expect(err?.stderr).toContain('NetworkPolicy x/bad (bad.yaml document 2 (line 3)): spec.ingress[0].ports[0].port: 70000 is not a port number');
  }, 60_000);
});
