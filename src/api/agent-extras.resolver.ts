/**
 * Agent fields of the AI-BOM and behaviour areas: `aiBom` (the declared AI-BOM next to what the sensor
 * observed, the `aibom diff` engine) and `drift` (drift events of the agent's behaviour subjects). Both
 * batch through a per-request DataLoader, so a page of agents costs the same few round trips as one.
 */
import DataLoader from 'dataloader';
import { Arg, Authorized, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { AgentBom } from '../collectors/aibom/export-cyclonedx.js';
import type { DiffItem, RuntimeDiff } from '../collectors/aibom/runtime-diff.js';
import { InputError } from '../errors.js';
import { Agent } from './agent.type.js';
import { AiBom, AiBomComponent } from './agent-extras.type.js';
import { ROLE_VIEWER } from './auth.js';
import { once, type ApiContext } from './context.js';
import { DriftEvent, driftEventOf } from './drift.type.js';
import { COST_NEO4J_READ } from './limits.js';

/** Drift events one Agent.drift may ask for. */
export const MAX_AGENT_DRIFT = 1000;

const versionOfDeclared = (declared: string): string | null => {
  const v = declared.slice(declared.lastIndexOf('@') + 1);
  return declared.includes('@') && v !== '*' && v !== '' ? v : null;
};

/** Pure: the declared AI-BOM and its runtime diff as the API's AiBom. Without sensor data nothing is dormant, only declared. */
export function aiBomOf(bom: AgentBom, diff: RuntimeDiff): AiBom {
  const watched = diff.workloads.length > 0;
  const models = new Map(bom.models.map((m) => [m.id, m]));
  const component = (i: DiffItem, status: string): AiBomComponent => ({
    id: i.declared ?? `${i.kind}:${i.name}`,
    kind: i.kind,
    name: i.name,
    version: i.declared === undefined ? null : i.kind === 'model' ? (models.get(i.declared)?.version ?? null) : i.kind === 'package' ? versionOfDeclared(i.declared) : null,
    status,
    observed: i.observed ?? [],
  });
  const tools = bom.mcpServers.flatMap((s) => s.tools.map((t) => ({ id: `${s.id}/${t.name}`, kind: 'mcp-tool', name: t.name, version: null, status: 'declared', observed: [] })));
  const components = [
    ...diff.confirmed.map((i) => component(i, 'confirmed')),
    ...diff.undeclared.map((i) => component(i, 'undeclared')),
    ...diff.dormant.map((i) => component(i, watched ? 'dormant' : 'declared')),
    ...tools,
  ];
  const named = (status: string) => components.filter((c) => c.status === status).map((c) => `${c.kind} ${c.name}`);
  return { components, undeclared: named('undeclared'), dormant: named('dormant'), workloads: diff.workloads };
}

function aiBomLoader(ctx: ApiContext): Promise<DataLoader<string, AiBom | null>> {
  return once(ctx, 'loader:aiBom', async () => new DataLoader<string, AiBom | null>(async (agents) => {
    const { agentBomsFromGraph, agentRuntimeDiffs } = await import('../collectors/aibom/agent-bom.js');
    const boms = await agentBomsFromGraph(ctx.graph, agents);
    const diffs = await agentRuntimeDiffs(ctx.graph, agents, boms);
    return agents.map((a) => {
      const bom = boms.get(a);
      const diff = diffs.get(a);
      return bom && diff ? aiBomOf(bom, diff) : null;
    });
  }));
}

function driftLoader(ctx: ApiContext, limit: number): Promise<DataLoader<string, DriftEvent[]>> {
  return once(ctx, `loader:agentDrift\u0000${limit}`, async () => new DataLoader<string, DriftEvent[]>(async (agents) => {
    const rows = await ctx.graph.read('queries/api/agents-drift', { agents, limit });
    const byAgent = new Map(rows.map((r) => [String(r.agent), (r.events as Record<string, unknown>[]).map(driftEventOf)]));
    return agents.map((a) => byAgent.get(a) ?? []);
  }));
}

@Resolver(() => Agent)
export class AgentExtrasResolver {
  @Authorized(ROLE_VIEWER)
  @FieldResolver(() => AiBom, { description: 'The declared AI-BOM next to what the sensor observed: confirmed, undeclared, dormant (`reachgraph aibom diff`).', complexity: COST_NEO4J_READ })
  async aiBom(@Root() agent: Agent, @Ctx() ctx: ApiContext): Promise<AiBom> {
    const bom = await (await aiBomLoader(ctx)).load(agent.id);
    return bom ?? { components: [], undeclared: [], dormant: [], workloads: [] };
  }

  @Authorized(ROLE_VIEWER)
  @FieldResolver(() => [DriftEvent], { description: 'Drift events of the agent\'s sensor Workloads and IAM roles, newest first (docs/behavior.md).', complexity: COST_NEO4J_READ })
  async drift(@Root() agent: Agent, @Ctx() ctx: ApiContext, @Arg('limit', () => Int, { defaultValue: 50 }) limit: number): Promise<DriftEvent[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AGENT_DRIFT) throw new InputError(`limit: an integer from 1 to ${MAX_AGENT_DRIFT}, got ${limit}`);
    return (await driftLoader(ctx, limit)).load(agent.id);
  }
}
