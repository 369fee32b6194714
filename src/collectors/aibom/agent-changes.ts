/**
 * Declared-state changes of scanned agents: a sync that sees an agent's models, prompt or prompt
 * settings differ from what the previous successful sync stored becomes a `StateChange {kind: 'model' |
 * 'prompt' | 'config'}` that CHANGED the AIAgent, so drift right after it is classified explained
 * (docs/behavior.md). The state compared is what the AIAgent node carries (`modelRefs`, `promptHash`,
 * `configHash`): model ids and short content hashes, never prompt or config text.
 */
import type { Graph } from '../../graph/driver.js';
import type { NodeRecord, PropValue, RelRecord } from '../../graph/records.js';
import { shortHash } from './prompt-files.js';
import type { AibomScan } from './types.js';

/** What the graph keeps of an agent's declared state. */
export interface AgentState {
  /** Sorted model references, `id` or `id@version`. */
  modelRefs: string[];
  promptHash: string | null;
  configHash: string | null;
}

/** Each scanned agent's declared state, from a scan. */
export function agentStates(scan: AibomScan): Map<string, AgentState> {
  const out = new Map<string, AgentState>();
  for (const a of scan.agents) {
    const refs = new Set(scan.models.filter((m) => m.agent === a.id).map((m) => (m.version ? `${m.id}@${m.version}` : m.id)));
    out.set(a.id, { modelRefs: [...refs].sort(), promptHash: a.promptHash ?? null, configHash: a.configHash ?? null });
  }
  return out;
}

/** Per agent, the AIAgent properties that carry the state; a partial scan writes none, so its gaps never read as a change next time. */
export function agentStateProps(scan: AibomScan): Map<string, Record<string, PropValue>> {
  if (scan.partial) return new Map();
  return new Map([...agentStates(scan)].map(([agent, s]) => [agent, { modelRefs: s.modelRefs, promptHash: s.promptHash, configHash: s.configHash }]));
}

const NONE = 'none';

/**
 * StateChange records between the stored states and a scan. An agent the graph did not know (or knew
 * only from a sync that kept no state) is not a change; a partial scan records none. Ids derive from the
 * agent, kind and new value, so the same change written twice is one node.
 */
export function agentChanges(before: ReadonlyMap<string, AgentState>, scan: AibomScan, at: string): { nodes: NodeRecord[]; rels: RelRecord[] } {
  const nodes: NodeRecord[] = [];
  const rels: RelRecord[] = [];
  if (scan.partial) return { nodes, rels };
  const add = (agent: string, kind: 'model' | 'prompt' | 'config', from: string, to: string, idPart: string) => {
    const id = `${agent}/${kind}/${idPart}`;
    nodes.push({ kind: 'node', label: 'StateChange', id, props: { kind, at, before: from, after: to } });
    rels.push({ kind: 'rel', type: 'CHANGED', from: { label: 'StateChange', id }, to: { label: 'AIAgent', id: agent } });
  };
  for (const [agent, now] of agentStates(scan)) {
    const old = before.get(agent);
    if (!old) continue;
    const oldModels = old.modelRefs.join(', ');
    const newModels = now.modelRefs.join(', ');
    if (oldModels !== newModels) add(agent, 'model', oldModels || NONE, newModels || NONE, shortHash(now.modelRefs).slice('sha256:'.length));
    if (old.promptHash !== now.promptHash) add(agent, 'prompt', old.promptHash ?? NONE, now.promptHash ?? NONE, (now.promptHash ?? NONE).replace(/^sha256:/, ''));
    if (old.configHash !== now.configHash) add(agent, 'config', old.configHash ?? NONE, now.configHash ?? NONE, (now.configHash ?? NONE).replace(/^sha256:/, ''));
  }
  return { nodes, rels };
}

/** The states the graph holds for these agents, from syncs that recorded one. */
export async function storedAgentStates(graph: Graph, agents: readonly string[]): Promise<Map<string, AgentState>> {
  const rows = await graph.read('queries/aibom/get-agent-states', { agents });
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  return new Map(rows.map((r) => [String(r.id), { modelRefs: (r.modelRefs as string[]).map(String).sort(), promptHash: s(r.promptHash), configHash: s(r.configHash) }]));
}
