/**
 * Demo estate, runtime part: what the eBPF sensor observed on two nodes of the Kubernetes part's
 * cluster demo-eks and on one laptop. The support agent's pod reads its IRSA and service account
 * tokens and resolves and calls Bedrock; the research digest job's pod loads local GGUF weights and
 * runs git against GitHub; an agent on a laptop (a process tree rooted at "claude") reads
 * ~/.aws/credentials. Pod ids join the Kubernetes part's K8sPod nodes. Records are what
 * `reachgraph sensor record` writes.
 */
import type { Graph } from '../../graph/driver.js';
import { runSync } from '../../graph/ingest.js';
import { node, rel, type NodeRecord, type PropValue, type RelRecord } from '../../graph/records.js';
import type { DemoPart } from '../estate.js';

const T = (m: number) => new Date(Date.parse('2026-11-20T09:00:00Z') + m * 60_000).toISOString();
const W = (id: string) => ({ label: 'Workload', id });

export function runtimeDemoBatch(): { nodes: NodeRecord[]; rels: RelRecord[] } {
  const nodes: NodeRecord[] = [];
  const rels: RelRecord[] = [];
  const observe = (type: string, from: string, label: string, to: string, count: number, key: string, props: Record<string, PropValue>, toProps: Record<string, PropValue>) => {
    nodes.push(node(label, to, toProps));
    rels.push(rel(type, W(from), { label, id: to }, { count, firstSeen: T(0), lastSeen: T(55), key, props }));
  };

  const node1 = 'ip-10-0-1-23.eu-west-1.compute.internal';
  const node2 = 'ip-10-0-2-41.eu-west-1.compute.internal';
  const laptop = 'ada-laptop';
  const supportPod = 'demo-eks/agents/support-agent-6d8f7-q2x9z';
  const researchPod = 'demo-eks/research/research-digest-29001440-7kq2m';
  const support = `${node1}/pod/${supportPod}`;
  const research = `${node2}/pod/${researchPod}`;
  const claude = `${laptop}/agent/claude`;
  nodes.push(node('Host', node1, { name: node1 }), node('Host', node2, { name: node2 }), node('Host', laptop, { name: laptop }));
  for (const [id, host, kind, name, pod] of [
    [support, node1, 'pod', supportPod, supportPod],
    [research, node2, 'pod', researchPod, researchPod],
    [claude, laptop, 'agent', 'claude', undefined],
  ] as const) {
    nodes.push(node('Workload', id, { host, kind, name }));
    rels.push(rel('ON_HOST', W(id), { label: 'Host', id: host }));
    if (pod) rels.push(rel('PART_OF', W(id), { label: 'K8sPod', id: pod }));
  }

  const py = '/usr/local/bin/python3.12';
  nodes.push(node('Executable', py, { name: 'python3.12' }), node('Executable', '/usr/bin/git', { name: 'git' }), node('Executable', '/usr/bin/node', { name: 'node' }));
  rels.push(rel('DID_EXEC', W(support), { label: 'Executable', id: py }, { count: 1, firstSeen: T(0), lastSeen: T(0) }));
  rels.push(rel('DID_EXEC', W(research), { label: 'Executable', id: py }, { count: 1, firstSeen: T(0), lastSeen: T(0) }));
  rels.push(rel('DID_EXEC', W(research), { label: 'Executable', id: '/usr/bin/git' }, { count: 14, firstSeen: T(3), lastSeen: T(51) }));
  rels.push(rel('DID_EXEC', W(claude), { label: 'Executable', id: '/usr/bin/node' }, { count: 1, firstSeen: T(0), lastSeen: T(0) }));

  const bedrock = 'bedrock-runtime.eu-west-1.amazonaws.com';
  observe('DID_RESOLVE', support, 'DNSName', bedrock, 212, `${py}|A`, { qtype: 'A', answers: ['52.119.190.11', '52.119.188.204'], executable: py }, { name: bedrock });
  observe('DID_CONNECT', support, 'NetEndpoint', '52.119.190.11:443', 212, `${py}|443/TCP`, { port: 443, protocol: 'TCP', executable: py, localAddress: '10.0.1.57' }, { address: '52.119.190.11', port: 443, family: 4, loopback: false });
  observe('DID_RESOLVE', support, 'DNSName', 'qdrant.data.svc.cluster.local', 96, `${py}|A`, { qtype: 'A', answers: ['172.20.41.9'], executable: py }, { name: 'qdrant.data.svc.cluster.local' });
  observe('DID_OPEN', support, 'File', '/var/run/secrets/eks.amazonaws.com/serviceaccount/token', 4, py, { class: 'credential', executable: py }, { class: 'credential', relative: false });
  observe('DID_OPEN', support, 'File', '/var/run/secrets/kubernetes.io/serviceaccount/token', 2, py, { class: 'credential', executable: py }, { class: 'credential', relative: false });
  observe('DID_OPEN', support, 'File', '/usr/local/lib/python3.12/site-packages/langchain_core/__init__.py', 1, py, { class: 'agent-package', executable: py }, { class: 'agent-package', relative: false });
  observe('DID_OPEN', research, 'File', '/models/llama-3.1-8b-instruct.Q4_K_M.gguf', 1, py, { class: 'model', executable: py }, { class: 'model', relative: false });
  observe('DID_RESOLVE', research, 'DNSName', 'api.github.com', 31, '/usr/bin/git|A', { qtype: 'A', answers: ['140.82.112.6'], executable: '/usr/bin/git' }, { name: 'api.github.com' });
  observe('DID_CONNECT', research, 'NetEndpoint', '140.82.112.6:443', 31, '/usr/bin/git|443/TCP', { port: 443, protocol: 'TCP', executable: '/usr/bin/git', localAddress: '10.0.2.88' }, { address: '140.82.112.6', port: 443, family: 4, loopback: false });
  observe('DID_OPEN', claude, 'File', '/Users/ada/.aws/credentials', 1, '/usr/bin/node', { class: 'credential', executable: '/usr/bin/node' }, { class: 'credential', relative: false });
  observe('DID_RESOLVE', claude, 'DNSName', 'api.anthropic.com', 58, '/usr/bin/node|A', { qtype: 'A', answers: ['160.79.104.10'], executable: '/usr/bin/node' }, { name: 'api.anthropic.com' });

  for (const [host, workloads] of [
    [node1, [support]],
    [node2, [research]],
    [laptop, [claude]],
  ] as const) {
    const id = `${host}/demo/w0`;
    nodes.push(node('Coverage', id, { host, probes: ['exec', 'net', 'dns', 'files'], from: T(0), to: T(60), lost: false, ringLost: 0, mapFull: 0, queueOverflow: 0, workloads: [...workloads] }));
    rels.push(rel('ON_HOST', { label: 'Coverage', id }, { label: 'Host', id: host }));
    for (const w of workloads) rels.push(rel('COVERS', { label: 'Coverage', id }, W(w)));
  }
  return { nodes, rels };
}

export const part: DemoPart = {
  name: 'runtime',
  load: (graph: Graph) => runSync(graph, { source: 'demo-sensor', scope: 'demo', syncId: 'demo-sensor-1', progress: false }, (sink) => sink.write(runtimeDemoBatch())),
};
