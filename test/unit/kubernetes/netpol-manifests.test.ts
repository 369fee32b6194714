import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countManifests, groupManifests, manifestSource, parseManifestText, readManifestDir } from '../../../src/collectors/kubernetes/manifests.js';
import { InputError } from '../../../src/errors.js';

const PLANTED = 'planted-value-7f3c9e1d';

describe('manifests reader', () => {
  it('reads multi-document YAML, kubectl List dumps and raw API lists from nested folders', async () => {
    // Given a directory with YAML, a kubectl List and a raw PodList in a subfolder
    const dir = await mkdtemp(join(tmpdir(), 'rg-manifests-'));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'a.yaml'), [
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: ns1, labels: {team: a}}',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: ns1}\nspec:\n  podSelector: {}\n  ingress:\n  - ports: [{port: http}, {port: 80, endPort: 90}]',
      '',
    ].join('\n---\n'));
    await writeFile(join(dir, 'list.json'), JSON.stringify({
      apiVersion: 'v1', kind: 'List',
      items: [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'ns1' }, rules: [] }],
    }));
    await writeFile(join(dir, 'sub', 'pods.json'), JSON.stringify({
      apiVersion: 'v1', kind: 'PodList',
      items: [{ metadata: { name: 'p1', namespace: 'ns1', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'http' }] }] } }],
    }));
    await writeFile(join(dir, 'notes.txt'), 'not a manifest');
    // When
    const m = await readManifestDir(dir);
    // Then
    expect(m.namespaces.map((n) => n.metadata?.name)).toEqual(['ns1']);
    expect(m.networkPolicies[0]?.spec?.ingress?.[0]?.ports?.map((p) => p.port)).toEqual(['http', 80]);
    expect(m.roles.map((r) => r.metadata?.name)).toEqual(['r']);
    expect(m.pods[0]?.spec?.containers[0]?.ports?.[0]?.name).toBe('http');
    expect(m.pods[0]?.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(manifestSource(m.pods[0]!)).toEqual({ file: join('sub', 'pods.json'), document: 1, line: 1, item: 0 });
    expect(manifestSource(m.networkPolicies[0]!)).toMatchObject({ file: 'a.yaml', document: 2, line: 5 });
  });

  it('keeps Secrets and ConfigMaps as metadata only, including the last-applied copy', () => {
    // Given a Secret and a ConfigMap carrying a planted value in every place kubectl puts one
    const text = [
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: n\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{"stringData":{"k":"${PLANTED}"}}'\n    keep: me\ndata: {k: ${Buffer.from(PLANTED).toString('base64')}}\nstringData: {k: ${PLANTED}}`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\ndata: {k: ${PLANTED}}\nbinaryData: {b: ${Buffer.from(PLANTED).toString('base64')}}`,
    ].join('\n---\n');
    // When
    const entries = parseManifestText(text, 's.yaml');
    // Then nothing read contains the value, in any encoding
    const dump = JSON.stringify(entries.map((e) => e.object));
    expect(dump).not.toContain(PLANTED);
    expect(dump).not.toContain(Buffer.from(PLANTED).toString('base64'));
    expect(dump).toContain('"keep":"me"');
    expect(entries.map((e) => e.bucket)).toEqual(['secrets', 'configMaps']);
  });

  it('counts unknown kinds and known kind names from a foreign API group in `other`, metadata only', () => {
    const text = `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {token: ${PLANTED}}\n---\napiVersion: example.com/v1\nkind: Role\nmetadata: {name: fake}\n`;
    const entries = parseManifestText(text, 'crd.yaml');
    expect(entries.map((e) => e.bucket)).toEqual(['other', 'other']);
    expect(JSON.stringify(entries)).not.toContain(PLANTED);
    const m = countManifests(groupManifests(entries));
    expect(m.skipped).toEqual({ 'example.com/v1/Widget': 1, 'example.com/v1/Role': 1 });
  });

  it.each([
    ['malformed YAML names file, document and line, not the text', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nkind: Secret\napiVersion: v1\nmetadata:\n  name: x\ndata:\n  a: ' + PLANTED + '\n   b: [' + PLANTED + '\n', 'x.yaml', /^x\.yaml: document 2: malformed YAML at line 10, column \d+/],
    ['invalid JSON names the file and does not quote it', '{"a": ' + PLANTED + ',}', 'y.json', /^y\.json: document 1: invalid JSON/],
    ['a missing name', 'apiVersion: v1\nkind: Pod\n', 'z.yml', /^z\.yml document 1 \(line 1\): Pod has no metadata\.name/],
    ['a missing kind', 'apiVersion: v1\nmetadata: {name: a}\n', 'k.yaml', /missing or non-string "kind"/],
    ['a non-mapping document', '- 1\n', 'r.yaml', /document must be a mapping/],
    ['labels that are not strings', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {x: 1}}\n', 'l.yaml', /metadata\.labels must be a map of strings/],
  ])('%s', (_name, text, file, pattern) => {
    let caught: unknown;
    try {
      parseManifestText(text, file);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as Error).message).toMatch(pattern);
    expect((caught as Error).message).not.toContain(PLANTED);
  });

  describe('large .json files stream item by item and read the same as small ones', () => {
    const pods = Array.from({ length: 300 }, (_, i) => ({
      metadata: { name: `p${i}`, namespace: `ns${i % 3}`, labels: { app: `a${i % 7}`, tricky: 'has } and { and ] and "quotes" \\ too' }, annotations: { 'x/items': '[{"kind":"Fake"}]' } },
      spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 + (i % 5), name: 'http' }] }] },
    }));
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns0' }, data: { k: Buffer.from(PLANTED).toString('base64') }, stringData: { k: PLANTED } };
    const shapes: Array<[string, object]> = [
      // kubectl get -o json: items carry kind, and the List's kind comes after them
      ['kubectl List', { apiVersion: 'v1', items: [...pods.map((p) => ({ apiVersion: 'v1', kind: 'Pod', ...p })), secret], kind: 'List', metadata: { resourceVersion: '' } }],
      // the raw API: kind first, items without kind
      ['raw PodList', { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1', items: 'not the items' }, items: pods }],
      // the raw API's field order reversed: items wait for the kind
      ['kind after items', { apiVersion: 'v1', items: pods, kind: 'PodList' }],
      ['a single object', { apiVersion: 'v1', kind: 'Pod', ...pods[0] }],
    ];
    it.each(shapes)('%s', async (_name, doc) => {
      const dir = await mkdtemp(join(tmpdir(), 'rg-stream-'));
      await writeFile(join(dir, 'big.json'), JSON.stringify(doc, null, 1));
      const streamed = await readManifestDir(dir, { streamJsonAbove: 0 });
      const whole = await readManifestDir(dir);
      expect(JSON.stringify(streamed)).toEqual(JSON.stringify(whole));
      expect(streamed.pods.length).toBe(_name === 'a single object' ? 1 : 300);
      // Same file, document and item; the streamed read also knows each item's line
      const noLine = (p: object) => ({ ...manifestSource(p), line: 0 });
      expect(streamed.pods.map(noLine)).toEqual(whole.pods.map(noLine));
      const lines = streamed.pods.map((p) => manifestSource(p)!.line);
      if (lines.length > 1) expect(lines.every((l, i) => i === 0 || l > lines[i - 1]!)).toBe(true);
      expect(JSON.stringify(streamed)).not.toContain(PLANTED);
    });

    it.each([
      ['a broken item, by index and line', '{"apiVersion":"v1","kind":"List","items":[\n{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}},\n{"apiVersion":"v1","kind":"Pod","metadata":{"name":' + PLANTED + '}}]}', /^big\.json: document 1: item 1: invalid JSON at line 3$/],
      ['an item that is not an object', '{"apiVersion":"v1","kind":"List","items":[1]}', /item 0 is not an object/],
      ['items in something that is not a List', '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"b"}}]}', /a top-level "items" array in a Pod, not a List/],
      ['a cut-off file', '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod"', /unterminated JSON/],
    ])('names %s', async (_n, text, pattern) => {
      const dir = await mkdtemp(join(tmpdir(), 'rg-stream-'));
      await writeFile(join(dir, 'big.json'), text);
      const err = await readManifestDir(dir, { streamJsonAbove: 0 }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(pattern);
      expect((err as Error).message).not.toContain(PLANTED);
    });
  });

  it('names a missing directory', async () => {
    await expect(readManifestDir('/nonexistent/rg-dir')).rejects.toThrow('/nonexistent/rg-dir: no such file or directory');
  });
});

