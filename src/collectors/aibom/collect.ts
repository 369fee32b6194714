/**
 * `collect aibom`: scan a tree, optionally list its MCP servers, and load both through the ingest
 * core. Two sources over one scope: `aibom` (what the files declare) and `aibom-mcp` (what the servers
 * listed), so a scan without --connect leaves the last listing standing. A partial scan or a server
 * that could not be listed turns its sync into append mode: nothing good is removed on a bad day.
 */
import path from 'node:path';
import type { Graph } from '../../graph/driver.js';
import { runSync, type SyncSummary } from '../../graph/ingest.js';
import { aibomFindings, type AibomFinding } from './findings.js';
import { withAdvisories } from './osv.js';
import type { AnalyzedTool } from './mcp-analysis.js';
import { listAndAnalyze, type McpInventory } from './mcp-connect.js';
import { scanAibom, type ScanOptions } from './scan.js';
import { aibomBatch } from './transform.js';
import type { AibomScan } from './types.js';

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
}

export interface CollectAibomResult {
  scan: AibomScan;
  inventory: McpInventory[];
  tools: AnalyzedTool[];
  findings: AibomFinding[];
  summaries: SyncSummary[];
}

export async function collectAibom(graph: Graph, root: string, opts: CollectAibomOptions = {}): Promise<CollectAibomResult> {
  const scan = await scanAibom(root, opts);
  const vulnerable = opts.osv ? withAdvisories(scan, opts.osv) : [];
  const scope = opts.scope ?? path.resolve(root);
  const declaredFindings = aibomFindings(scan, [], vulnerable);
  const base = { scope, progress: opts.progress ?? false };
  const summaries: SyncSummary[] = [];
  summaries.push(
    await runSync(graph, { ...base, source: 'aibom', mode: scan.partial ? 'append' : 'replace', ...(opts.syncId ? { syncId: opts.syncId } : {}) }, (sink) => sink.write(aibomBatch('declared', scan, [], [], declaredFindings))),
  );
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
  return { scan, inventory, tools, findings, summaries };
}
