import fc from 'fast-check';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iterateManifests, parseManifestText, parseYamlChunks, readManifestDir, type ManifestEntry, type ReadOptions } from '../../../src/collectors/kubernetes/manifests.js';
import { InputError } from '../../../src/errors.js';
import { outcome } from '../../helpers/manifest-outcome.js';

const PLANTED = 'planted-value-5b1e0c7a';
const STREAM: ReadOptions = { streamYamlAbove: 0 };
const WHOLE: ReadOptions = { streamYamlAbove: Number.MAX_SAFE_INTEGER };


async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rg-yaml-stream-'));
  await writeFile(join(dir, name), text);
  return dir;
}

// Document bodies: each a few lines, `\n`-separated, without the marker line. `--- ` and `... `
// indented inside block and quoted scalars are content, not markers.
const body = (kind: string, i: number): string => {
  switch (kind) {
    case 'namespace':
      return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n${i}\n  labels: {team: a, n: "${i}"}`;
    case 'script':
      return [
        'apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: script${i}`, '  namespace: x', '  annotations:',
        '    run: |', '      echo start', '      ---', '      ...', '      --- not a marker', '      # not a comment', '',
        '      done', '    folded: >-', '      a', '       ---', '      b', `data: {k: ${PLANTED}}`,
      ].join('\n');
    case 'quoted':
      return `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa${i}\n  namespace: x\n  annotations:\n    note: "first\n      --- second\n      ... third"`;
    case 'custom':
      return `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w${i}}  # trailing comment\nspec:\n  token: ${PLANTED}\n  list:\n  - a\n  - b`;
    case 'list':
      return `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: l${i}a, namespace: x}\n- apiVersion: rbac.authorization.k8s.io/v1\n  kind: Role\n  metadata: {name: l${i}b, namespace: x}\n  rules: []`;
    case 'alias':
      return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: &n al${i}\n  labels: {copy: *n}`;
    case 'comments':
      return `# only a comment\n# and another`;
    case 'empty':
      return '';
    case 'malformed':
      return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: bad${i}\ndata:\n  a: ${PLANTED}\n   b: [${PLANTED}`;
    case 'duplicate':
      return `apiVersion: v1\nkind: Pod\nmetadata: {name: d${i}}\nkind: Pod`;
    case 'nameless':
      return `apiVersion: v1\nkind: Pod\nmetadata: {namespace: x}`;
    case 'unclosedFlow':
      return `apiVersion: v1\nkind: Pod\nmetadata: {name: u${i},\n  labels: [a`;
    case 'unindentedFlow':
      return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: u${i}\n  labels: {a: b,\n c: d}`;
    case 'unclosedQuote':
      return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "q${i}\n  namespace: x`;
    case 'tab':
      return `apiVersion: v1\nkind: Pod\nmetadata:\n\tname: t${i}`;
    default:
      throw new Error(kind);
  }
};
// Bodies that start on the marker line itself.
const INLINE: Readonly<Record<string, (i: number) => string>> = {
  flow: (i) => `{apiVersion: v1, kind: Namespace, metadata: {name: f${i}}}`,
  flowLines: (i) => `{apiVersion: v1, kind: Namespace,\n  metadata: {name: fl${i}}}`,
  tagged: (i) => `!!map\napiVersion: v1\nkind: Namespace\nmetadata: {name: t${i}}`,
  scalar: () => `|\n  text\n  --- more`,
  openFlow: (i) => `{apiVersion: v1, kind: Namespace,\nmetadata: {name: of${i}}`,
};

const goodBody = fc.constantFrom('namespace', 'script', 'quoted', 'custom', 'list', 'alias', 'comments', 'empty', 'flow', 'flowLines', 'tagged');
const badBody = fc.constantFrom('malformed', 'duplicate', 'nameless', 'unclosedFlow', 'unindentedFlow', 'unclosedQuote', 'tab', 'scalar', 'openFlow');
const anyBody = fc.oneof({ weight: 10, arbitrary: goodBody }, { weight: 1, arbitrary: badBody });
// What comes between two documents: lines before the marker, and whether there is a marker.
const between = fc.constantFrom(
  { pre: [], marker: true },
  { pre: ['...'], marker: true },
  { pre: ['...'], marker: false },
  { pre: ['# between'], marker: true },
  { pre: ['...', '# after the end', '%YAML 1.2'], marker: true },
  { pre: ['...', '%TAG !e! tag:example.com,2000:'], marker: true },
);
const leading = fc.constantFrom({ pre: [], marker: false }, { pre: [], marker: true }, { pre: ['# leading'], marker: true }, { pre: ['%YAML 1.1'], marker: true }, { pre: ['%YAML 1.2', '%TAG !e! tag:example.com,2000:'], marker: true });
const markerTail = fc.constantFrom('', ' ', '   # a comment');

const yamlFile = fc
  .record({
    first: leading,
    docs: fc.array(fc.record({ sep: between, tail: markerTail, body: anyBody }), { minLength: 1, maxLength: 8 }),
    end: fc.constantFrom('', '\n', '\n...\n', '\n---\n', '\n# trailing\n', '\n...\n# trailing\n'),
    crlf: fc.boolean(),
    bom: fc.boolean(),
  })
  .map(({ first, docs, end, crlf, bom }) => {
    const lines: string[] = [];
    docs.forEach((d, i) => {
      const sep = i === 0 ? first : d.sep;
      lines.push(...sep.pre);
      const onMarker = INLINE[d.body];
      if (onMarker) lines.push(`---${d.tail === '   # a comment' ? '   ' : ' '}${onMarker(i)}`);
      else {
        if (sep.marker) lines.push(`---${d.tail}`);
        const b = body(d.body, i);
        if (b !== '') lines.push(b);
      }
    });
    const text = (bom ? '\uFEFF' : '') + lines.join('\n') + end;
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

/** `text` cut into pieces at the given points, or every `step` characters. */
function cut(text: string, how: { readonly points: number[] } | { readonly step: number }): string[] {
  const at = 'step' in how ? Array.from({ length: Math.floor(text.length / how.step) }, (_, i) => (i + 1) * how.step) : how.points.map((p) => p % (text.length + 1)).sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const p of at) {
    pieces.push(text.slice(from, p));
    from = p;
  }
  pieces.push(text.slice(from));
  return pieces;
}
const cuts = fc.oneof(fc.record({ points: fc.array(fc.nat(), { maxLength: 12 }) }), fc.record({ step: fc.integer({ min: 1, max: 97 }) }));

describe('large YAML files stream document by document and read the same as small ones', () => {
  it('gives the same entries, sources and errors as the whole-file parse, for any file and any chunking', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-yaml-prop-'));
    const file = join(dir, 'm.yaml');
    await fc.assert(
      fc.asyncProperty(yamlFile, cuts, async (text, how) => {
        // Given a multi-document file, read whole
        const whole = await outcome(() => parseManifestText(text, 'm.yaml'));
        // When it arrives in arbitrary pieces, and when the file is read through each path
        const pieces = await outcome(() => parseYamlChunks(cut(text, how), 'm.yaml'));
        await writeFile(file, text);
        const streamedFile = await outcome(() => iterateManifests(dir, STREAM));
        const wholeFile = await outcome(() => iterateManifests(dir, WHOLE));
        // Then every read agrees, entry for entry, or on the same error naming file, document and line
        expect(pieces).toEqual(whole);
        expect(streamedFile).toEqual(whole);
        expect(wholeFile).toEqual(whole);
        if ('error' in whole) expect(whole.error).toMatch(/^m\.yaml:? document \d+(: malformed YAML at line \d+, column \d+| \(line \d+\))/);
        expect(JSON.stringify(whole)).not.toContain(PLANTED);
      }),
      { numRuns: 300, seed: 20240611 },
    );
  });

  it('carries a %YAML 1.1 directive over to the documents after it, as the whole-file parse does', async () => {
    // Given a YAML 1.1 stream where `yes` is a boolean in every document, not only the first
    // (hostNetwork is a boolean field: the reader refuses a string there, so `yes` must be read as 1.1 does)
    const text = '%YAML 1.1\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {hostNetwork: yes}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec: {hostNetwork: yes}\n';
    const dir = await tempFile('v11.yaml', text);
    // When
    const streamed = await readManifestDir(dir, STREAM);
    const whole = await readManifestDir(dir, WHOLE);
    // Then
    expect(streamed.pods.map((p) => p.spec?.hostNetwork)).toEqual([true, true]);
    expect(JSON.stringify(streamed)).toEqual(JSON.stringify(whole));
  });

  it('names file, document and line of a broken document deep in a streamed file, without quoting it', async () => {
    // Given 3,000 documents of which the 2,500th is malformed, with CRLF line endings
    const docs = Array.from({ length: 3000 }, (_, i) => (i === 2499 ? body('malformed', i) : body('namespace', i)));
    const dir = await tempFile('deep.yaml', docs.join('\n---\n').replace(/\n/g, '\r\n'));
    // When
    const streamed = await readManifestDir(dir, STREAM).then(() => undefined, (e: unknown) => e);
    const whole = await readManifestDir(dir, WHOLE).then(() => undefined, (e: unknown) => e);
    // Then: each namespace is 5 lines plus a marker; the parser flags the bad document's 6th line,
    // where the key whose value runs on with a wrong indent starts
    expect(streamed).toBeInstanceOf(InputError);
    expect((streamed as Error).message).toBe(`deep.yaml: document 2500: malformed YAML at line ${2499 * 6 + 6}, column 6 (BLOCK_AS_IMPLICIT_KEY)`);
    expect((streamed as Error).message).not.toContain(PLANTED);
    expect((whole as Error).message).toBe((streamed as Error).message);
  });

  it('names a file it cannot read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-yaml-dangling-'));
    await symlink(join(dir, 'nowhere.yaml'), join(dir, 'gone.yaml'));
    await expect(readManifestDir(dir, STREAM)).rejects.toThrow(new InputError('gone.yaml: cannot read (ENOENT)'));
  });

  it('streams 20,000 small documents, counted, with absolute lines', async () => {
    // Given one file of 20,000 ServiceAccounts, three lines each plus a marker line
    const n = 20_000;
    const text = Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa${i}, namespace: ns${i % 10}}\n`).join('---\n');
    const dir = await tempFile('many.yaml', text);
    // When it is streamed from the file, and fed in 4 KiB pieces
    const m = await readManifestDir(dir, STREAM);
    let pieces = 0;
    let last: ManifestEntry | undefined;
    for await (const e of parseYamlChunks(cut(text, { step: 4096 }), 'many.yaml')) {
      pieces++;
      last = e;
    }
    // Then every document is read once, in order, its line counted from the top of the file
    expect(m.serviceAccounts).toHaveLength(n);
    expect(m.serviceAccounts[n - 1]?.metadata?.name).toBe(`sa${n - 1}`);
    expect(pieces).toBe(n);
    expect(last?.source).toEqual({ file: 'many.yaml', document: n, line: 4 * (n - 1) + 1 });
    expect(JSON.stringify(m)).toEqual(JSON.stringify(await readManifestDir(dir, WHOLE)));
  });
});
