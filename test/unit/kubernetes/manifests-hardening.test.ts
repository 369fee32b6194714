/**
 * Manifest reader hardening (issue 8, finding 11): malformed objects are InputErrors naming file, document and
 * field (never an internal error, never a silently empty result); one big mapping does not parse in quadratic time
 * (the duplicate-key check is ours, per mapping); a one-document YAML List is streamed item by item.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { parseManifestText, parseYamlChunks, readManifestDir } from '../../../src/collectors/kubernetes/manifests.js';
import { InputError } from '../../../src/errors.js';
import { outcome } from '../../helpers/manifest-outcome.js';

const run = promisify(execFile);
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: process.cwd(), env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn' } });

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rg-manifests-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}
const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('no error');
};

describe('malformed objects: a clear error naming file, document and field', () => {
  const role = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: a}\nrules: ${rules}\n`;
  const pod = (containers: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers: ${containers}\n`;
  test.each([
    [role('garbage'), /^x\.yaml document 2 \(line 5\): Role r: rules: expected a list, got a string$/],
    [role('[null, 3]'), /^x\.yaml document 2 \(line 5\): Role r: rules\[0\]: expected an entry, got null$/],
    [role('[3]'), /^x\.yaml document 2 \(line 5\): Role r: rules\[0\]: expected a mapping, got a number$/],
    [role('[{verbs: get, resources: [pods]}]'), /Role r: rules\[0\]\.verbs: expected a list, got a string$/],
    [role('[{verbs: [get], resources: [{a: 1}]}]'), /Role r: rules\[0\]\.resources\[0\]: expected a string, got a mapping$/],
    [pod('[null, 3, "x"]'), /^x\.yaml document 2 \(line 5\): Pod p: spec\.containers\[0\]: expected an entry, got null$/],
    [pod('[3]'), /Pod p: spec\.containers\[0\]: expected a mapping, got a number$/],
    [pod('"oops"'), /Pod p: spec\.containers: expected a list, got a string$/],
    [pod('[{name: c, ports: [{containerPort: "80"}]}]'), /Pod p: spec\.containers\[0\]\.ports\[0\]\.containerPort: expected a number, got a string$/],
  ])('case %#: %p', (doc, message) => {
    const text = `apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n${doc}`;
    expect(errorOf(() => parseManifestText(text, 'x.yaml'))).toMatch(message);
  });

  test('the message never quotes the value (a Secret-like string stays out)', () => {
    const msg = errorOf(() => parseManifestText('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: "planted-secret-1f3a"}\n', 'x.yaml'));
    expect(msg).not.toContain('planted-secret-1f3a');
  });

  test('counter-case: well-formed objects, quantities as numbers and IntOrString ports still read', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, resources: {limits: {cpu: 1, memory: 1Gi}}, ports: [{containerPort: 80}]}]\n' +
      '  volumes: [{name: v, emptyDir: {sizeLimit: 1}}]\n---\n' +
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec: {podSelector: {}, ingress: [{ports: [{port: http}, {port: 80}]}]}\n';
    expect(parseManifestText(text, 'x.yaml').map((e) => e.bucket)).toEqual(['pods', 'networkPolicies']);
  });

  test('the CLI: garbage in a Role (rbac can) and containers: [null, 3, "x"] / "oops" (netpol) exit 2 with the file named, not 70', async () => {
    const badRole = await dirWith({ 'roles.yaml': role('[null, 3]') });
    await expect(cli('rbac', 'can', 'user:x', 'get', 'pods', '--from-dir', badRole)).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/roles\.yaml document 1 \(line 1\): Role r: rules\[0\]/) });
    for (const containers of ['[null, 3, "x"]', '"oops"']) {
      const dir = await dirWith({ 'pods.yaml': pod(containers) });
      await expect(cli('netpol', '--from-dir', dir, '--format', 'json')).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/pods\.yaml document 1 \(line 1\): Pod p: spec\.containers/) });
    }
  }, 120_000);
});

describe('one mapping with many keys', () => {
  test('a repeated key is still refused, with its line and column, in a big mapping and a small one', () => {
    const keys = Array.from({ length: 50_000 }, (_, i) => `  k${i}: v`).join('\n');
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n${keys}\n  k7: again\n`;
    expect(errorOf(() => parseManifestText(text, 'big.yaml'))).toBe('big.yaml: document 1: malformed YAML at line 50005, column 3 (DUPLICATE_KEY)');
    expect(errorOf(() => parseManifestText('apiVersion: v1\nkind: Namespace\nmetadata: {name: a, name: b}\n', 's.yaml'))).toBe('s.yaml: document 1: malformed YAML at line 3, column 21 (DUPLICATE_KEY)');
    // Keys equal as values only: 1 and "1" differ, as in the yaml package's own check.
    expect(parseManifestText('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, annotations: {1: a, "1": b}}\n', 'k.yaml')).toHaveLength(1);
  });
  test('without a repeated key, 50,000 keys read into one object', () => {
    const keys = Array.from({ length: 50_000 }, (_, i) => `    k${i}: v`).join('\n');
    const [e] = parseManifestText(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  labels:\n${keys}\n`, 'big.yaml');
    expect(Object.keys((e!.object as { metadata: { labels: object } }).metadata.labels)).toHaveLength(50_000);
  });
});

describe('a YAML List is streamed item by item', () => {
  const item = (kind: string, i: number): string[] => {
    switch (kind) {
      case 'pod':
        return [`apiVersion: v1`, `kind: Pod`, `metadata:`, `  name: p${i}`, `  # a comment`, `spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}`];
      case 'script':
        return [`apiVersion: v1`, `kind: ConfigMap`, `metadata: {name: s${i}}`, `data:`, `  run: |`, `    - not an item`, `    items:`, `    &notAnchor`];
      case 'kindless':
        return [`metadata: {name: k${i}, namespace: x}`, `subjects: [{kind: User, name: u}]`, `roleRef: {kind: ClusterRole, name: view}`];
      case 'scalar':
        return [`just text ${i}`];
      case 'broken':
        return [`apiVersion: v1`, `kind: Pod`, `metadata: {name: [unclosed`];
      case 'dup':
        return [`apiVersion: v1`, `kind: Namespace`, `metadata: {name: d${i}}`, `kind: Namespace`];
      default:
        return [`{apiVersion: v1, kind: Namespace, metadata: {name: f${i}}}`];
    }
  };
  const arbList = fc.record({
    listKind: fc.constantFrom('List', 'RoleBindingList', 'ConfigMap'),
    indent: fc.constantFrom('', '  ', '    '),
    items: fc.array(fc.constantFrom('pod', 'script', 'kindless', 'flow', 'pod', 'pod', 'scalar', 'broken', 'dup'), { minLength: 1, maxLength: 6 }),
    after: fc.constantFrom('', 'metadata: {}\n', '# trailing comment\n', '---\napiVersion: v1\nkind: Namespace\nmetadata: {name: next}\n'),
    cuts: fc.array(fc.nat(), { maxLength: 4 }),
  });
  test('streamed and whole-file reads of List documents give the same entries, sources and errors, for any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(arbList, async (l) => {
        const items = l.items.map((k, i) => item(k, i).map((line, j) => `${l.indent}${j === 0 ? '- ' : '  '}${line}`).join('\n')).join('\n# between items\n');
        const text = `apiVersion: v1\nkind: ${l.listKind}\nmetadata: {name: the-list}\nitems:\n${items}\n${l.after}`;
        const cuts = [...new Set(l.cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...cuts].map((c, i, all) => text.slice(c, all[i + 1] ?? text.length));
        const whole = await outcome(() => parseManifestText(text, 'l.yaml'));
        const streamed = await outcome(() => parseYamlChunks(chunks, 'l.yaml'));
        expect(streamed).toEqual(whole);
      }),
      { numRuns: 300, seed: 20261129 },
    );
  });

  test('a 6 MB one-document List reads in a 96 MB heap (the whole-document parse needed ~88x its size)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-yaml-list-'));
    const lines = ['apiVersion: v1', 'kind: List', 'items:'];
    let size = 0;
    for (let i = 0; size < 6e6; i++) {
      const it = `- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p${i}\n    namespace: ns${i % 10}\n    labels: {app: a${i % 7}}\n  spec:\n    containers:\n    - name: c\n      image: nginx\n      ports: [{containerPort: 80}]`;
      lines.push(it);
      size += it.length;
    }
    await writeFile(join(dir, 'list.yaml'), lines.join('\n') + '\n');
    const script = `const { iterateManifests } = await import(${JSON.stringify(join(process.cwd(), 'src/collectors/kubernetes/manifests.ts'))}); let n = 0; for await (const e of iterateManifests(${JSON.stringify(join(dir, 'list.yaml'))})) n++; console.log(n);`;
    const r = spawnSync(process.execPath, ['--max-old-space-size=96', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/heap out of memory/);
    expect(Number(r.stdout.trim())).toBe(lines.length - 3);
  }, 120_000);

  test('counter-case: a List small enough to be read whole gives the same entries as the streamed read', async () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: b}\n';
    const dir = await dirWith({ 'l.yaml': text });
    const whole = await readManifestDir(dir, { streamYamlAbove: Number.MAX_SAFE_INTEGER });
    const streamed = await readManifestDir(dir, { streamYamlAbove: 0 });
    expect(streamed.namespaces.map((n) => n.metadata?.name)).toEqual(['a', 'b']);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(whole));
  });
});
