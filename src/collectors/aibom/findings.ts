/**
 * AI-BOM findings with stable ids (`aibom:<rule>:<subject id>`), so a finding keeps its node across
 * syncs and a risk catalog can adopt the rule ids as they are. Pure: scan and analysis in, findings out.
 */
import { isBroad, serverGrants, shadowedTools, type AnalyzedTool, type Grant } from './mcp-analysis.js';
import type { VulnerableMatch } from './osv.js';
import { componentId } from './transform.js';
import type { AibomScan } from './types.js';

export const AIBOM_RULES = {
  'unpinned-model': { severity: 'medium', title: 'Model without a digest: what runs can change unnoticed' },
  'mcp-tool-changed': { severity: 'high', title: 'MCP tool definition changed since the last sync (possible rug pull)' },
  'mcp-tool-shadowed': { severity: 'high', title: 'Two MCP servers of one agent offer a tool of the same name (shadowing)' },
  'mcp-injection-like': { severity: 'high', title: 'MCP tool text reads like instructions to the model (tool poisoning)' },
  'mcp-broad-reach': { severity: 'high', title: 'MCP server launched with broad filesystem or shell reach' },
  'vulnerable-component': { severity: 'high', title: 'AI component version named by a supplied OSV advisory' },
} as const;
export type Severity = 'low' | 'medium' | 'high' | 'critical';
export type AibomRule = keyof typeof AIBOM_RULES;

export interface AibomFinding {
  id: string;
  rule: AibomRule;
  severity: Severity;
  title: string;
  agent: string;
  /** The node the finding is about. */
  subject: { label: 'AIModel' | 'MCPTool' | 'MCPServer' | 'AgentFramework'; id: string };
  /** Evidence, as data (never instructions): hashes, pattern ids, servers, grants. */
  detail: string;
}

const finding = (rule: AibomRule, agent: string, subject: AibomFinding['subject'], detail: string, idSuffix = subject.id): AibomFinding => ({
  id: `aibom:${rule}:${idSuffix}`,
  rule,
  severity: AIBOM_RULES[rule].severity,
  title: AIBOM_RULES[rule].title,
  agent,
  subject,
  detail,
});

const grantText = (g: Grant[]) => g.map((x) => `${x.capability}:${x.target}`).join(', ');

/** OSV's database_specific.severity words onto ours; an advisory without one counts as high. */
const OSV_SEVERITY: Record<string, Severity> = { low: 'low', moderate: 'medium', medium: 'medium', high: 'high', critical: 'critical' };

/** Every finding of a scan, (when servers were listed) its tool analysis, and (with --osv) advisory matches. */
export function aibomFindings(scan: AibomScan, tools: AnalyzedTool[] = [], vulnerable: VulnerableMatch[] = []): AibomFinding[] {
  const out: AibomFinding[] = [];
  for (const { component: c, advisory: a } of vulnerable) {
    const id = componentId(c);
    const f = finding('vulnerable-component', c.agent, { label: 'AgentFramework', id }, `${a.id}${a.aliases?.length ? ` (${a.aliases.join(', ')})` : ''}: ${a.summary ?? 'no summary'}`, `${c.agent}/${id}/${a.id}`);
    out.push({ ...f, severity: OSV_SEVERITY[(a.database_specific?.severity ?? '').toLowerCase()] ?? 'high' });
  }
  for (const m of scan.models) if (!m.sha256) out.push(finding('unpinned-model', m.agent, { label: 'AIModel', id: m.id }, `declared in ${m.file} by name only`, `${m.agent}/${m.id}`));
  for (const t of tools) {
    if (t.previousHash) out.push(finding('mcp-tool-changed', t.agent, { label: 'MCPTool', id: t.id }, `definition hash ${t.previousHash} -> ${t.hash}`));
    if (t.injection.length) out.push(finding('mcp-injection-like', t.agent, { label: 'MCPTool', id: t.id }, `patterns: ${t.injection.join(', ')}`));
  }
  const byServer = new Map<string, string[]>();
  for (const t of tools) byServer.set(t.serverId, [...(byServer.get(t.serverId) ?? []), t.name]);
  const agentOf = new Map(scan.mcpServers.map((s) => [s.id, s.agent]));
  for (const sh of shadowedTools([...byServer].map(([serverId, names]) => ({ agent: agentOf.get(serverId) ?? '', serverId, tools: names }))))
    for (const serverId of sh.servers) out.push(finding('mcp-tool-shadowed', sh.agent, { label: 'MCPTool', id: `${serverId}/${sh.tool}` }, `tool "${sh.tool}" is offered by ${sh.servers.join(' and ')}`));
  for (const s of scan.mcpServers) {
    // Launch grants are what the server was given; a tool's own filesystem grant of unknown scope is not evidence of breadth, its shell grant is.
    const broad = [...serverGrants(s), ...tools.filter((t) => t.serverId === s.id).flatMap((t) => t.grants.filter((g) => g.capability === 'shell'))].filter(isBroad);
    const uniq = [...new Map(broad.map((g) => [`${g.capability}:${g.target}`, g])).values()];
    if (uniq.length) out.push(finding('mcp-broad-reach', s.agent, { label: 'MCPServer', id: s.id }, `grants ${grantText(uniq)}`));
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}
