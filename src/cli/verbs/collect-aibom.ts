/**
 * `reachgraph collect aibom PATH`: the declared AI-BOM of a tree into the graph (source aibom, scope =
 * the directory), and with --connect the tools its MCP servers list (source aibom-mcp): changed
 * definitions, shadowed tools, injection-like text and broad reach become AIFinding nodes.
 */
import type { Command } from 'commander';
import { parseFormat, printJson, printTable, withGraph } from '../shared.js';
import { homeOption, parseTimeout } from './aibom.js';

interface Opts {
  format: string;
  agent?: string;
  home?: string;
  user?: boolean;
  connect?: boolean;
  scope?: string;
  timeout?: string;
  osv?: string;
}

export function register(program: Command): void {
  const collect = program.commands.find((c) => c.name() === 'collect') ?? program.command('collect').description('collect a declared source into the graph');
  collect
    .command('aibom')
    .description('AI-BOM of a source tree or unpacked image (frameworks, models, MCP configs, CycloneDX BOMs); --connect lists MCP tools and detects changed definitions')
    .argument('<path>', 'directory to scan')
    .option('--agent <name>', 'agent id for the scanned directory itself (default: its name)')
    .option('--home <dir>', 'also read user-level MCP client configs under this home directory')
    .option('--user', "also read the current user's MCP client configs")
    .option('--connect', 'start/contact each configured MCP server and list its tools (runs the configured commands)')
    .option('--scope <scope>', 'graph scope (default: the absolute path scanned)')
    .option('--timeout <ms>', 'per MCP server, with --connect', '30000')
    .option('--osv <path>', 'an OSV advisory export (JSON file or directory): pinned components it names become findings')
    .option('-f, --format <format>', 'table or json', 'table')
    .action(async (dir: string, o: Opts) => {
      const format = parseFormat(o.format);
      const { collectAibom } = await import('../../collectors/aibom/collect.js');
      const home = homeOption(o);
      const timeoutMs = parseTimeout(o.timeout);
      const r = await withGraph((g) =>
        collectAibom(g, dir, { ...(o.agent ? { agent: o.agent } : {}), ...(home ? { home } : {}), ...(o.scope ? { scope: o.scope } : {}), ...(timeoutMs ? { timeoutMs } : {}), ...(o.osv ? { osv: o.osv } : {}), connect: o.connect === true }),
      );
      const out = {
        partial: r.scan.partial || r.inventory.some((i) => !i.ok),
        syncs: r.summaries,
        errors: r.scan.errors,
        unlisted: r.inventory.filter((i) => !i.ok).map((i) => ({ server: i.serverId, error: i.error })),
        findings: r.findings.map((f) => ({ id: f.id, severity: f.severity, detail: f.detail })),
      };
      if (format === 'json') return printJson(out);
      const { escapeUntrusted: esc } = await import('../../collectors/aibom/escape.js');
      printTable(r.summaries.map((s) => ({ source: s.source, scope: s.scope, status: s.status, nodes: s.nodes, rels: s.rels, removedNodes: s.removedNodes, removedRels: s.removedRels })));
      if (out.findings.length) printTable(out.findings.map((f) => ({ ...f, detail: esc(f.detail, 120) })));
      for (const e of out.errors) process.stderr.write(`reachgraph: ${e.file}: ${e.message}\n`);
      for (const u of out.unlisted) process.stderr.write(`reachgraph: MCP server ${u.server} not listed: ${esc(u.error ?? '', 300)}\n`);
      if (out.partial) process.stderr.write('reachgraph: partial result: the syncs above ran in append mode (nothing was removed)\n');
    });
}
