/**
 * Demo estate, observed MCP tool calls: one session of the research agent's github MCP server recorded
 * by `reachgraph mcp proxy --agent research-agent --server github --out …` (src/demo/data/mcp-proxy/),
 * loaded with the ingest path `reachgraph ingest` uses. It called get_file_contents, never
 * create_pull_request (unused: the session is complete), and push_files, which the AI-BOM scan of the
 * server does not list (undeclared); the sandbox server ran without the proxy, so run_command is unknown.
 * Loads after the aibom part (parts load in name order), whose MCPTool ids the calls share.
 */
import path from 'node:path';
import type { Graph } from '../../graph/driver.js';
import { projectRoot } from '../../paths.js';
import type { DemoPart } from '../estate.js';

export const demoMcpCalls = () => path.join(projectRoot(), 'src', 'demo', 'data', 'mcp-proxy', 'research-agent-github.jsonl');

export const part: DemoPart = {
  name: 'mcp-calls',
  async load(graph: Graph) {
    const { ingestFile } = await import('../../graph/ingest-file.js');
    return ingestFile(graph, demoMcpCalls(), { progress: false });
  },
};
