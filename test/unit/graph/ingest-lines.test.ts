// The one-pass reader of `reachgraph ingest` (issue 8, finding 11): strict UTF-8, BOM, `__proto__`,
// property value limits, bounded lines. The same inputs through the real Neo4j (nothing written) are in
// test/integration/ingest-safety.int.test.ts.
import { InputError } from '../../../src/errors.js';
import { validateBatch } from '../../../src/graph/ingest.js';
import { MAX_LINE_BYTES, parseLine, streamLines, validateInput } from '../../../src/graph/ingest-file.js';
import { PROP_ARRAY_MAX, PROP_STRING_MAX, node } from '../../../src/graph/records.js';

const nodeLine = (id: string, props?: Record<string, unknown>) => JSON.stringify({ kind: 'node', label: 'AIAgent', id, ...(props ? { props } : {}) });
const scan = (...chunks: Buffer[]) => validateInput(chunks as unknown as AsyncIterable<Buffer>, 'in.jsonl');
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error);

describe('ingest reader', () => {
  test('given invalid UTF-8 in an id, then the line is refused naming file and line (no U+FFFD merging distinct ids)', async () => {
    const bad = Buffer.concat([Buffer.from(`${nodeLine('ok')}\n{"kind":"node","label":"AIAgent","id":"a`), Buffer.from([0xff]), Buffer.from('"}\n')]);
    const err = await failure(scan(bad));
    expect(err).toBeInstanceOf(InputError);
    expect(err!.message).toMatch(/^in\.jsonl:2: not valid UTF-8 \(byte 41 of the line\)/);
  });

  test('given a UTF-8 character cut by a chunk boundary, then it is decoded whole', async () => {
    const line = Buffer.from(`${nodeLine('agent-ü-€-😀')}\n`);
    const cut = line.indexOf(Buffer.from('€')) + 1;
    const got: string[] = [];
    for await (const [, text] of streamLines([line.subarray(0, cut), line.subarray(cut)] as unknown as AsyncIterable<Buffer>, 'in.jsonl')) got.push(text);
    expect(JSON.parse(got[0]!).id).toBe('agent-ü-€-😀');
  });

  test('given a UTF-8 byte order mark at the start, then line 1 is accepted; a BOM on a later line is refused', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    await expect(scan(Buffer.concat([bom, Buffer.from(`${nodeLine('a')}\r\n${nodeLine('b')}\r\n`)]))).resolves.toEqual({ records: 2 });
    const err = await failure(scan(Buffer.concat([Buffer.from(`${nodeLine('a')}\n`), bom, Buffer.from(`${nodeLine('b')}\n`)])));
    expect(err!.message).toMatch(/^in\.jsonl:2: not valid JSON/);
  });

  test('given a __proto__ key anywhere in a record, then it is refused naming the field', () => {
    expect(() => parseLine('in.jsonl', 3, '{"kind":"node","label":"AIAgent","id":"a","props":{"__proto__":{"x":1},"name":"n"}}')).toThrow('in.jsonl:3: field `props.__proto__`: the key "__proto__" is not allowed');
    expect(() => parseLine('in.jsonl', 3, '{"kind":"node","label":"AIAgent","id":"a","props":{"\\u005f_proto__":"x"}}')).toThrow(/field `props.__proto__`/);
    expect(() => parseLine('in.jsonl', 4, '{"kind":"rel","type":"MAY_USE_TOOL","from":{"label":"AIAgent","id":"a","__proto__":{}},"to":{"label":"MCPTool","id":"t"}}')).toThrow('in.jsonl:4: field `from.__proto__`');
    const props = JSON.parse('{"__proto__":"x"}') as Record<string, string>;
    expect(() => validateBatch([{ ...node('AIAgent', 'a'), props }], [])).toThrow(/props.__proto__/);
  });

  test('given property values over the limits, then the error names file, line and property', () => {
    expect(() => parseLine('in.jsonl', 5, nodeLine('a', { description: 'x'.repeat(PROP_STRING_MAX + 1) }))).toThrow(/^in\.jsonl:5: field `props.description`: .*at most 1048576 characters/);
    expect(() => parseLine('in.jsonl', 6, nodeLine('a', { tags: Array.from({ length: PROP_ARRAY_MAX + 1 }, () => 't') }))).toThrow(/^in\.jsonl:6: field `props.tags`: .*at most 10000 elements/);
    expect(() => parseLine('in.jsonl', 7, nodeLine('a', { tags: ['x'.repeat(PROP_STRING_MAX + 1)] }))).toThrow(/^in\.jsonl:7: field `props.tags/);
    expect(parseLine('in.jsonl', 8, nodeLine('a', { description: 'x'.repeat(PROP_STRING_MAX) })).kind).toBe('node');
  });

  test('given a line longer than the limit, then it is refused with file and line instead of buffering it', async () => {
    const huge = Buffer.alloc(MAX_LINE_BYTES + 10, 0x61);
    const err = await failure(scan(Buffer.from(`${nodeLine('a')}\n${nodeLine('b')}\n`), huge, Buffer.from('\n')));
    expect(err).toBeInstanceOf(InputError);
    expect(err!.message).toMatch(/^in\.jsonl:3: line longer than 16777216 bytes/);
  });

  test('given control characters in a scope or sync id, then the header is refused (they would make owner claims ambiguous)', () => {
    expect(() => parseLine('in.jsonl', 1, JSON.stringify({ kind: 'sync', source: 'notes', scope: 'a\u001fb' }))).toThrow(/field `scope`: scope may not contain control characters/);
    expect(() => parseLine('in.jsonl', 1, JSON.stringify({ kind: 'sync', source: 'notes', scope: 'a', syncId: 'x\u0000' }))).toThrow(/field `syncId`/);
  });
});
