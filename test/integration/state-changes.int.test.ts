/**
 * Collectors record declared-state changes themselves: a Kubernetes rollout to a new image and a changed
 * MCP tool definition become StateChange nodes, and the drift engine's subject-changes query finds them
 * for the sensor workload of a pod of that Deployment, and of an agent configured with that tool.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toolChanges } from '../../src/collectors/aibom/collect.js';
import type { AnalyzedTool } from '../../src/collectors/aibom/mcp-analysis.js';
import { collectFromDir } from '../../src/collectors/kubernetes/collect.js';
import { CHANGES_SOURCE } from '../../src/collectors/kubernetes/changes.js';
import type { Graph } from '../../src/graph/driver.js';
import { runSync } from '../../src/graph/ingest.js';
import { node, rel } from '../../src/graph/records.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';

let graph: Graph;
const cluster = uniqueScope('changes');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-changes-'));

const manifests = (rs: string, image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: agents, uid: d-app}
spec: {selector: {matchLabels: {app: app}}, template: {metadata: {labels: {app: app}}, spec: {containers: [{name: main, image: "${image}"}]}}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: ${rs}, namespace: agents, uid: rs-${rs}, ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: app, uid: d-app, controller: true}]}
spec: {selector: {matchLabels: {app: app}}, template: {metadata: {labels: {app: app}}, spec: {containers: [{name: main, image: "${image}"}]}}}
---
apiVersion: v1
kind: Pod
metadata: {name: ${rs}-x, namespace: agents, uid: p-${rs}, labels: {app: app}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: ${rs}, uid: rs-${rs}, controller: true}]}
spec: {containers: [{name: main, image: "${image}"}]}
`;

async function collect(rs: string, image: string) {
  const d = path.join(dir, rs);
  fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(d, 'estate.yaml'), manifests(rs, image));
  return collectFromDir(graph, d, cluster);
}

const changesOf = async (workload: string) => (await graph.read('queries/behavior/subject-changes', { label: 'Workload', subject: workload })) as { id: string; kind: string; on: string }[];

beforeAll(async () => {
  graph = await testGraph();
});
afterAll(async () => {
  await graph.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Kubernetes rollouts', () => {
  const deployment = `${cluster}/agents/Deployment/app`;
  const sensorWorkload = `${cluster}-node/pod/${cluster}/agents/app-2-x`;

  test('the first sync records nothing; a sync bringing a new image records one change of the Deployment, once', async () => {
    await collect('app-1', 'registry.example/agent:1.0');
    const changeNodes = async () => ((await graph.read('queries/kubernetes/scope-nodes', { source: CHANGES_SOURCE, scope: cluster })) as { labels: string[]; props: Record<string, unknown> }[]).filter((n) => n.labels.includes('StateChange'));
    expect(await changeNodes()).toEqual([]);
    await collect('app-2', 'registry.example/agent:1.1');
    await collect('app-2', 'registry.example/agent:1.1');
    const stored = await changeNodes();
    expect(stored.map((n) => n.props)).toEqual([expect.objectContaining({ kind: 'image', before: 'registry.example/agent:1.0', after: 'registry.example/agent:1.1', added: ['registry.example/agent:1.1'] })]);
  });

  test('the drift engine finds the change for the sensor workload of a pod of the new ReplicaSet', async () => {
    await runSync(graph, { source: 'test-changes', scope: cluster, progress: false }, (sink) =>
      sink.write({ nodes: [node('Workload', sensorWorkload, { kind: 'pod' })], rels: [rel('PART_OF', { label: 'Workload', id: sensorWorkload }, { label: 'K8sPod', id: `${cluster}/agents/app-2-x` })] }),
    );
    expect((await changesOf(sensorWorkload)).map((c) => [c.kind, c.on])).toEqual([['image', deployment]]);
  });
});

describe('MCP tool definitions', () => {
  test('a changed definition becomes a change of the tool, found for the workload of an agent configured with its server', async () => {
    const agent = `${cluster}-agent`;
    const server = `${cluster}/mcp/fs`;
    const tool = `mcp/${agent}/read_file`;
    const w = `${cluster}-host/process/agent`;
    const tools = [{ id: tool, hash: 'sha256:new', previousHash: 'sha256:old' }, { id: `${tool}-2`, hash: 'sha256:same' }] as unknown as AnalyzedTool[];
    const changes = toolChanges(tools, '2026-11-29T10:00:00.000Z');
    expect(changes.nodes.map((n) => n.props)).toEqual([{ kind: 'mcp-tool', at: '2026-11-29T10:00:00.000Z', before: 'sha256:old', after: 'sha256:new' }]);
    await runSync(graph, { source: 'test-changes-mcp', scope: cluster, progress: false }, (sink) =>
      sink.write({
        nodes: [node('AIAgent', agent, { name: 'a' }), node('MCPServer', server, { name: 'fs' }), node('MCPTool', tool, { name: 'read_file' }), node('Workload', w, { kind: 'process' }), ...changes.nodes],
        rels: [rel('RUNS_ON', { label: 'AIAgent', id: agent }, { label: 'Workload', id: w }), rel('MAY_USE_TOOL', { label: 'AIAgent', id: agent }, { label: 'MCPServer', id: server }), rel('OFFERS', { label: 'MCPServer', id: server }, { label: 'MCPTool', id: tool }), ...changes.rels],
      }),
    );
    expect((await changesOf(w)).map((c) => [c.kind, c.on])).toEqual([['mcp-tool', tool]]);
  });
});
