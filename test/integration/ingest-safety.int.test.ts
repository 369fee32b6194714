// Issue 8, the ingest core: no sync deletes what it does not own. Each describe block reproduces one finding
// against the real Neo4j: concurrent syncs of one scope (1), a single read of the input (2), ownership by
// claims (3), the footprint of a nodes-only sync (4), crash bookkeeping (5), the smaller input checks (11),
// and a fuzzed sample of invalid files that must write nothing.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { Graph } from '../../src/graph/driver.js';
import { runSync, type SyncSummary } from '../../src/graph/ingest.js';
import { ingestFile } from '../../src/graph/ingest-file.js';
import { CLAIM_SEP, SyncBusyError } from '../../src/graph/sync-lease.js';
import { node, rel, type NodeRecord, type RelRecord } from '../../src/graph/records.js';
import { InputError } from '../../src/errors.js';
import { projectRoot } from '../../src/paths.js';
import { useTestEnv } from '../helpers/env.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';

let graph: Graph;
let dir: string;
beforeAll(async () => {
  graph = await testGraph();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-safety-'));
});
afterAll(async () => {
  await graph.close();
});

const q = (text: string, params: Record<string, unknown> = {}) => graph.readText(text, params, 'test');
async function count(scope: string): Promise<{ nodes: number; rels: number }> {
  const rows = await q('MATCH (n) WHERE n.scope = $scope AND NOT n:Sync WITH count(n) AS nodes OPTIONAL MATCH ()-[r]->() WHERE r.scope = $scope RETURN nodes, count(r) AS rels', { scope });
  return { nodes: Number(rows[0]!.nodes), rels: Number(rows[0]!.rels) };
}
const syncsOf = (scope: string) => q('MATCH (s:Sync) WHERE s.scope = $scope RETURN s.id AS id, s.status AS status, s.error AS error ORDER BY s.startedAt', { scope });

const role = (id: string) => ({ label: 'AWSRole' as const, id });
/** n roles in a chain plus two edges per role: a scope with many more relationships than nodes. */
function estate(scope: string, n: number, header: Record<string, unknown> = { kind: 'sync', source: 'safety', scope }): unknown[] {
  const ids = Array.from({ length: n }, (_, i) => `${scope}:r${i}`);
  return [
    header,
    ...ids.map((id) => node('AWSRole', id, { name: id })),
    ...ids.slice(1).map((id, i) => rel('MAY_ASSUME', role(ids[i]!), role(id))),
    ...ids.slice(1).map((id, i) => rel('MAY_ESCALATE_TO', role(id), role(ids[i]!), { key: 'm' })),
  ];
}
function writeJsonl(name: string, records: unknown[]): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return f;
}
/** A promise and the function that resolves it: holds a producer inside its sync while a test looks. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}
const settled = async (p: Promise<unknown>) => Promise.race([p.then(() => true, () => true), new Promise((r) => setTimeout(() => r(false), 300))]);

describe('finding 1: two syncs of one source and scope at once', () => {
  test('given two ingests of one file for one scope started together, then the second waits for the first and the scope ends with the full data', async () => {
    const scope = uniqueScope('twin');
    const f = writeJsonl('twin.jsonl', estate(scope, 400));
    const [a, b] = await Promise.all([ingestFile(graph, f, { progress: false, batchSize: 100 }), ingestFile(graph, f, { progress: false, batchSize: 100 })]);
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
    expect(await count(scope)).toEqual({ nodes: 400, rels: 798 });
    expect((await syncsOf(scope)).map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
    expect(a.removedNodes + a.removedRels + b.removedNodes + b.removedRels).toBe(0);
  });

  test('given a running sync, when a second one of the pair may not wait, then it is refused with a message naming the holder and writes nothing', async () => {
    const scope = uniqueScope('busy');
    const g = gate();
    const first = runSync(graph, { source: 'safety', scope, syncId: `${scope}-first`, progress: false }, async (sink) => {
      await sink.write({ nodes: [node('AWSRole', `${scope}:a`)] });
      await g.opened;
    });
    while ((await count(scope)).nodes === 0) await new Promise((r) => setTimeout(r, 50));
    const err = await runSync(graph, { source: 'safety', scope, leaseWaitMs: 0, progress: false }, (sink) => sink.write({ nodes: [node('AWSRole', `${scope}:b`)] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncBusyError);
    expect((err as SyncBusyError).code).toBe('SYNC_BUSY');
    expect((err as Error).message).toMatch(new RegExp(`^safety/${scope}: another sync of this source and scope is running: sync ${scope}-first \\(host `));
    g.open();
    await expect(first).resolves.toMatchObject({ status: 'succeeded' });
    expect((await q('MATCH (n:AWSRole) WHERE n.scope = $scope RETURN n.id AS id', { scope })).map((r) => r.id)).toEqual([`${scope}:a`]);
  });

  test('given a full collect running, when a watch burst (atomic) of the same scope arrives, then it waits and neither loses the other\'s data', async () => {
    const scope = uniqueScope('watch');
    const g = gate();
    const full = runSync(graph, { source: 'safety', scope, progress: false }, async (sink) => {
      await sink.write({ nodes: [node('AWSRole', `${scope}:a`), node('AWSRole', `${scope}:b`)] });
      await g.opened;
    });
    while ((await count(scope)).nodes === 0) await new Promise((r) => setTimeout(r, 50));
    const burst = runSync(graph, { source: 'safety', scope, mode: 'append', atomic: true, progress: false }, (sink) => sink.write({ nodes: [node('AWSRole', `${scope}:c`)] }));
    expect(await settled(burst)).toBe(false);
    g.open();
    const [f, b] = await Promise.all([full, burst]);
    expect([f.status, b.status]).toEqual(['succeeded', 'succeeded']);
    // Without the lease the full sync's cleanup removed c, written by the burst during the collect.
    expect((await q('MATCH (n:AWSRole) WHERE n.scope = $scope RETURN n.id AS id ORDER BY id', { scope })).map((r) => r.id)).toEqual([`${scope}:a`, `${scope}:b`, `${scope}:c`]);
  });

  test('given a sync that runs longer than its lease time, then its heartbeat keeps the lease and the next sync of the pair waits instead of taking over', async () => {
    const scope = uniqueScope('beat');
    const g = gate();
    const long = runSync(graph, { source: 'safety', scope, mode: 'append', leaseTtlMs: 400, progress: false }, async (sink) => {
      await sink.write({ nodes: [node('AWSRole', `${scope}:a`)] });
      await g.opened;
      await sink.write({ nodes: [node('AWSRole', `${scope}:b`)] });
    });
    while ((await count(scope)).nodes === 0) await new Promise((r) => setTimeout(r, 50));
    const next = runSync(graph, { source: 'safety', scope, mode: 'append', leaseTtlMs: 400, progress: false }, (sink) => sink.write({ nodes: [node('AWSRole', `${scope}:c`)] }));
    await new Promise((r) => setTimeout(r, 1500)); // several lease times
    expect(await settled(next)).toBe(false);
    g.open();
    await expect(long).resolves.toMatchObject({ status: 'succeeded', nodes: 2 });
    await expect(next).resolves.toMatchObject({ status: 'succeeded', nodes: 1 });
    expect((await syncsOf(scope)).map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
  });
});

describe('finding 2: the input is read once', () => {
  test('given a FIFO whose writer appends a bad line after many good ones, then the ingest fails naming that line and writes nothing', async () => {
    const scope = uniqueScope('fifo');
    const fifo = path.join(dir, `${scope}.fifo`);
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const lines = estate(scope, 500).map((r) => JSON.stringify(r));
    const writer = (async () => {
      const w = fs.createWriteStream(fifo);
      for (const l of lines) if (!w.write(l + '\n')) await new Promise<void>((r) => w.once('drain', () => r()));
      await new Promise((r) => setTimeout(r, 200));
      w.end('{"kind":"node","label":"AWSRole"}\n');
      await new Promise<void>((r) => w.once('close', () => r()));
    })();
    const err = await ingestFile(graph, fifo, { progress: false, batchSize: 50 }).catch((e: unknown) => e);
    await writer;
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message.startsWith(`${fifo}:${lines.length + 1}: field \`id\`: `)).toBe(true);
    expect(await count(scope)).toEqual({ nodes: 0, rels: 0 });
    expect(await syncsOf(scope)).toEqual([]);
  });

  test('given a scope with data, when an empty input is ingested in replace mode, then it is refused and the data stays; --allow-empty removes it', async () => {
    const scope = uniqueScope('empty');
    await ingestFile(graph, writeJsonl('full.jsonl', estate(scope, 3)), { progress: false });
    const empty = writeJsonl('empty.jsonl', [{ kind: 'sync', source: 'safety', scope }]);
    await expect(ingestFile(graph, empty, { progress: false })).rejects.toThrow(new InputError(`${empty}: no node or relationship records; a replace-mode sync of an empty input would remove everything safety/${scope} holds (pass --allow-empty to mean that, or use --mode append)`));
    expect(await count(scope)).toEqual({ nodes: 3, rels: 4 });
    await expect(ingestFile(graph, empty, { progress: false, mode: 'append' })).resolves.toMatchObject({ nodes: 0, removedNodes: 0 });
    const wiped = await ingestFile(graph, empty, { progress: false, allowEmpty: true });
    expect(wiped).toMatchObject({ status: 'succeeded', removedNodes: 3, removedRels: 4 });
    expect(await count(scope)).toEqual({ nodes: 0, rels: 0 });
  });

  test('given an ingest, then its spooled copy is private while it runs and gone afterwards', async () => {
    const scope = uniqueScope('spool');
    const before = new Set(fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('reachgraph-ingest-')));
    const g = gate();
    const f = writeJsonl('spool.jsonl', estate(scope, 3, { kind: 'sync', source: 'safety', scope, mode: 'append' }));
    // Hold the lease so the ingest waits after spooling: its spool can be looked at.
    const holder = runSync(graph, { source: 'safety', scope, mode: 'append', progress: false }, () => g.opened);
    while ((await q('MATCH (l:SyncLease {id: $id}) RETURN l.syncId AS s', { id: `safety${CLAIM_SEP}${scope}` }))[0]?.s == null) await new Promise((r) => setTimeout(r, 50));
    const running = ingestFile(graph, f, { progress: false });
    let spool: string | undefined;
    while (!spool) {
      const d = fs.readdirSync(os.tmpdir()).find((x) => x.startsWith('reachgraph-ingest-') && !before.has(x));
      if (d && fs.existsSync(path.join(os.tmpdir(), d, 'input.jsonl'))) spool = path.join(os.tmpdir(), d, 'input.jsonl');
      else await new Promise((r) => setTimeout(r, 20));
    }
    expect(fs.statSync(spool).mode & 0o777).toBe(0o600);
    g.open();
    await holder;
    await expect(running).resolves.toMatchObject({ status: 'succeeded', nodes: 3 });
    expect(fs.existsSync(spool)).toBe(false);
  });
});

describe('finding 3: ownership by claims', () => {
  test('given a role the aws source owns, when a notes file that named it drops it, then the role, its properties and every aws relationship stay, and the counts are true', async () => {
    const acct = uniqueScope('acct');
    const notes = `${acct}-notes.jsonl`;
    const [r, s, sa] = [role(`${acct}:role/agent`), role(`${acct}:role/admin`), { label: 'K8sServiceAccount' as const, id: `${acct}/ml/sa` }];
    await runSync(graph, { source: 'aws', scope: acct, progress: false }, (sink) =>
      sink.write({ nodes: [node('AWSRole', r.id, { name: 'agent' }), node('AWSRole', s.id, { name: 'admin' })], rels: [rel('MAY_ASSUME', r, s), rel('MAY_ESCALATE_TO', r, s, { key: 'passrole' })] }),
    );
    await runSync(graph, { source: 'kubernetes', scope: acct, progress: false }, (sink) => sink.write({ nodes: [node('K8sServiceAccount', sa.id)], rels: [rel('MAY_ASSUME', sa, r, { props: { via: 'irsa' } })] }));
    // The notes file names the role (last writer now) and repeats one aws relationship, plus a note of its own.
    const note = { label: 'AIAgent' as const, id: `${acct}:agent` };
    await runSync(graph, { source: 'notes', scope: notes, progress: false }, (sink) =>
      sink.write({ nodes: [node('AWSRole', r.id, { note: 'seen in a runbook' }), node('AIAgent', note.id)], rels: [rel('MAY_ASSUME', r, s), rel('MAY_ASSUME', note, r)] }),
    );
    const shared = await q('MATCH (n:AWSRole {id: $id}) RETURN n.source AS source, n.shared AS shared, n.claims AS claims', { id: r.id });
    expect(shared).toEqual([{ source: 'notes', shared: true, claims: [expect.stringMatching(new RegExp(`^aws${CLAIM_SEP}${acct}${CLAIM_SEP}aws:`)), expect.stringMatching(new RegExp(`^notes${CLAIM_SEP}${notes}${CLAIM_SEP}notes:`))] }]);
    expect(await q('MATCH (:AWSRole {id: $from})-[e:MAY_ASSUME]->(:AWSRole {id: $to}) RETURN e.shared AS shared, size(e.claims) AS claims', { from: r.id, to: s.id })).toEqual([{ shared: true, claims: 2 }]);
    // The next notes sync has only its agent: it drops its claims on the role and on the shared edge.
    const s2 = await runSync(graph, { source: 'notes', scope: notes, progress: false }, (sink) => sink.write({ nodes: [node('AIAgent', note.id)] }));
    expect(s2).toMatchObject({ status: 'succeeded', removedNodes: 0, removedRels: 1 });
    const left = await q('MATCH (n:AWSRole {id: $id}) RETURN n.name AS name, n.source AS source, n.scope AS scope, n.shared AS shared, n.claims AS claims', { id: r.id });
    // One owner left: it is the provenance, and no claims list is kept.
    expect(left).toEqual([{ name: 'agent', source: 'aws', scope: acct, shared: null, claims: null }]);
    const edges = await q('MATCH (a)-[e]->(b:AWSRole) WHERE b.id IN $ids RETURN a.id AS from, type(e) AS type, e.source AS source, e.shared AS shared ORDER BY from, type', { ids: [r.id, s.id] });
    expect(edges).toEqual([
      { from: `${acct}/ml/sa`, type: 'MAY_ASSUME', source: 'kubernetes', shared: null },
      { from: r.id, type: 'MAY_ASSUME', source: 'aws', shared: null },
      { from: r.id, type: 'MAY_ESCALATE_TO', source: 'aws', shared: null },
    ]);
    // When aws drops the role too, nobody claims it: it goes, with the aws edges; the kubernetes edge keeps it as a stub.
    const s3 = await runSync(graph, { source: 'aws', scope: acct, progress: false }, (sink) => sink.write({ nodes: [node('AWSRole', s.id, { name: 'admin' })] }));
    expect(s3).toMatchObject({ removedNodes: 1, removedRels: 2 });
    expect(await q('MATCH (n:AWSRole {id: $id}) RETURN n.stub AS stub, n.name AS name', { id: r.id })).toEqual([{ stub: true, name: null }]);
    expect(await q('MATCH (:K8sServiceAccount {id: $id})-[e:MAY_ASSUME]->() RETURN e.via AS via', { id: sa.id })).toEqual([{ via: 'irsa' }]);
  });

  test('given a node one source owns alone, when it is dropped, then the relationships removed with it are counted', async () => {
    const scope = uniqueScope('counts');
    const [a, b, c] = [role(`${scope}:a`), role(`${scope}:b`), role(`${scope}:c`)];
    await runSync(graph, { source: 'safety', scope, progress: false }, (sink) => sink.write({ nodes: [node('AWSRole', a.id), node('AWSRole', b.id)], rels: [rel('MAY_ASSUME', a, b), rel('MAY_ASSUME', b, c)] }));
    const s2 = await runSync(graph, { source: 'safety', scope, progress: false }, (sink) => sink.write({ nodes: [node('AWSRole', a.id)] }));
    // b and the stub c are gone, and both relationships: every removal is in the summary.
    expect(s2).toMatchObject({ removedNodes: 2, removedRels: 2 });
    expect(await q('MATCH (n:AWSRole) WHERE n.id STARTS WITH $p RETURN n.id AS id', { p: `${scope}:` })).toEqual([{ id: a.id }]);
  });
});

describe('finding 4: a sync that wrote only nodes', () => {
  test('given a nodes-only sync, when the next sync of the scope writes other labels, then the stale nodes are cleaned up', async () => {
    const scope = uniqueScope('nodesonly');
    await runSync(graph, { source: 'safety', scope, progress: false }, (sink) => sink.write({ nodes: [node('AIAgent', `${scope}:a`), node('AIAgent', `${scope}:b`)] }));
    const s2 = await runSync(graph, { source: 'safety', scope, progress: false }, (sink) => sink.write({ nodes: [node('AWSRole', `${scope}:r`)] }));
    expect(s2).toMatchObject({ removedNodes: 2, removedRels: 0 });
    expect(await count(scope)).toEqual({ nodes: 1, rels: 0 });
  });
});

describe('finding 5: a sync whose writer died', () => {
  test('given an ingest process killed with SIGKILL mid-run, when another sync of the scope runs, then the first is recorded failed and the data of the second is complete', async () => {
    useTestEnv();
    const scope = uniqueScope('killed');
    const big = writeJsonl('big.jsonl', estate(scope, 20_000));
    const child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js'), 'ingest', big, '--batch-size', '100'], { env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn' }, stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    while ((await count(scope)).nodes === 0) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await exited;
    const partial = await count(scope);
    expect(partial.nodes).toBeGreaterThan(0);
    expect(partial.nodes + partial.rels).toBeLessThan(20_000 + 2 * 19_999);
    const [first] = await syncsOf(scope);
    expect(first).toMatchObject({ status: 'running' });
    // The partial writes carry the dead sync's id in their claims.
    expect(await q('MATCH (n:AWSRole) WHERE n.scope = $scope AND n.syncId <> $id RETURN count(n) AS c', { scope, id: first!.id })).toEqual([{ c: 0 }]);

    const small = writeJsonl('small.jsonl', estate(scope, 50));
    const second = await ingestFile(graph, small, { progress: false, leaseWaitMs: 0 });
    expect(second).toMatchObject({ status: 'succeeded', nodes: 50, rels: 98 });
    const syncs = await syncsOf(scope);
    expect(syncs).toEqual([
      { id: first!.id, status: 'failed', error: expect.stringMatching(/^abandoned: its writer stopped before it finished/) },
      { id: second.syncId, status: 'succeeded', error: null },
    ]);
    // Replace mode also removed what the dead sync wrote beyond the new data.
    expect(await count(scope)).toEqual({ nodes: 50, rels: 98 });
  });

  test('given a sync left running when Neo4j died mid-ingest, when its lease expired, then the next start records it failed and cleans its partial writes', async () => {
    const scope = uniqueScope('neo4jdied');
    const dead = `${scope}-dead`;
    // What a Neo4j crash leaves: the Sync still `running`, the lease of a writer elsewhere, now expired, and partial data.
    const session = graph.driver.session({ database: graph.database });
    try {
      await session.executeWrite((tx) =>
        tx.run(
          `CREATE (:Sync {id: $dead, source: 'safety', scope: $scope, mode: 'replace', status: 'running', startedAt: datetime()})
           CREATE (:SyncLease {id: $key, syncId: $dead, host: 'elsewhere', pid: 1, expiresAt: datetime() - duration('PT5S')})
           CREATE (:AWSRole {id: $partial, source: 'safety', scope: $scope, syncId: $dead, claims: [$claim]})`,
          { dead, scope, key: `safety${CLAIM_SEP}${scope}`, partial: `${scope}:partial`, claim: `safety${CLAIM_SEP}${scope}${CLAIM_SEP}${dead}` },
        ),
      );
    } finally {
      await session.close();
    }
    const next: SyncSummary = await runSync(graph, { source: 'safety', scope, leaseWaitMs: 0, progress: false }, (sink) => sink.write({ nodes: [node('AWSRole', `${scope}:new`)] }));
    expect(next).toMatchObject({ status: 'succeeded', removedNodes: 1 });
    expect(await syncsOf(scope)).toEqual([
      { id: dead, status: 'failed', error: expect.stringMatching(/^abandoned: .*found when sync .* took the lease/) },
      { id: next.syncId, status: 'succeeded', error: null },
    ]);
    expect((await q('MATCH (n:AWSRole) WHERE n.scope = $scope RETURN n.id AS id', { scope })).map((r) => r.id)).toEqual([`${scope}:new`]);
  });

  test('given a lease held by a live writer on another host, then a sync that may not wait is refused', async () => {
    const scope = uniqueScope('remote');
    await graph.driver.executeQuery(`CREATE (:SyncLease {id: $key, syncId: 'remote-sync', host: 'elsewhere', pid: 1, expiresAt: datetime() + duration('PT60S')})`, { key: `safety${CLAIM_SEP}${scope}` }, { database: graph.database });
    await expect(runSync(graph, { source: 'safety', scope, leaseWaitMs: 0, progress: false }, (sink) => sink.write({}))).rejects.toThrow(/another sync of this source and scope is running: sync remote-sync \(host elsewhere, pid 1, lease until /);
    expect(await syncsOf(scope)).toEqual([]);
  });
});

describe('finding 11: smaller ingest checks, nothing written', () => {
  const bad: [string, (scope: string) => Buffer, RegExp][] = [
    ['invalid UTF-8', (s) => Buffer.concat([Buffer.from(`{"kind":"node","label":"AWSRole","id":"${s}:a"}\n{"kind":"node","label":"AWSRole","id":"${s}:`), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]), /:2: not valid UTF-8/],
    ['a __proto__ key', (s) => Buffer.from(`{"kind":"node","label":"AWSRole","id":"${s}:a"}\n{"kind":"node","label":"AWSRole","id":"${s}:b","props":{"__proto__":{"admin":true}}}\n`), /:2: field `props.__proto__`/],
    ['a 2 MiB property value', (s) => Buffer.from(`{"kind":"node","label":"AWSRole","id":"${s}:a","props":{"blob":"${'x'.repeat(2 * 1024 * 1024)}"}}\n`), /:1: field `props.blob`: property values are at most 1048576 characters/],
    ['a 17 MiB line', (s) => Buffer.from(`{"kind":"node","label":"AWSRole","id":"${s}:a"}\n{"kind":"node","label":"AWSRole","id":"${s}:${'y'.repeat(17 * 1024 * 1024)}"}\n`), /:2: line longer than 16777216 bytes/],
  ];
  test.each(bad)('given %s, then ingest refuses it naming file and line and writes nothing', async (_what, make, msg) => {
    const scope = uniqueScope('small');
    const f = path.join(dir, `${scope}.jsonl`);
    fs.writeFileSync(f, make(scope));
    const err = await ingestFile(graph, f, { progress: false, scope }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message.startsWith(f)).toBe(true);
    expect((err as Error).message).toMatch(msg);
    expect(await count(scope)).toEqual({ nodes: 0, rels: 0 });
  });

  test('given a UTF-8 byte order mark at the start of the file, then the file is ingested', async () => {
    const scope = uniqueScope('bom');
    const f = path.join(dir, `${scope}.jsonl`);
    fs.writeFileSync(f, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`{"kind":"sync","source":"safety","scope":"${scope}"}\r\n{"kind":"node","label":"AWSRole","id":"${scope}:a"}\r\n`)]));
    await expect(ingestFile(graph, f, { progress: false })).resolves.toMatchObject({ status: 'succeeded', nodes: 1, scope });
  });
});

describe('fuzzed invalid files through the real Neo4j', () => {
  test('given generated files with one broken line, then every ingest fails with an InputError naming that line and writes nothing', async () => {
    const corrupt = fc.constantFrom(
      (l: string) => l.slice(0, Math.floor(l.length / 2)),
      (l: string) => l.replace('"AWSRole"', '"NoSuchLabel"'),
      (l: string) => l.replace(/"kind":"(node|rel)"/, '"kind":"nope"'),
      (l: string) => l.replace('}', ',"__proto__":{}}'),
      (l: string) => `${l}x`,
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 60 }), fc.nat(), corrupt, async (n, at, breakIt) => {
        const scope = uniqueScope('fuzz');
        const lines = estate(scope, n).map((r) => JSON.stringify(r));
        const where = 1 + (at % (lines.length - 1)); // never the header
        lines[where] = breakIt(lines[where]!);
        const f = path.join(dir, `${scope}.jsonl`);
        fs.writeFileSync(f, lines.join('\n') + '\n');
        const err = await ingestFile(graph, f, { progress: false, batchSize: 10 }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(InputError);
        expect((err as Error).message.startsWith(`${f}:${where + 1}: `)).toBe(true);
        expect(await count(scope)).toEqual({ nodes: 0, rels: 0 });
        expect(await syncsOf(scope)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
