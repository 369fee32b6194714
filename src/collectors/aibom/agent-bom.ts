/** One agent's AI-BOM (the export input), from a scan or from the graph. */
import type { Graph } from '../../graph/driver.js';
import { InputError } from '../../errors.js';
import type { AgentBom } from './export-cyclonedx.js';
import type { AnalyzedTool } from './mcp-analysis.js';
import { capabilityId } from './transform.js';
import type { AibomScan } from './types.js';

/** The agent's part of a scan (and of its tool analysis, when servers were listed). */
export function agentBomFromScan(scan: AibomScan, agent: string, tools: AnalyzedTool[] = []): AgentBom {
  if (!scan.agents.some((a) => a.id === agent)) throw new InputError(`--agent ${agent}: not found in ${scan.root} (agents: ${scan.agents.map((a) => a.id).join(', ') || 'none'})`);
  return {
    agent,
    components: scan.components.filter((c) => c.agent === agent).map((c) => ({ ecosystem: c.ecosystem, name: c.name, version: c.version, kind: c.kind, product: c.product, ...(c.provider ? { provider: c.provider } : {}) })),
    models: scan.models.filter((m) => m.agent === agent).map(({ agent: _a, origin: _o, file, supplier, ...m }) => ({ ...m, ...(supplier ? { supplier } : {}), ...(m.sha256 ? { path: file } : {}) })),
    services: scan.services.filter((s) => s.agent === agent).map((s) => ({ label: s.label, name: s.name, engine: s.engine, ...(s.url ? { url: s.url } : {}) })),
    mcpServers: scan.mcpServers
      .filter((s) => s.agent === agent)
      .map((s) => ({
        id: s.id,
        name: s.name,
        transport: s.transport,
        ...(s.command ? { command: s.command, args: s.args ?? [] } : {}),
        ...(s.url ? { url: s.url } : {}),
        tools: tools.filter((t) => t.serverId === s.id).map((t) => ({ name: t.name, hash: t.hash, capabilities: t.grants.map(capabilityId) })),
      })),
  };
}

const clean = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;

/** The agent's AI-BOM as the graph holds it. */
export async function agentBomFromGraph(graph: Graph, agent: string): Promise<AgentBom> {
  const bom = (await agentBomsFromGraph(graph, [agent])).get(agent);
  if (!bom) throw new InputError(`--agent ${agent}: no AIAgent with that id in the graph`);
  return bom;
}

/** Several agents' AI-BOMs in one round trip (the API's pages); unknown agents are absent from the map. */
export async function agentBomsFromGraph(graph: Graph, agents: readonly string[]): Promise<Map<string, AgentBom>> {
  const rows = await graph.read('queries/aibom/agent-bom', { agents });
  const list = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]).map(clean) : []);
  return new Map(
    rows.map((row) => {
      const agent = String(row.agent);
      const bom: AgentBom = {
        agent,
        components: list(row.components).map((c) => ({ ...c, version: (c.version as string | undefined) ?? null })) as AgentBom['components'],
        models: list(row.models).map(({ provider, ...m }) => ({ ...m, ...(provider ? { supplier: provider } : {}) })) as AgentBom['models'],
        services: list(row.services) as AgentBom['services'],
        mcpServers: list(row.mcpServers).map((s) => ({ ...s, tools: list(s.tools) })) as AgentBom['mcpServers'],
      };
      return [agent, bom];
    }),
  );
}

/** The agent's declared AI-BOM next to what the sensor observed for it (confirmed / undeclared / dormant). */
export async function agentRuntimeDiff(graph: Graph, agent: string): Promise<import('./runtime-diff.js').RuntimeDiff> {
  const diff = (await agentRuntimeDiffs(graph, [agent])).get(agent);
  if (!diff) throw new InputError(`--agent ${agent}: no AIAgent with that id in the graph`);
  return diff;
}

/** Several agents' runtime diffs in two round trips (one when their `boms` were read already); unknown agents are absent from the map. */
export async function agentRuntimeDiffs(graph: Graph, agents: readonly string[], known?: Map<string, AgentBom>): Promise<Map<string, import('./runtime-diff.js').RuntimeDiff>> {
  const { classifyRuntime } = await import('./runtime-diff.js');
  const [boms, rows] = await Promise.all([known ?? agentBomsFromGraph(graph, agents), graph.read('queries/aibom/agent-runtime', { agents })]);
  const observed = new Map(rows.map((r) => [String(r.agent), r]));
  const arr = <T>(v: unknown) => (Array.isArray(v) ? (v as T[]) : []);
  const out = new Map<string, import('./runtime-diff.js').RuntimeDiff>();
  for (const [agent, declared] of boms) {
    const row = observed.get(agent) ?? {};
    out.set(
      agent,
      classifyRuntime(declared, {
        workloads: arr<string>(row.workloads),
        files: arr<{ path: string; class: string; count?: number; lastSeen?: string }>(row.files),
        dns: arr<{ name: string }>(row.dns),
        processes: arr<{ executable?: string; argv: string[] }>(row.processes),
      }),
    );
  }
  return out;
}
