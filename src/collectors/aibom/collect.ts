/**
 * `collect aibom`: scan a tree, optionally list its MCP servers, and load both through the ingest
 * core. Two sources over one scope: `aibom` (what the files declare) and `aibom-mcp` (what the servers
 * listed), so a scan without --connect leaves the last listing standing. A partial scan or a server
 * that could not be listed turns its sync into append mode: nothing good is removed on a bad day.
 */
import path from 'node:path';
import type { Graph } from '../../graph/driver.js';
import { runSync, type SyncSummary } from '../../graph/ingest.js';
import { agentChanges, storedAgentStates } from './agent-changes.js';
import { aibomFindings, type AibomFinding } from './findings.js';
import { withAdvisories } from './osv.js';
import type { AnalyzedTool } from './mcp-analysis.js';
import { listAndAnalyze, type McpInventory } from './mcp-connect.js';
import { scanAibom, type ScanOptions } from './scan.js';
import { aibomBatch } from './transform.js';
import type { AibomScan } from './types.js';
import type { NodeRecord, RelRecord } from '../../graph/records.js';

export interface CollectAibomOptions extends ScanOptions {
  /** Start/contact the configured MCP servers and list their tools (runs their commands). */
  connect?: boolean;
  /** Graph scope; default: the absolute path of the scanned directory. */
  scope?: string;
  /** Fixed sync id prefix (demo, replays). */
  syncId?: string;
  timeoutMs?: number;
  progress?: boolean;
  /** An OSV advisory export (file or directory) to match pinned components against. */
  osv?: string;
  /** When the changes this sync sees happened (ISO time); default now. Replays and tests pin it. */
  at?: string;
}

export interface CollectAibomResult {
  scan: AibomScan;
  inventory: McpInventory[];
  tools: AnalyzedTool[];
  findings: AibomFinding[];
  summaries: SyncSummary[];
}

/** StateChange records for tools whose definition hash differs from the previous listing's; one id per new definition. */
export function toolChanges(tools: readonly AnalyzedTool[], at: string): { nodes: NodeRecord[]; rels: RelRecord[] } {
  const nodes: NodeRecord[] = [];
  const rels: RelRecord[] = [];
  for (const t of tools) {
    if (!t.previousHash) continue;
    const id = `${t.id}/definition/${t.hash}`;
    nodes.push({ kind: 'node', label: 'StateChange', id, props: { kind: 'mcp-tool', at, before: t.previousHash, after: t.hash } });
    rels.push({ kind: 'rel', type: 'CHANGED', from: { label: 'StateChange', id }, to: { label: 'MCPTool', id: t.id } });
  }
  return { nodes, rels };
}

export async function collectAibom(graph: Graph, root: string, opts: CollectAibomOptions = {}): Promise<CollectAibomResult> {
  const scan = await scanAibom(root, opts);
  const vulnerable = opts.osv ? withAdvisories(scan, opts.osv) : [];
  const scope = opts.scope ?? path.resolve(root);
  const declaredFindings = aibomFindings(scan, [], vulnerable);
  const base = { scope, progress: opts.progress ?? false };
  const summaries: SyncSummary[] = [];
  const at = opts.at ?? new Date().toISOString();
  // Read before the sync overwrites it: the state the previous successful sync declared.
  const before = await storedAgentStates(graph, scan.agents.map((a) => a.id));
  summaries.push(
    await runSync(graph, { ...base, source: 'aibom', mode: scan.partial ? 'append' : 'replace', ...(opts.syncId ? { syncId: opts.syncId } : {}) }, (sink) => sink.write(aibomBatch('declared', scan, [], [], declaredFindings))),
  );
  // A changed model, prompt or config is a declared-state change of the agent (docs/behavior.md).
  const declaredChanges = agentChanges(before, scan, at);
  if (declaredChanges.nodes.length > 0) summaries.push(await runSync(graph, { ...base, source: 'aibom-changes', mode: 'append' }, (sink) => sink.write(declaredChanges)));
  if (!opts.connect) return { scan, inventory: [], tools: [], findings: declaredFindings, summaries };

  const rows = await graph.read('queries/aibom/get-tool-hashes', { servers: scan.mcpServers.map((s) => s.id) });
  const previous = new Map(rows.map((r) => [String(r.id), String(r.hash)]));
  const { inventory, tools } = await listAndAnalyze(scan.mcpServers, { root: scan.root, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) }, previous);
  const findings = aibomFindings(scan, tools, vulnerable);
  // What the declared sync wrote already (unpinned models, launch-only reach) stays its alone.
  const declaredAlready = new Set(declaredFindings.map((f) => `${f.id}\u0000${f.detail}`));
  const mcpFindings = findings.filter((f) => !declaredAlready.has(`${f.id}\u0000${f.detail}`));
  const failed = inventory.some((i) => !i.ok);
  summaries.push(
    await runSync(graph, { ...base, source: 'aibom-mcp', mode: failed ? 'append' : 'replace', ...(opts.syncId ? { syncId: `${opts.syncId}-mcp` } : {}) }, (sink) => sink.write(aibomBatch('mcp', scan, inventory, tools, mcpFindings))),
  );
  // A changed tool definition is a declared-state change of the tool: drift right after it is explained
  // (docs/behavior.md). History, so an append sync of its own that later replace syncs leave alone.
  const changed = toolChanges(tools, at);
  if (changed.nodes.length > 0) summaries.push(await runSync(graph, { ...base, source: 'aibom-changes', mode: 'append' }, (sink) => sink.write(changed)));
  return { scan, inventory, tools, findings, summaries };
}
