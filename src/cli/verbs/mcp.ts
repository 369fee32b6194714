/**
 * `reachgraph mcp proxy --agent A [--server NAME] [--out FILE] -- CMD ARGS…`: wraps a stdio MCP server
 * so its tool calls become observed DID_CALL_TOOL edges (docs/aibom.md, "Observed tool calls"). Put it
 * in front of the server's command in the agent's MCP config. Standard output belongs to the protocol:
 * the proxy writes nothing of its own there.
 */
import type { Command } from 'commander';
import { InputError } from '../../errors.js';

interface ProxyOpts {
  agent: string;
  server?: string;
  out?: string;
  wait: number;
}

// Ids may hold "/": a Claude Code project-level server's AI-BOM name is "<project path>/<name>".
const NAME = /^[^\u0000-\u001f\u007f]{1,256}$/;

export function register(program: Command): void {
  const mcp = program.command('mcp').description('MCP: observe the tool calls of stdio MCP servers');
  mcp
    .command('proxy')
    .description('spawn a stdio MCP server, relay the client\'s stdin/stdout to it unchanged, and record each tools/call (tool, count, first/last seen, errors; never arguments or results)')
    .requiredOption('--agent <id>', 'the AIAgent id the calls belong to (as the AI-BOM names it)')
    .option('--server <name>', 'the server\'s name in the agent\'s MCP config (for a Claude Code project entry, "<project path>/<name>"), so tool ids match the AI-BOM (mcp/AGENT/NAME/TOOL); default: the name the server reports at initialize')
    .option('--out <file>', 'write the observations as an ingest file (docs/ingest-format.md) instead of loading them into the graph')
    .option('--wait <seconds>', 'when loading: how long to wait for another sync of the same agent and server', (v) => Number(v), 60)
    .argument('<command>', 'the MCP server command (after --)')
    .argument('[args...]', 'its arguments')
    .action(async (command: string, args: string[], o: ProxyOpts) => {
      if (!NAME.test(o.agent)) throw new InputError(`--agent: 1-256 characters without control characters, got ${JSON.stringify(o.agent)}`);
      if (o.server !== undefined && !NAME.test(o.server)) throw new InputError(`--server: 1-256 characters without control characters, got ${JSON.stringify(o.server)}`);
      if (!Number.isFinite(o.wait) || o.wait < 0) throw new InputError('--wait: must be a number of seconds, 0 or more');
      const fs = await import('node:fs');
      const path = await import('node:path');
      if (o.out !== undefined && !fs.existsSync(path.dirname(path.resolve(o.out)))) throw new InputError(`--out ${o.out}: the directory does not exist`);
      const { runMcpProxy } = await import('../../sensor/mcp-proxy.js');
      const { sessionRecords, mcpServerId, mcpSessionSyncId } = await import('../../sensor/mcp-calls.js');
      const r = await runMcpProxy({ command, args, input: process.stdin, output: process.stdout });
      // The client's stdin may stay open after the server is gone; it must not keep the proxy alive.
      process.stdin.destroy();
      const server = o.server ?? (r.recorder.serverName && NAME.test(r.recorder.serverName) ? r.recorder.serverName : path.basename(command));
      const syncId = mcpSessionSyncId(o.agent, server, r.from, process.pid);
      const lines = sessionRecords(r.recorder, { agent: o.agent, server, syncId, from: r.from, to: r.to })
        .map((x) => JSON.stringify(x))
        .join('\n') + '\n';
      const calls = r.recorder.calls().reduce((s, c) => s + c.count, 0);
      const summary = `reachgraph mcp proxy: ${calls} tool call(s) to ${mcpServerId(o.agent, server)}, ${r.recorder.unparsed} unparsed line(s)`;
      if (o.out !== undefined) {
        const tmp = `${o.out}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, lines, { mode: 0o600 });
        fs.renameSync(tmp, o.out);
        process.stderr.write(`${summary}; written to ${o.out}\n`);
      } else {
        const os = await import('node:os');
        const { withGraph } = await import('../shared.js');
        const { ingestFile } = await import('../../graph/ingest-file.js');
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachgraph-mcp-'));
        const file = path.join(dir, 'calls.jsonl');
        fs.writeFileSync(file, lines, { mode: 0o600 });
        try {
          await withGraph((g) => ingestFile(g, file, { progress: false, leaseWaitMs: o.wait * 1000 }));
          fs.rmSync(dir, { recursive: true, force: true });
          process.stderr.write(`${summary}; loaded into the graph\n`);
        } catch (e) {
          // The observations are kept for `reachgraph ingest` rather than lost with the graph.
          process.stderr.write(`${summary}; not loaded (${(e as Error).message}); kept in ${file}\n`);
          process.exitCode = 1;
          return;
        }
      }
      process.exitCode = r.exitCode;
    });
}
