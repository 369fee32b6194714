/**
 * `reachgraph aibom scan PATH`: the declared AI-BOM of a source tree or unpacked image, printed and
 * not loaded (offline unless --connect). `reachgraph aibom export --agent X`: one agent's AI-BOM as
 * CycloneDX 1.6 JSON, from the graph or from a scan (--from PATH). `reachgraph aibom diff --agent X`:
 * declared next to observed.
 */
import os from 'node:os';
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { parseFormat, printJson, printTable, withGraph } from '../shared.js';

interface ScanOpts {
  format: string;
  agent?: string;
  home?: string;
  user?: boolean;
  connect?: boolean;
  timeout?: string;
  osv?: string;
}

interface ExportOpts {
  agent: string;
  format: string;
  from?: string;
  connect?: boolean;
  output?: string;
}

/** --home DIR, or --user for the current user's home. */
export function homeOption(o: { home?: string; user?: boolean }): string | undefined {
  return o.home ?? (o.user ? os.homedir() : undefined);
}

export function parseTimeout(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InputError(`--timeout: a positive number of milliseconds, got "${v}"`);
  return n;
}

export function register(program: Command): void {
  const aibom = program.command('aibom').description('AI-BOM: frameworks, models, MCP servers and tools of agents');
  aibom
    .command('scan')
    .description('scan a source tree or unpacked image for AI frameworks/SDKs, model files (sha256), MCP client configs and CycloneDX BOMs; prints, does not touch the graph')
    .argument('<path>', 'directory to scan')
    .option('-f, --format <format>', 'table or json', 'table')
    .option('--agent <name>', 'agent id for the scanned directory itself (default: its name)')
    .option('--home <dir>', 'also read user-level MCP client configs under this home directory')
    .option('--user', "also read the current user's MCP client configs")
    .option('--connect', 'start/contact each configured MCP server and list its tools, prompts and resources (runs the configured commands)')
    .option('--timeout <ms>', 'per MCP server, with --connect', '30000')
    .option('--osv <path>', 'an OSV advisory export (JSON file or directory) to match pinned components against, offline')
    .action(async (dir: string, o: ScanOpts) => {
      const format = parseFormat(o.format);
      const [{ scanAibom }, { aibomFindings }] = await Promise.all([import('../../collectors/aibom/scan.js'), import('../../collectors/aibom/findings.js')]);
      const home = homeOption(o);
      const scan = await scanAibom(dir, { ...(o.agent ? { agent: o.agent } : {}), ...(home ? { home } : {}) });
      let tools: import('../../collectors/aibom/mcp-analysis.js').AnalyzedTool[] = [];
      let inventory: import('../../collectors/aibom/mcp-connect.js').McpInventory[] = [];
      if (o.connect) {
        const { listAndAnalyze } = await import('../../collectors/aibom/mcp-connect.js');
        const timeoutMs = parseTimeout(o.timeout);
        ({ inventory, tools } = await listAndAnalyze(scan.mcpServers, { root: scan.root, ...(timeoutMs ? { timeoutMs } : {}) }));
      }
      const vulnerable = o.osv ? (await import('../../collectors/aibom/osv.js')).withAdvisories(scan, o.osv) : [];
      const findings = aibomFindings(scan, tools, vulnerable);
      if (format === 'json') {
        printJson({ ...scan, ...(o.connect ? { inventory: inventory.map(({ tools: _t, ...i }) => i), tools } : {}), findings });
        return;
      }
      const { escapeUntrusted: esc } = await import('../../collectors/aibom/escape.js');
      const section = (title: string, rows: Record<string, unknown>[]) => {
        process.stdout.write(`\n${title}\n`);
        printTable(rows);
      };
      process.stdout.write(`AI-BOM of ${scan.root}${scan.partial ? ` (PARTIAL: ${scan.errors.length} problem(s), see below)` : ''}\n`);
      section('Agents', scan.agents.map((a) => ({ agent: a.id, dir: a.dir, languages: a.languages.join(',') })));
      section('Frameworks and SDKs', scan.components.map((c) => ({ agent: c.agent, ecosystem: c.ecosystem, name: esc(c.name), version: c.version ?? '', pinned: c.pinned, kind: c.kind, file: c.file })));
      section('Models', scan.models.map((m) => ({ agent: m.agent, name: esc(m.name), origin: m.origin, format: m.format ?? '', digest: m.sha256 ? `sha256:${m.sha256.slice(0, 16)}…` : '(none)', file: m.file })));
      section('MCP servers', scan.mcpServers.map((s) => ({ agent: s.agent, server: esc(s.name), client: s.client, level: s.level, transport: s.transport, launch: esc(s.url ?? [s.command, ...(s.args ?? [])].join(' ')), env: s.envNames.join(','), file: s.file })));
      if (scan.services.length) section('Inference servers and vector stores', scan.services.map((s) => ({ agent: s.agent, kind: s.label, name: esc(s.name), engine: s.engine, url: s.url ?? '' })));
      if (o.connect) {
        const failed = inventory.filter((i) => !i.ok);
        if (failed.length) section('MCP servers not listed', failed.map((i) => ({ server: i.serverId, error: esc(i.error ?? '', 200) })));
        section('MCP tools (descriptions are untrusted text, shown escaped)', tools.map((t) => ({ tool: t.id, hash: `${t.hash.slice(0, 19)}…`, writes: t.writes, grants: t.grants.map((g) => `${g.capability}:${g.target}`).join(','), injection: t.injection.join(','), description: esc(t.description, 100) })));
      }
      section('Findings', findings.map((f) => ({ id: f.id, severity: f.severity, detail: esc(f.detail, 120) })));
      if (scan.errors.length) section('Problems (these files were skipped or partly read)', scan.errors.map((e) => ({ file: e.file, problem: esc(e.message, 200) })));
    });

  aibom
    .command('diff')
    .description("one agent's declared AI-BOM next to what the sensor observed: confirmed (both), undeclared (observed only), dormant (declared only)")
    .requiredOption('--agent <id>', 'AIAgent id')
    .option('-f, --format <format>', 'table or json', 'table')
    .action(async (o: { agent: string; format: string }) => {
      const format = parseFormat(o.format);
      const { agentRuntimeDiff } = await import('../../collectors/aibom/agent-bom.js');
      const d = await withGraph((g) => agentRuntimeDiff(g, o.agent));
      if (format === 'json') return printJson(d);
      const { escapeUntrusted: esc } = await import('../../collectors/aibom/escape.js');
      process.stdout.write(`${o.agent}: ${d.workloads.length} observed workload(s)${d.workloads.length ? '' : ' (no sensor data: everything declared is dormant)'}\n`);
      for (const k of ['confirmed', 'undeclared', 'dormant'] as const) {
        process.stdout.write(`\n${k}\n`);
        printTable(d[k].map((i) => ({ kind: i.kind, name: esc(i.name), declared: i.declared ?? '', observed: esc((i.observed ?? []).join(', '), 100) })));
      }
    });

  aibom
    .command('export')
    .description("write one agent's AI-BOM as CycloneDX 1.6 JSON (with the sensor's runtime evidence) or SPDX 3.0.1 JSON-LD, from the graph or from a scan (--from)")
    .requiredOption('--agent <id>', 'AIAgent id')
    .option('--format <format>', 'cyclonedx (1.6 JSON) or spdx (3.0.1 JSON-LD)', 'cyclonedx')
    .option('--from <path>', 'scan this directory instead of reading the graph')
    .option('--connect', 'with --from: also list the MCP servers, so tools appear in the BOM')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (o: ExportOpts) => {
      if (o.format !== 'cyclonedx' && o.format !== 'spdx') throw new InputError(`--format: cyclonedx or spdx, got "${o.format}"`);
      const [{ agentBomFromGraph, agentBomFromScan }, { agentBomToCycloneDx }] = await Promise.all([import('../../collectors/aibom/agent-bom.js'), import('../../collectors/aibom/export-cyclonedx.js')]);
      let bom;
      let runtime: import('../../collectors/aibom/runtime-diff.js').RuntimeDiff | undefined;
      if (o.from) {
        const { scanAibom } = await import('../../collectors/aibom/scan.js');
        const scan = await scanAibom(o.from);
        let tools: import('../../collectors/aibom/mcp-analysis.js').AnalyzedTool[] = [];
        if (o.connect) {
          const { listAndAnalyze } = await import('../../collectors/aibom/mcp-connect.js');
          ({ tools } = await listAndAnalyze(scan.mcpServers.filter((s) => s.agent === o.agent), { root: scan.root }));
        }
        bom = agentBomFromScan(scan, o.agent, tools);
      } else {
        const { agentRuntimeDiff } = await import('../../collectors/aibom/agent-bom.js');
        [bom, runtime] = await withGraph(async (g) => [await agentBomFromGraph(g, o.agent), await agentRuntimeDiff(g, o.agent)] as const);
      }
      const text = o.format === 'spdx' ? (await import('../../collectors/aibom/export-spdx.js')).agentBomToSpdx(bom) : await agentBomToCycloneDx(bom, runtime ? { runtime } : {});
      if (o.output) (await import('node:fs')).writeFileSync(o.output, `${text}\n`);
      else process.stdout.write(`${text}\n`);
    });
}
