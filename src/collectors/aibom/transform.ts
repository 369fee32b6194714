/**
 * Scan, MCP inventory and findings → graph records: agent → MCP server → tool → capability,
 * agent → framework, agent → model / inference server / vector store, finding → subject.
 * Pure. Untrusted text (tool descriptions) goes into properties as data.
 */
import { node, rel, type NodeRecord, type PropValue, type RelRecord } from '../../graph/records.js';
import { agentStateProps } from './agent-changes.js';
import type { AibomFinding } from './findings.js';
import { serverGrants, type AnalyzedTool, type Grant } from './mcp-analysis.js';
import type { McpInventory } from './mcp-connect.js';
import type { AibomScan } from './types.js';

/** AgentFramework id: ecosystem/name@version (the declared range when nothing pins it). */
export const componentId = (c: { ecosystem: string; name: string; version: string | null }) => `${c.ecosystem}/${c.name}@${c.version ?? '*'}`;
export const capabilityId = (g: Grant) => `${g.capability}:${g.target}`;

const ref = (label: string, id: string) => ({ label, id });
/** Drops undefined so records carry only what is known. */
const props = (o: Record<string, PropValue | undefined>): Record<string, PropValue> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, PropValue>;

/**
 * The records of one sync. `declared` (source aibom): what the files say. `mcp` (source aibom-mcp): what
 * the servers listed, so a scan without --connect leaves the last listing in place.
 */
export function aibomBatch(part: 'declared' | 'mcp', scan: AibomScan, inventory: McpInventory[] = [], tools: AnalyzedTool[] = [], findings: AibomFinding[] = []): { nodes: NodeRecord[]; rels: RelRecord[] } {
  const nodes = new Map<string, NodeRecord>();
  const rels: RelRecord[] = [];
  const add = (n: NodeRecord) => nodes.set(`${n.label}\u0000${n.id}`, n);

  if (part === 'declared') declared();
  else listed();
  for (const f of findings) {
    add(node('AIFinding', f.id, { rule: f.rule, severity: f.severity, title: f.title, agent: f.agent, subject: f.subject.id, detail: f.detail }));
    rels.push(rel('AFFECTS', ref('AIFinding', f.id), ref(f.subject.label, f.subject.id)));
  }
  return { nodes: [...nodes.values()], rels };

  function declared() {
    const state = agentStateProps(scan);
    for (const a of scan.agents) add(node('AIAgent', a.id, { name: a.id, dir: a.dir, languages: a.languages, declaredBy: 'aibom-scan', ...props({ promptFiles: a.promptFiles }), ...state.get(a.id) }));
    for (const c of scan.components) {
      const id = componentId(c);
      add(node('AgentFramework', id, props({ name: c.name, version: c.version ?? undefined, ecosystem: c.ecosystem, kind: c.kind, product: c.product, provider: c.provider, pinned: c.pinned })));
      rels.push(rel('BUILT_WITH', ref('AIAgent', c.agent), ref('AgentFramework', id), { props: { file: c.file } }));
    }
    for (const m of scan.models) {
      add(node('AIModel', m.id, props({ name: m.name, origin: m.origin, path: m.origin === 'file' ? m.file : undefined, format: m.format, sha256: m.sha256, size: m.size, version: m.version, provider: m.supplier, modelSource: m.source, task: m.task, architecture: m.architecture, datasets: m.datasets, pinned: m.sha256 !== undefined, kind: m.origin === 'file' ? 'weights' : 'declared' })));
      rels.push(rel('MAY_INVOKE', ref('AIAgent', m.agent), ref('AIModel', m.id), { props: { file: m.file } }));
    }
    for (const s of scan.services) {
      add(node(s.label, s.id, props({ name: s.name, engine: s.engine, url: s.url })));
      rels.push(rel(s.label === 'InferenceServer' ? 'MAY_INVOKE' : 'MAY_USE_TOOL', ref('AIAgent', s.agent), ref(s.label, s.id), { props: { file: s.file } }));
    }
    for (const s of scan.mcpServers) {
      add(node('MCPServer', s.id, props({ name: s.name, client: s.client, level: s.level, configFile: s.file, transport: s.transport, command: s.command, args: s.args, url: s.url, envNames: s.envNames, headerNames: s.headerNames })));
      rels.push(rel('MAY_USE_TOOL', ref('AIAgent', s.agent), ref('MCPServer', s.id), { props: { client: s.client, file: s.file } }));
      for (const g of serverGrants(s)) {
        add(node('AICapability', capabilityId(g), { capability: g.capability, target: g.target }));
        rels.push(rel('GRANTS_CAPABILITY', ref('MCPServer', s.id), ref('AICapability', capabilityId(g)), { props: { via: 'launch' } }));
      }
    }
  }

  function listed() {
    const listedIds = new Set(inventory.map((i) => i.serverId));
    for (const i of inventory) {
      add(node('MCPServer', i.serverId, props({ listed: i.ok, listError: i.error, serverName: i.serverName, serverVersion: i.serverVersion, prompts: i.ok ? i.prompts.map((p) => p.name) : undefined, resources: i.ok ? i.resources.map((r) => r.uri) : undefined })));
    }
    for (const t of tools.filter((x) => listedIds.has(x.serverId))) {
      add(node('MCPTool', t.id, props({ name: t.name, server: t.serverId, description: t.description, definitionHash: t.hash, previousDefinitionHash: t.previousHash, definition: t.definition, injection: t.injection, writes: t.writes })));
      rels.push(rel('OFFERS', ref('MCPServer', t.serverId), ref('MCPTool', t.id)));
      for (const g of t.grants) {
        add(node('AICapability', capabilityId(g), { capability: g.capability, target: g.target }));
        rels.push(rel('GRANTS_CAPABILITY', ref('MCPTool', t.id), ref('AICapability', capabilityId(g)), { props: { via: 'definition' } }));
      }
    }
  }
}
