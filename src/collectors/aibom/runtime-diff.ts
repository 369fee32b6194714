/**
 * The runtime-derived AI-BOM of one agent, next to its declared one. Observed: model files opened,
 * agent packages loaded (files under site-packages / node_modules), LLM API hosts resolved (by DNS
 * name, catalog.json llmApiHosts), service hosts resolved, MCP server processes run. A component both
 * declared and observed is confirmed, observed only undeclared, declared only dormant. Pure.
 * "Dormant" means "not seen in the sensor's window": the sensor's file rules decide which loads it records.
 */
import path from 'node:path';
import { aibomCatalog, normalizeName, type Ecosystem } from './catalog.js';
import type { AgentBom } from './export-cyclonedx.js';

export interface Observations {
  workloads: string[];
  files: { path: string; class: string; count?: number | null; lastSeen?: string | null }[];
  dns: { name: string; count?: number | null; lastSeen?: string | null }[];
  processes: { executable?: string | null; argv: string[] }[];
}

export type DiffKind = 'model' | 'package' | 'llm-api' | 'service' | 'mcp-server';

export interface DiffItem {
  kind: DiffKind;
  /** The component: model file name, ecosystem/package, provider, service host, MCP server name. */
  name: string;
  /** Graph id of the declared component, when declared. */
  declared?: string;
  /** What the sensor saw, when observed: file paths, DNS names, argv. */
  observed?: string[];
}

export interface RuntimeDiff {
  agent: string;
  workloads: string[];
  confirmed: DiffItem[];
  undeclared: DiffItem[];
  dormant: DiffItem[];
}

/** site-packages/<dir>/… → pypi name; node_modules/(@scope/)name/… → npm name. */
export function packageOfPath(p: string): { ecosystem: Ecosystem; name: string } | undefined {
  const py = /\/(?:site|dist)-packages\/([A-Za-z0-9_.-]+)/.exec(p);
  if (py) return { ecosystem: 'pypi', name: normalizeName('pypi', py[1]!.replace(/\.py$/, '').replace(/-[\d.]+\.(dist|egg)-info$/, '')) };
  const nm = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p);
  if (nm) return { ecosystem: 'npm', name: normalizeName('npm', nm[1]!) };
  return undefined;
}

/** The LLM API provider a DNS name belongs to (catalog.json), if any. */
export function providerOfHost(host: string): string | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  return aibomCatalog().llmApiHosts.hosts.find((x) => new RegExp(x.pattern, 'i').test(h))?.provider;
}

const canonicalProvider = (p: string) => aibomCatalog().llmApiHosts.aliases[p.toLowerCase()] ?? p.toLowerCase();
const hostOf = (url: string) => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
};
/** A process looks like an MCP server when its argv names one (npx/uvx packages, server binaries). */
const MCP_ARGV = /(^|[/@_-])mcp([/_.-]|$)|modelcontextprotocol|mcp-server|server-[a-z]+/i;

interface Slot {
  item: DiffItem;
  seen: boolean;
}

export function classifyRuntime(declared: AgentBom, obs: Observations): RuntimeDiff {
  const slots = new Map<string, Slot>();
  const declare = (key: string, kind: DiffKind, name: string, id: string) => {
    if (!slots.has(key)) slots.set(key, { item: { kind, name, declared: id }, seen: false });
  };
  const observe = (key: string, kind: DiffKind, name: string, evidence: string) => {
    const s = slots.get(key) ?? { item: { kind, name }, seen: false };
    s.seen = true;
    s.item.observed = [...new Set([...(s.item.observed ?? []), evidence])].sort();
    slots.set(key, s);
  };

  for (const c of declared.components) declare(`package:${c.ecosystem}/${normalizeName(c.ecosystem as Ecosystem, c.name)}`, 'package', `${c.ecosystem}/${c.name}`, `${c.ecosystem}/${c.name}@${c.version ?? '*'}`);
  for (const c of declared.components) if (c.provider) declare(`llm-api:${canonicalProvider(c.provider)}`, 'llm-api', canonicalProvider(c.provider), `${c.ecosystem}/${c.name}@${c.version ?? '*'}`);
  for (const m of declared.models) {
    if (m.path) declare(`model:${path.posix.basename(m.path).toLowerCase()}`, 'model', path.posix.basename(m.path), m.id);
    else if (m.supplier) declare(`llm-api:${canonicalProvider(m.supplier)}`, 'llm-api', canonicalProvider(m.supplier), m.id);
    else declare(`model:${m.name.toLowerCase()}`, 'model', m.name, m.id);
  }
  for (const s of declared.services) {
    const h = s.url ? hostOf(s.url) : undefined;
    if (h) declare(`service:${h}`, 'service', h, s.url!);
  }
  for (const s of declared.mcpServers) if (s.command) declare(`mcp:${s.id}`, 'mcp-server', s.name, s.id);

  for (const f of obs.files) {
    if (f.class === 'model') observe(`model:${path.posix.basename(f.path).toLowerCase()}`, 'model', path.posix.basename(f.path), f.path);
    const pkg = packageOfPath(f.path);
    if (pkg) observe(`package:${pkg.ecosystem}/${pkg.name}`, 'package', `${pkg.ecosystem}/${pkg.name}`, f.path);
  }
  const serviceHosts = [...slots.keys()].filter((k) => k.startsWith('service:')).map((k) => k.slice('service:'.length));
  for (const d of obs.dns) {
    const name = d.name.toLowerCase().replace(/\.$/, '');
    const provider = providerOfHost(name);
    if (provider) observe(`llm-api:${provider}`, 'llm-api', provider, name);
    // In-cluster names resolve with the search domain appended: qdrant.data.svc → qdrant.data.svc.cluster.local.
    const svc = serviceHosts.find((h) => name === h || name.startsWith(`${h}.`));
    if (svc) observe(`service:${svc}`, 'service', svc, name);
  }
  for (const p of obs.processes) {
    const argv = p.argv.join(' ');
    const match = declared.mcpServers.find((s) => s.command && matchesLaunch(s.command, s.args ?? [], p.argv));
    if (match) observe(`mcp:${match.id}`, 'mcp-server', match.name, argv);
    else if (MCP_ARGV.test(argv)) observe(`mcp-undeclared:${argv}`, 'mcp-server', path.posix.basename(p.argv[0] ?? p.executable ?? '?'), argv);
  }

  const out: RuntimeDiff = { agent: declared.agent, workloads: obs.workloads, confirmed: [], undeclared: [], dormant: [] };
  for (const s of slots.values()) {
    if (s.item.declared && s.seen) out.confirmed.push(s.item);
    else if (s.seen) out.undeclared.push(s.item);
    else out.dormant.push(s.item);
  }
  const order = (a: DiffItem, b: DiffItem) => (`${a.kind} ${a.name}` < `${b.kind} ${b.name}` ? -1 : 1);
  out.confirmed.sort(order);
  out.undeclared.sort(order);
  out.dormant.sort(order);
  return out;
}

/** A process is the declared server when its program has the command's name and its argv carries the declared arguments. */
function matchesLaunch(command: string, args: string[], argv: string[]): boolean {
  if (argv.length === 0 || path.posix.basename(argv[0]!) !== path.posix.basename(command)) return false;
  const seen = argv.slice(1).map((a) => path.posix.basename(a));
  return args.filter((a) => !a.startsWith('-')).every((a) => seen.includes(path.posix.basename(a)));
}
