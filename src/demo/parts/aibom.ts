/**
 * Demo estate, AI-BOM part: a support agent (Python) and a research agent (Node) on the demo EKS
 * cluster. Their frameworks, models, vector store, inference server and MCP servers come from scanning
 * the demo agent tree (src/demo/data/aibom/agent-tree/) with `collect aibom --connect`; the MCP servers
 * are one real SDK server (src/demo/data/aibom/mcp/) in four profiles. What no file in the tree can say
 * is written here: where the agents run and as whom, joining the AWS and Kubernetes parts (cluster
 * "demo-eks", account 111122223333), and the support agent's model change before this scan (a second
 * scan would record it; its answer-ticket prompt gives the agent the prompt and config hashes).
 */
import path from 'node:path';
import { collectAibom, type CollectAibomResult } from '../../collectors/aibom/collect.js';
import type { Graph } from '../../graph/driver.js';
import { runSync, type SyncSummary } from '../../graph/ingest.js';
import { node, rel, type NodeRecord, type RelRecord } from '../../graph/records.js';
import { projectRoot } from '../../paths.js';
import type { DemoPart } from '../estate.js';

const ref = (label: string, id: string) => ({ label, id });

/** The demo agent tree's directory. */
export const demoAgentTree = () => path.join(projectRoot(), 'src', 'demo', 'data', 'aibom', 'agent-tree');

const SUPPORT_MODEL_CHANGE = 'support-agent/model/demo-sonnet';

/** The deployment facts of the scanned demo agents: descriptions, the workloads they run in, their identities. */
export function aibomDemoBatch(scanned: CollectAibomResult): { nodes: NodeRecord[]; rels: RelRecord[] } {
  const llama = scanned.scan.models.find((m) => m.agent === 'research-agent' && m.format === 'gguf');
  const nodes: NodeRecord[] = [
    node('AIAgent', 'support-agent', { name: 'support-agent', description: 'Customer support agent answering tickets', framework: 'langgraph', cluster: 'demo-eks', namespace: 'agents' }),
    node('AIAgent', 'research-agent', { name: 'research-agent', description: 'Internal research assistant with code and data access', framework: 'langgraph', cluster: 'demo-eks', namespace: 'research' }),
    // The research pod mounts the weights at /models: the path the sensor recording sees it opened at.
    ...(llama ? [node('AIModel', llama.id, { path: '/models/llama-3.1-8b-instruct.Q4_K_M.gguf' })] : []),
    // The support agent moved from Claude 3 Haiku to Claude 3.5 Sonnet at 09:20: what `collect aibom` records when
    // a sync sees the agent's model differ from the previous sync's (this demo scans the tree once).
    node('StateChange', SUPPORT_MODEL_CHANGE, { kind: 'model', at: '2026-11-20T09:20:00Z', before: 'bedrock/anthropic.claude-3-haiku', after: 'bedrock/anthropic.claude-3-5-sonnet' }),
  ];
  const rels: RelRecord[] = [
    ...(llama ? [rel('RUNS_ON', ref('AIModel', llama.id), ref('InferenceServer', 'http://vllm.inference.svc:8000'))] : []),
    rel('RUNS_ON', ref('AIAgent', 'support-agent'), ref('K8sWorkload', 'demo-eks/agents/Deployment/support-agent')),
    rel('RUNS_ON', ref('AIAgent', 'research-agent'), ref('K8sWorkload', 'demo-eks/research/CronJob/research-digest')),
    rel('USES_IDENTITY', ref('AIAgent', 'support-agent'), ref('K8sServiceAccount', 'demo-eks/agents/support-agent')),
    rel('USES_IDENTITY', ref('AIAgent', 'research-agent'), ref('K8sServiceAccount', 'demo-eks/research/research-agent')),
    rel('CHANGED', ref('StateChange', SUPPORT_MODEL_CHANGE), ref('AIAgent', 'support-agent')),
  ];
  return { nodes, rels };
}

export const part: DemoPart = {
  name: 'aibom',
  async load(graph: Graph): Promise<SyncSummary[]> {
    const scanned = await collectAibom(graph, demoAgentTree(), { scope: 'demo', syncId: 'demo-aibom-scan', connect: true });
    const joins = await runSync(graph, { source: 'demo-aibom', scope: 'demo', progress: false }, (sink) => sink.write(aibomDemoBatch(scanned)));
    return [...scanned.summaries, joins];
  },
};
