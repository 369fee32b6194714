/**
 * `collect kubernetes --from-dir` into the real Neo4j: the demo estate (with its Kubernetes → AWS path),
 * bad input that names the file and document and leaves the previous sync's data in place.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectFromDir, SOURCE } from '../../src/collectors/kubernetes/collect.js';
import type { Graph } from '../../src/graph/driver.js';
import { InputError } from '../../src/errors.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';

const demoDir = path.join(process.cwd(), 'src', 'demo', 'data', 'kubernetes');
let graph: Graph;
beforeAll(async () => {
  graph = await testGraph();
});
afterAll(async () => {
  await graph.close();
});

test('the demo manifests load, and the CI identity reaches the research agent IRSA role', async () => {
  const cluster = uniqueScope('demo-k8s');
  const s = await collectFromDir(graph, demoDir, cluster);
  expect(s.status).toBe('succeeded');
  expect(s.transform.attackEdges).toBeGreaterThan(5);
  const reach = await graph.read('queries/kubernetes/cloud-identities-reachable', { id: `${cluster}/research/ci-deployer`, maxHops: 3 });
  expect(reach).toContainEqual(expect.objectContaining({ identity: 'arn:aws:iam::111122223333:role/research-agent-role', hops: 2 }));
  // The privileged node agent reaches the support agent's role through the node it shares.
  const fromNodeAgent = await graph.read('queries/kubernetes/cloud-identities-reachable', { id: `${cluster}/monitoring/node-agent-b7w4k`, maxHops: 4 });
  expect(fromNodeAgent.map((r) => r.identity)).toContain('arn:aws:iam::111122223333:role/support-agent-role');
  const who = await graph.read('queries/kubernetes/who-may-act-as', { id: `${cluster}/research/research-agent` });
  expect(who.map((r) => `${r.from} ${r.method}`)).toEqual(expect.arrayContaining([`${cluster}/research/ci-deployer create-workload`, `${cluster}/auditor@example.com read-token-secret`]));
});

test('malformed YAML names the file and document, and a failed collect keeps the previous data', async () => {
  const cluster = uniqueScope('bad-k8s');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-k8s-bad-'));
  fs.writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: keep, namespace: x}\n');
  await collectFromDir(graph, dir, cluster);
  fs.writeFileSync(path.join(dir, 'b.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ok, namespace: x}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p\n  namespace: [x\n');
  await expect(collectFromDir(graph, dir, cluster)).rejects.toThrow(InputError);
  await expect(collectFromDir(graph, dir, cluster)).rejects.toThrow(/b\.yaml: document 2/);
  const rows = await graph.read('queries/kubernetes/scope-nodes', { source: SOURCE, scope: cluster });
  expect(rows.map((r) => r.id)).toContain(`${cluster}/x/keep`);
});

test('a RoleBinding with a bad roleRef names the object and its file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-k8s-badrb-'));
  fs.writeFileSync(path.join(dir, 'rb.yaml'), 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: broken, namespace: x}\nroleRef: {kind: Nonsense, name: r}\nsubjects: []\n');
  await expect(collectFromDir(graph, dir, uniqueScope('badrb'))).rejects.toThrow(/rb\.yaml document 1.*roleRef\.kind/);
});

// The built CLI (dist/, built by `npm test`'s pretest) against the test Neo4j (testGraph() set its environment).
const cli = path.join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
(fs.existsSync(cli) ? test : test.skip)('reachgraph collect kubernetes --from-dir prints the sync summary as JSON', async () => {
  const { spawnSync } = await import('node:child_process');
  const cluster = uniqueScope('cli-k8s');
  const r = spawnSync(process.execPath, [cli, 'collect', 'kubernetes', '--from-dir', demoDir, '--cluster', cluster, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn' } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout) as { status: string; scope: string; nodes: number };
  expect(out).toMatchObject({ status: 'succeeded', scope: cluster, source: 'kubernetes' });
  expect(out.nodes).toBeGreaterThan(30);
  const bad = spawnSync(process.execPath, [cli, 'collect', 'kubernetes', '--from-dir', path.join(demoDir, 'nope'), '--format', 'json'], { encoding: 'utf8' });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/nope: no such file or directory/);
}, 60_000);

test('the demo part loads cluster demo-eks through runSync', async () => {
  const { part, DEMO_CLUSTER } = await import('../../src/demo/parts/kubernetes.js');
  const s = await part.load(graph);
  expect(s).toMatchObject({ status: 'succeeded', source: SOURCE, scope: DEMO_CLUSTER });
  const rels = await graph.read('queries/kubernetes/scope-rels', { source: SOURCE, scope: DEMO_CLUSTER });
  expect(rels).toContainEqual(expect.objectContaining({ type: 'LINKED_IDENTITY', from: 'demo-eks/agents/support-agent', to: 'arn:aws:iam::111122223333:role/support-agent-role' }));
});
