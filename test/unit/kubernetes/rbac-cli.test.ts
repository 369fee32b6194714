/** `reachgraph rbac can|list --from-dir`, as a user runs it: exact JSON on stdout, kubectl-like exit codes. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const estate = 'test/cases/kubernetes/attack/estate';
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: process.cwd(), env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn' } });

describe('reachgraph rbac', () => {
  test('can … --format json prints exactly {allowed, reasons}', async () => {
    const { stdout } = await cli('rbac', 'can', 'user:minter', 'create', 'serviceaccounts', '--subresource', 'token', '-n', 'agents', '--name', 'agent', '--from-dir', estate, '--format', 'json');
    const out = JSON.parse(stdout) as { allowed: boolean; reasons: unknown[] };
    expect(Object.keys(out)).toEqual(['allowed', 'reasons']);
    expect(out.allowed).toBe(true);
    expect(out.reasons).toEqual([
      { binding: 'RoleBinding/agents/token-minter', role: 'Role/agents/token-minter', subject: 'User/minter', rule: { verbs: ['create'], apiGroups: [''], resources: ['serviceaccounts/token'], resourceNames: ['agent'] } },
    ]);
  }, 60_000);

  test('a "no" in table format prints no and exits 1, like kubectl', async () => {
    await expect(cli('rbac', 'can', 'user:minter', 'delete', 'pods', '-n', 'agents', '--from-dir', estate)).rejects.toMatchObject({ code: 1, stdout: 'no\n' });
  }, 60_000);

  test('bad input names the input and exits 2', async () => {
    await expect(cli('rbac', 'can', 'minter', 'get', 'pods', '--from-dir', estate)).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/SUBJECT "minter"/) });
    await expect(cli('rbac', 'can', 'user:x', 'get', 'pods', '--from-dir', 'no/such/dir')).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/no\/such\/dir: no such file or directory/) });
  }, 60_000);

  test('a non-resource URL without its leading "/" is refused with a message, not asked as a resource (issue 17)', async () => {
    for (const arg of ['healthz', 'version', 'logs/kube.log', 'logs/a/b', '**', '*logs']) {
      await expect(cli('rbac', 'can', 'user:x', 'get', arg, '--from-dir', estate)).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/RESOURCE ".*" is not a resource name; a non-resource URL starts with "\/"/) });
    }
    // Counter-cases: real resources, the * resource and */sub, and the URL with its "/".
    await expect(cli('rbac', 'can', 'user:x', 'get', 'pods/log', '--from-dir', estate)).rejects.toMatchObject({ code: 1, stdout: 'no\n' });
    await expect(cli('rbac', 'can', 'user:x', 'get', '*/status', '--from-dir', estate)).rejects.toMatchObject({ code: 1, stdout: 'no\n' });
    await expect(cli('rbac', 'can', 'user:x', 'get', '/healthz', '--from-dir', estate)).rejects.toMatchObject({ code: 1, stdout: 'no\n' });
  }, 60_000);

  test('list prints the effective rules, aggregated roles resolved', async () => {
    const { stdout } = await cli('rbac', 'list', 'group:auditors', '--from-dir', estate, '--format', 'json');
    const out = JSON.parse(stdout) as { rules: Array<{ scope: string; role: string; verbs: string[]; resources: string[] }> };
    expect(out.rules).toEqual([expect.objectContaining({ scope: '*', role: 'ClusterRole/auditor', verbs: ['get'], resources: ['secrets'] })]);
  }, 60_000);
});
