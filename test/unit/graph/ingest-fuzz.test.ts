// The standing fuzz suite of the ingest format (issue 8): generated JSON Lines inputs, mostly broken on
// purpose, through the one-pass reader and validator `reachgraph ingest` uses. Laws: an input is either
// accepted or refused with an InputError naming the file and a line that exists; nothing else is thrown;
// where the input is cut into chunks never changes the verdict; memory stays bounded whatever the input.
// The "no partial writes" law runs a sample through the real Neo4j (test/integration/ingest-safety.int.test.ts).
import fc from 'fast-check';
import { InputError } from '../../../src/errors.js';
import { MAX_LINE_BYTES, validateInput } from '../../../src/graph/ingest-file.js';

const FILE = 'fuzz.jsonl';
/** Generated inputs per run: the issue asks for at least 10,000. */
const RUNS = 10_000;

const label = fc.constantFrom('AWSRole', 'AIAgent', 'MCPTool', 'K8sServiceAccount', 'Workload', 'NetEndpoint', 'NoSuchLabel', '', 'awsrole');
const relType = fc.constantFrom('MAY_ASSUME', 'MAY_USE_TOOL', 'DID_CONNECT', 'MAY_NOPE', 'RUNS_AS');
const id = fc.oneof(fc.string({ minLength: 0, maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constant('x'.repeat(2049)));
const propKey = fc.oneof(fc.constantFrom('name', 'port', 'tags', '__proto__', 'constructor', 'source', 'syncId', '1bad', 'a-b', ''), fc.string({ maxLength: 12 }));
const propValue = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 5 }), { maxLength: 4 }), fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }));
/** JSON text of props with arbitrary keys, `__proto__` included as a real own key (as JSON.parse would make it). */
const propsText = fc.array(fc.tuple(propKey, propValue), { maxLength: 4 }).map((kv) => `{${kv.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);

const nodeLine = fc.tuple(label, id, fc.option(propsText)).map(([l, i, p]) => `{"kind":"node","label":${JSON.stringify(l)},"id":${JSON.stringify(i)}${p === null ? '' : `,"props":${p}`}}`);
const relLine = fc
  .tuple(relType, label, id, label, id, fc.option(fc.integer({ min: -2, max: 5 })), fc.option(fc.string({ maxLength: 8 })), fc.option(propsText))
  .map(
    ([t, fl, fi, tl, ti, count, key, p]) =>
      `{"kind":"rel","type":${JSON.stringify(t)},"from":{"label":${JSON.stringify(fl)},"id":${JSON.stringify(fi)}},"to":{"label":${JSON.stringify(tl)},"id":${JSON.stringify(ti)}}` +
      `${count === null ? '' : `,"count":${count}`}${key === null ? '' : `,"key":${JSON.stringify(key)}`}${p === null ? '' : `,"props":${p}`}}`,
  );
const syncLine = fc.tuple(fc.constantFrom('aws', 'notes', 'Bad Source', ''), fc.string({ maxLength: 10 }), fc.option(fc.constantFrom('replace', 'append', 'merge'))).map(([s, sc, m]) => JSON.stringify({ kind: 'sync', source: s, scope: sc, ...(m === null ? {} : { mode: m }) }));

/** A line as bytes: a record (often valid), a mutation of one, arbitrary JSON, or raw bytes (invalid UTF-8 included). */
const lineBytes = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(nodeLine, relLine, syncLine).map((s) => Buffer.from(s)) },
  { weight: 2, arbitrary: fc.tuple(fc.oneof(nodeLine, relLine), fc.nat()).map(([s, cut]) => Buffer.from(s.slice(0, cut % (s.length + 1)))) },
  { weight: 1, arbitrary: fc.json().map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: nodeLine.map((s) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s)])) },
  { weight: 1, arbitrary: fc.tuple(nodeLine, fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82])).map(([s, bad]) => Buffer.concat([Buffer.from(s.slice(0, 20)), Buffer.from(bad), Buffer.from(s.slice(20))])) },
  { weight: 1, arbitrary: fc.constantFrom(Buffer.from(''), Buffer.from('   '), Buffer.from('\r')) },
);

const input = fc.tuple(fc.array(lineBytes, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }));

function* chunked(buf: Buffer, sizes: number[]): Generator<Buffer> {
  let at = 0;
  for (let i = 0; at < buf.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield buf.subarray(at, at + n);
    at += n;
  }
}

type Verdict = { ok: true; records: number } | { ok: false; message: string };
async function verdict(chunks: Iterable<Buffer>): Promise<Verdict> {
  try {
    const scan = await validateInput(chunks as unknown as AsyncIterable<Buffer>, FILE);
    return { ok: true, records: scan.records };
  } catch (e) {
    if (!(e instanceof InputError)) throw new Error(`not an InputError: ${(e as Error).name}: ${(e as Error).message}`);
    // What `reachgraph ingest` exits with for it: 2, bad input (never 70, internal error).
    expect(e.exitCode).toBe(2);
    return { ok: false, message: e.message };
  }
}

describe('ingest format fuzz (fast-check)', () => {
  test(`given ${RUNS} generated inputs, then each is accepted or refused with an InputError naming the file and an existing line, independent of chunking`, async () => {
    await fc.assert(
      fc.asyncProperty(input, async ([lines, eol, sizes]) => {
        const buf = Buffer.concat(lines.flatMap((l, i) => (i === 0 ? [l] : [Buffer.from(eol), l])));
        const whole = await verdict([buf]);
        const pieces = await verdict(chunked(buf, sizes));
        expect(pieces).toEqual(whole);
        if (!whole.ok) {
          const m = /^fuzz\.jsonl:(\d+): \S/.exec(whole.message);
          expect(m).not.toBeNull();
          const physical = buf.toString('latin1').split('\n').length;
          expect(Number(m![1])).toBeGreaterThanOrEqual(1);
          expect(Number(m![1])).toBeLessThanOrEqual(physical);
        } else {
          // Every non-blank line is a record, except one leading sync header.
          const nonBlank = buf.toString('utf8').split('\n').filter((l) => l.replace(/^\uFEFF/, '').trim() !== '');
          expect(whole.records).toBe(nonBlank.length - (nonBlank[0]?.includes('"kind":"sync"') ? 1 : 0));
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('given an endless line, then it is refused at the line limit naming file and line, having read only that much', async () => {
    let read = 0;
    const mib = Buffer.alloc(1024 * 1024, 0x61);
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"kind":"node","label":"AIAgent","id":"a"}\n{"kind":"node","label":"AIAgent","id":"');
      for (;;) {
        read += mib.length;
        yield mib;
      }
    }
    const before = process.memoryUsage().arrayBuffers;
    const err = await validateInput(endless(), FILE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^fuzz\.jsonl:2: line longer than/);
    expect(read).toBeLessThanOrEqual(MAX_LINE_BYTES + mib.length);
    // What stayed allocated is bounded by the line limit, not by the input (which never ends).
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(4 * MAX_LINE_BYTES);
  });
});
