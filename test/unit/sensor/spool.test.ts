// The sensor's on-disk spool for `sensor run --api` (src/sensor/remote.ts): bounded by bytes, oldest evicted and counted, order kept across a restart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describeBatch, ingestEndpoint, lossRecords, Spool, type BatchMeta } from '../../../src/sensor/remote.js';
import { node } from '../../../src/graph/records.js';

const dirs: string[] = [];
function freshDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-spool-'));
  dirs.push(d);
  return path.join(d, 'spool');
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function meta(i: number, records = 1, at = new Date(Date.UTC(2026, 10, 29, 12, 0, i))): BatchMeta {
  const iso = at.toISOString();
  return { batchId: `s#${i}`, records, createdAt: iso, from: iso, to: iso, workloads: [`w${i % 3}`], probes: ['net'] };
}

describe('Spool', () => {
  test('property: the bytes held never pass the bound, what is held is the newest batches in order, and every put is held or counted evicted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 300, max: 4000 }), fc.array(fc.integer({ min: 0, max: 1500 }), { minLength: 1, maxLength: 25 }), (maxBytes, sizes) => {
        const spool = new Spool({ dir: freshDir(), maxBytes, maxAgeMs: Number.MAX_SAFE_INTEGER });
        sizes.forEach((n, i) => {
          spool.put(meta(i, 2), 'x'.repeat(n));
          expect(spool.bytes).toBeLessThanOrEqual(maxBytes);
        });
        const held = spool.ids();
        const put = sizes.map((_, i) => `s#${i}`);
        // A suffix of the puts, except a batch too large to hold at all.
        const fitting = put.filter((_, i) => Buffer.byteLength(JSON.stringify(meta(i, 2)) + '\n') + sizes[i]! <= maxBytes);
        expect(held).toEqual(fitting.slice(fitting.length - held.length));
        expect(held.length > 0).toBe(fitting.length > 0);
        expect(spool.evicted.batches + spool.count).toBe(sizes.length);
        expect(spool.evicted.records).toBe(2 * spool.evicted.batches);
        const onDisk = fs.readdirSync(spool.dir).reduce((s, f) => s + fs.statSync(path.join(spool.dir, f)).size, 0);
        expect(onDisk).toBe(spool.bytes);
      }),
      { numRuns: 60 },
    );
  });

  test('given batches left by an earlier run, then a new spool over the directory sends them first, in order, and continues the sequence', () => {
    const dir = freshDir();
    const a = new Spool({ dir });
    for (let i = 0; i < 3; i++) a.put(meta(i), `body ${i}\n`);
    a.shift('s#0');
    const b = new Spool({ dir });
    expect(b.ids()).toEqual(['s#1', 's#2']);
    b.put(meta(3), 'body 3\n');
    expect(b.ids()).toEqual(['s#1', 's#2', 's#3']);
    expect(b.peek()).toEqual({ meta: meta(1), body: 'body 1\n' });
    const names = fs.readdirSync(dir).sort();
    expect(names).toHaveLength(3);
    for (const f of names) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  test('given an unreadable file and a half-written one, then the unreadable one is counted lost and the temporary one removed', () => {
    const dir = freshDir();
    new Spool({ dir }).put(meta(0), 'ok\n');
    fs.writeFileSync(path.join(dir, '0000000000000007.batch'), 'not json\n', { mode: 0o600 });
    fs.writeFileSync(path.join(dir, '0000000000000008.batch.tmp'), '{"batchId"', { mode: 0o600 });
    const s = new Spool({ dir });
    expect(s.ids()).toEqual(['s#0']);
    expect(s.evicted.batches).toBe(1);
    expect(fs.readdirSync(dir)).toEqual(['0000000000000001.batch']);
  });

  test('given batches older than the age limit, then peek evicts them as lost instead of returning them', () => {
    let now = Date.UTC(2026, 10, 29, 12, 0, 0);
    const s = new Spool({ dir: freshDir(), maxAgeMs: 60_000, now: () => now });
    s.put(meta(0, 4, new Date(now)), 'a\n');
    s.put(meta(1, 5, new Date(now + 50_000)), 'b\n');
    now += 70_000;
    expect(s.peek()?.meta.batchId).toBe('s#1');
    expect(s.evicted).toMatchObject({ batches: 1, records: 4 });
  });

  test('given evictions, then the loss spans them, is handed over once, and a batch that carried a loss mark counts that loss again when evicted', () => {
    const entry = Buffer.byteLength(JSON.stringify(meta(0, 3)) + '\n') + 200;
    // Room for three batches (one carrying a mark is a little larger).
    const s = new Spool({ dir: freshDir(), maxBytes: Math.floor(3.5 * entry), maxAgeMs: Number.MAX_SAFE_INTEGER });
    for (let i = 0; i < 4; i++) s.put(meta(i, 3), 'x'.repeat(200));
    expect(s.ids()).toEqual(['s#1', 's#2', 's#3']);
    const loss = s.takeLoss();
    expect(loss).toMatchObject({ batches: 1, records: 3, from: meta(0).from, to: meta(0).to, workloads: ['w0'] });
    expect(s.takeLoss()).toBeUndefined();
    s.put({ ...meta(4, 3), carries: { batches: 1, records: 3 } }, 'x'.repeat(200));
    for (let i = 5; i < 8; i++) s.put(meta(i, 3), 'x'.repeat(200));
    // s#1 .. s#3, then s#4 with the mark it carried (1 batch, 3 records) went.
    expect(s.ids()).toEqual(['s#5', 's#6', 's#7']);
    expect(s.takeLoss()).toMatchObject({ batches: 5, records: 15, from: meta(1).from, to: meta(4).to, workloads: ['w0', 'w1', 'w2'] });
    // Totals count each batch once: the mark's batch was counted when it went.
    expect(s.evicted).toMatchObject({ batches: 5, records: 15 });
  });

  test('shift and drop act only on the batch named: a put that evicted the batch in flight is not confused with the next', () => {
    const s = new Spool({ dir: freshDir() });
    s.put(meta(0), 'x'.repeat(200));
    s.put(meta(1), 'x'.repeat(200));
    s.shift('s#1');
    expect(s.ids()).toEqual(['s#0', 's#1']);
    s.drop('s#0');
    expect(s.ids()).toEqual(['s#1']);
    expect(s.evicted.batches).toBe(1);
  });
});

describe('batch metadata and loss marks', () => {
  test('describeBatch takes the time range, workloads and probes from the Coverage windows', () => {
    const recs = [
      node('Coverage', 'h/s/w1', { from: '2026-11-29T12:00:05.000Z', to: '2026-11-29T12:00:10.000Z', workloads: ['h/agent/b'], probes: ['net'] }),
      node('Coverage', 'h/s/w0', { from: '2026-11-29T12:00:00.000Z', to: '2026-11-29T12:00:05.000Z', workloads: ['h/agent/a'], probes: ['dns', 'net'] }),
      node('Workload', 'h/agent/a'),
    ];
    expect(describeBatch('s#1', recs, new Date('2026-11-29T13:00:00Z'))).toEqual({
      batchId: 's#1',
      records: 3,
      createdAt: '2026-11-29T13:00:00.000Z',
      from: '2026-11-29T12:00:00.000Z',
      to: '2026-11-29T12:00:10.000Z',
      workloads: ['h/agent/a', 'h/agent/b'],
      probes: ['dns', 'net'],
    });
  });

  test('lossRecords is a lost Coverage window on the host covering every workload of the evicted batches', () => {
    const recs = lossRecords('h', 'sync1', 0, { batches: 2, records: 9, from: 'a', to: 'b', workloads: ['h/agent/a', 'h/agent/b'], probes: ['net'] });
    expect(recs[0]).toMatchObject({ kind: 'node', label: 'Coverage', id: 'h/sync1/spool-lost-0', props: { lost: true, spoolEvicted: 2, spoolEvictedRecords: 9, from: 'a', to: 'b' } });
    expect(recs.slice(1).map((r) => (r.kind === 'rel' ? `${r.type}->${r.to.id}` : ''))).toEqual(['ON_HOST->h', 'COVERS->h/agent/a', 'COVERS->h/agent/b']);
  });

  test('ingestEndpoint appends ingest to the base URL and refuses non-HTTP URLs and credentials in the URL', () => {
    expect(ingestEndpoint('http://api.example:4000')).toBe('http://api.example:4000/ingest');
    expect(ingestEndpoint('https://api.example/rg/')).toBe('https://api.example/rg/ingest');
    expect(() => ingestEndpoint('ftp://x')).toThrow(/--api: an http:\/\/ or https:\/\/ URL/);
    expect(() => ingestEndpoint('not a url')).toThrow(/--api: not a URL/);
    expect(() => ingestEndpoint('https://u:p@x/')).toThrow(/no credentials in the URL/);
  });
});
