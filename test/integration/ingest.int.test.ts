import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Graph } from '../../src/graph/driver.js';
import { runSync } from '../../src/graph/ingest.js';
import { ingestFile } from '../../src/graph/ingest-file.js';
import { node, rel } from '../../src/graph/records.js';
import { InputError } from '../../src/errors.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';

let graph: Graph;
let dir: string;
beforeAll(async () => {
  graph = await testGraph();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-ingest-'));
});
afterAll(async () => {
  await graph.close();
});

async function countScope(scope: string): Promise<{ nodes: number; rels: number }> {
  const rows = await graph.readText(
    'MATCH (n) WHERE n.scope = $scope AND NOT n:Sync WITH count(n) AS nodes OPTIONAL MATCH ()-[r]->() WHERE r.scope = $scope RETURN nodes, count(r) AS rels',
    { scope },
    'test',
  );
  return { nodes: Number(rows[0]!.nodes), rels: Number(rows[0]!.rels) };
}

function writeJsonl(name: string, records: unknown[]): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return f;
}

function estate(scope: string, idp: string) {
  return [
    { kind: 'sync', source: 'test', scope },
    node('AWSRole', `${idp}:role/agent`, { name: 'agent' }),
    node('AWSRole', `${idp}:role/admin`, { name: 'admin' }),
    node('K8sServiceAccount', `${idp}/ml/agent-sa`, { name: 'agent-sa', namespace: 'ml' }),
    rel('MAY_ASSUME', { label: 'K8sServiceAccount', id: `${idp}/ml/agent-sa` }, { label: 'AWSRole', id: `${idp}:role/agent` }, { props: { via: 'irsa' } }),
    rel('MAY_ASSUME', { label: 'AWSRole', id: `${idp}:role/agent` }, { label: 'AWSRole', id: `${idp}:role/admin` }),
    rel('DID_CONNECT', { label: 'K8sServiceAccount', id: `${idp}/ml/agent-sa` }, { label: 'AWSRole', id: `${idp}:role/admin` }, { count: 3, key: '443/TCP' }),
  ];
}

describe('ingest core against the real Neo4j', () => {
  test('given a file, when ingested twice, then node and relationship counts are unchanged', async () => {
    const scope = uniqueScope('twice');
    const f = writeJsonl('twice.jsonl', estate(scope, scope));
    const first = await ingestFile(graph, f, { progress: false });
    const after1 = await countScope(scope);
    const second = await ingestFile(graph, f, { progress: false });
    const after2 = await countScope(scope);
    expect(first.status).toBe('succeeded');
    expect(second.status).toBe('succeeded');
    expect(after1).toEqual({ nodes: 3, rels: 3 });
    expect(after2).toEqual(after1);
  });

  test('given provenance, then every relationship carries source, firstSeen, lastSeen, syncId and observed ones a count', async () => {
    const scope = uniqueScope('prov');
    const f = writeJsonl('prov.jsonl', [...estate(scope, scope).slice(0, 1), ...estate(scope, scope).slice(1)].map((r, i) => (i === 0 ? { ...r, syncId: `${scope}-fixed` } : r)));
    await ingestFile(graph, f, { progress: false });
    await ingestFile(graph, f, { progress: false });
    const rows = await graph.readText('MATCH ()-[r]->() WHERE r.scope = $scope RETURN type(r) AS t, r.source AS source, r.firstSeen IS NOT NULL AS fs, r.lastSeen IS NOT NULL AS ls, r.syncId AS syncId, r.count AS count ORDER BY t', { scope }, 'test');
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r).toMatchObject({ source: 'test', fs: true, ls: true, syncId: `${scope}-fixed` });
    // A replay of the same sync id does not double the observed count.
    expect(rows.find((r) => r.t === 'DID_CONNECT')!.count).toBe(3);
    expect(rows.find((r) => r.t === 'MAY_ASSUME')!.count).toBeNull();
  });

  test('given a second successful sync without an item, then the stale item is removed', async () => {
    const scope = uniqueScope('stale');
    await runSync(graph, { source: 'test', scope, progress: false }, async (sink) => {
      await sink.write({ nodes: [node('AWSRole', `${scope}:a`), node('AWSRole', `${scope}:b`)], rels: [rel('MAY_ASSUME', { label: 'AWSRole', id: `${scope}:a` }, { label: 'AWSRole', id: `${scope}:b` })] });
    });
    const s2 = await runSync(graph, { source: 'test', scope, progress: false }, async (sink) => {
      await sink.write({ nodes: [node('AWSRole', `${scope}:a`)] });
    });
    expect(s2.removedNodes).toBe(1);
    expect(await countScope(scope)).toEqual({ nodes: 1, rels: 0 });
  });

  test('given a later sync that writes other labels and types only, then what the earlier one wrote is still cleaned up', async () => {
    const scope = uniqueScope('footprint');
    await runSync(graph, { source: 'test', scope, progress: false }, async (sink) => {
      await sink.write({ nodes: [node('AIAgent', `${scope}:agent`)], rels: [rel('MAY_USE_TOOL', { label: 'AIAgent', id: `${scope}:agent` }, { label: 'MCPTool', id: `${scope}:tool` })] });
    });
    expect(await countScope(scope)).toEqual({ nodes: 1, rels: 1 });
    const s2 = await runSync(graph, { source: 'test', scope, progress: false }, async (sink) => {
      await sink.write({ nodes: [node('AWSRole', `${scope}:role`)] });
    });
    expect(s2).toMatchObject({ removedNodes: 2, removedRels: 1 });
    expect(await countScope(scope)).toEqual({ nodes: 1, rels: 0 });
    const stub = await graph.readText('MATCH (t:MCPTool {id: $id}) RETURN count(t) AS c', { id: `${scope}:tool` }, 'test');
    expect(stub[0]!.c).toBe(0);
  });

  test('given a sync that fails half-way, then nothing is deleted and the failure is recorded', async () => {
    const scope = uniqueScope('half');
    await runSync(graph, { source: 'test', scope, progress: false }, async (sink) => {
      await sink.write({ nodes: [node('AWSRole', `${scope}:a`), node('AWSRole', `${scope}:b`), node('AWSRole', `${scope}:c`)], rels: [rel('MAY_ASSUME', { label: 'AWSRole', id: `${scope}:a` }, { label: 'AWSRole', id: `${scope}:b` })] });
    });
    const before = await countScope(scope);
    let syncId = '';
    await expect(
      runSync(graph, { source: 'test', scope, syncId: `${scope}-broken`, progress: false }, async (sink) => {
        syncId = `${scope}-broken`;
        await sink.write({ nodes: [node('AWSRole', `${scope}:a`)] });
        throw new Error('the API went away');
      }),
    ).rejects.toThrow(/the API went away/);
    expect(await countScope(scope)).toEqual(before);
    const s = await graph.readText('MATCH (s:Sync {id: $id}) RETURN s.status AS status, s.error AS error', { id: syncId }, 'test');
    expect(s[0]).toMatchObject({ status: 'failed' });
    expect(String(s[0]!.error)).toContain('the API went away');
  });

  test('given removals, then only what this source and scope own is removed, relationships first, and another source\'s relationship keeps its end as a stub', async () => {
    const scope = uniqueScope('remove');
    const a = { label: 'AWSRole' as const, id: `${scope}:a` };
    const b = { label: 'AWSRole' as const, id: `${scope}:b` };
    await runSync(graph, { source: 'test', scope, progress: false }, async (sink) => {
      await sink.write({ nodes: [node('AWSRole', a.id), node('AWSRole', b.id)], rels: [rel('MAY_ASSUME', a, b), rel('MAY_ASSUME', b, a)] });
    });
    // Another source wrote an edge between the same nodes: a removal by 'test' must leave it.
    await runSync(graph, { source: 'other', scope, mode: 'append', progress: false }, async (sink) => {
      await sink.write({ rels: [rel('MAY_ESCALATE_TO', a, b, { key: 'm' })] });
    });
    const s = await runSync(graph, { source: 'test', scope, mode: 'append', progress: false }, async (sink) => {
      await sink.remove({ rels: [rel('MAY_ASSUME', a, b), rel('MAY_ESCALATE_TO', a, b, { key: 'm' })] });
    });
    expect(s).toMatchObject({ removedRels: 1, removedNodes: 0 });
    const left = await graph.readText('MATCH (x)-[r]->(y) WHERE r.scope = $scope RETURN x.id AS f, type(r) AS t, r.source AS source ORDER BY t', { scope }, 'test');
    expect(left).toEqual([
      { f: b.id, t: 'MAY_ASSUME', source: 'test' },
      { f: a.id, t: 'MAY_ESCALATE_TO', source: 'other' },
    ]);
    // Removing b takes this source's relationship b→a with it; the other source's a→b stays, so b stays as its stub.
    const s2 = await runSync(graph, { source: 'test', scope, mode: 'append', progress: false }, async (sink) => {
      await sink.remove({ nodes: [{ label: 'AWSRole', id: b.id }] });
    });
    expect(s2).toMatchObject({ removedNodes: 1, removedRels: 1 });
    expect(await countScope(scope)).toEqual({ nodes: 1, rels: 1 });
    const stub = await graph.readText('MATCH (n:AWSRole {id: $id}) RETURN n.stub AS stub, n.source AS source, n.claims AS claims', { id: b.id }, 'test');
    expect(stub).toEqual([{ stub: true, source: null, claims: null }]);
  });

  test('given an atomic sync that fails after some writes and removals, then none of them is visible and the failure is recorded', async () => {
    const scope = uniqueScope('atomic');
    const a = { label: 'AWSRole' as const, id: `${scope}:a` };
    await runSync(graph, { source: 'test', scope, progress: false }, async (sink) => {
      await sink.write({ nodes: [node('AWSRole', a.id)] });
    });
    const syncId = `${scope}-atomic-broken`;
    await expect(
      runSync(graph, { source: 'test', scope, mode: 'append', syncId, atomic: true, progress: false }, async (sink) => {
        await sink.remove({ nodes: [a] });
        await sink.write({ nodes: [node('AWSRole', `${scope}:new`)] });
        throw new Error('watch stream broke');
      }),
    ).rejects.toThrow(/watch stream broke/);
    const ids = await graph.readText('MATCH (n:AWSRole) WHERE n.scope = $scope RETURN n.id AS id', { scope }, 'test');
    expect(ids.map((r) => r.id)).toEqual([a.id]);
    const rec = await graph.readText('MATCH (s:Sync {id: $id}) RETURN s.status AS status, s.error AS error, s.removedNodes AS removed', { id: syncId }, 'test');
    expect(rec[0]).toMatchObject({ status: 'failed', removed: 0 });
    // The same change, atomic and successful, is all there at once.
    const ok = await runSync(graph, { source: 'test', scope, mode: 'append', atomic: true, progress: false }, async (sink) => {
      await sink.remove({ nodes: [a] });
      await sink.write({ nodes: [node('AWSRole', `${scope}:new`)] });
    });
    expect(ok).toMatchObject({ status: 'succeeded', nodes: 1, removedNodes: 1 });
    const after = await graph.readText('MATCH (n:AWSRole) WHERE n.scope = $scope RETURN n.id AS id', { scope }, 'test');
    expect(after.map((r) => r.id)).toEqual([`${scope}:new`]);
    const done = await graph.readText('MATCH (s:Sync {id: $id}) RETURN s.status AS status', { id: ok.syncId }, 'test');
    expect(done[0]).toMatchObject({ status: 'succeeded' });
  });

  test('given a malformed line, then the error names file, line and field and nothing of the file is written', async () => {
    const scope = uniqueScope('bad');
    const good = estate(scope, scope);
    const bad = [...good.slice(0, 3), { kind: 'rel', type: 'MAY_ASSUME', from: { label: 'AWSRole', id: `${scope}:x` }, to: { label: 'NoSuchLabel', id: 'y' } }, ...good.slice(3)];
    const f = writeJsonl('bad.jsonl', bad);
    const err = await ingestFile(graph, f, { progress: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain(`${f}:4`);
    expect((err as Error).message).toContain('to.label');
    expect(await countScope(scope)).toEqual({ nodes: 0, rels: 0 });
  });

  test('given a line that is not JSON, then the error names the line', async () => {
    const f = path.join(dir, 'notjson.jsonl');
    fs.writeFileSync(f, '{"kind":"node","label":"AWSRole","id":"x"}\n{oops\n');
    await expect(ingestFile(graph, f, { progress: false })).rejects.toThrow(`${f}:2: not valid JSON`);
  });

  test('given Cypher in every value, then it is stored and returned as plain data', async () => {
    const scope = uniqueScope('inject');
    const evil = `x'}) DETACH DELETE n //"; MATCH (m) DETACH DELETE m; RETURN "}`;
    await runSync(graph, { source: 'test', scope: `${scope}${evil}`, syncId: `${scope}-${evil}`, progress: false }, async (sink) => {
      await sink.write({
        nodes: [node('AIAgent', `${scope}-${evil}`, { description: evil, tags: [evil, '}'] })],
        rels: [rel('MAY_USE_TOOL', { label: 'AIAgent', id: `${scope}-${evil}` }, { label: 'MCPTool', id: evil }, { key: evil, props: { note: evil } })],
      });
    });
    const rows = await graph.readText('MATCH (a:AIAgent {id: $id})-[r:MAY_USE_TOOL]->(t:MCPTool) RETURN a.description AS d, a.tags AS tags, r.note AS note, r.key AS key, t.id AS tid, a.scope AS scope', { id: `${scope}-${evil}` }, 'test');
    expect(rows).toEqual([{ d: evil, tags: [evil, '}'], note: evil, key: evil, tid: evil, scope: `${scope}${evil}` }]);
  });
});

describe('ingest core under contention', () => {
  test('given two syncs writing the same nodes in opposite orders at once, then both succeed (transient errors such as deadlocks are retried)', async () => {
    const scope = uniqueScope('race');
    const ids = Array.from({ length: 300 }, (_, i) => `${scope}:n${i}`);
    const relsFor = (order: string[]) => order.slice(1).map((id, i) => rel('MAY_ASSUME', { label: 'AWSRole', id: order[i]! }, { label: 'AWSRole', id }));
    const [a, b] = await Promise.all([
      runSync(graph, { source: 'test-a', scope, progress: false, batchSize: 50 }, (sink) => sink.write({ nodes: ids.map((id) => node('AWSRole', id)), rels: relsFor(ids) })),
      runSync(graph, { source: 'test-b', scope, progress: false, batchSize: 50 }, (sink) => sink.write({ nodes: [...ids].reverse().map((id) => node('AWSRole', id)), rels: relsFor([...ids].reverse()) })),
    ]);
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
    expect(await countScope(scope)).toEqual({ nodes: 300, rels: 598 });
  });
});
