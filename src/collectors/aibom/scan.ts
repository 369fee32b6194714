/**
 * The declared AI-BOM scan of a source tree or an unpacked image filesystem: package manifests and
 * lock files (AI packages per catalog.json), model files with their sha256, MCP client configs and
 * CycloneDX BOMs. Offline: it reads files and nothing else. Each project directory (one with a
 * manifest, an MCP config or a BOM) is an agent; a file belongs to the nearest one above it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { aibomCatalog, lookupPackage, normalizeName, type McpClientDef } from './catalog.js';
import { importCycloneDx } from './cyclonedx-import.js';
import { manifestKind, parseInstalledMetadata, parseManifest, type DeclaredDep } from './manifests.js';
import { parseMcpConfig } from './mcp-config.js';
import { modelSource } from './model-source.js';
import { parsePromptFile, promptFormat, promptHashes, type ParsedPromptFile } from './prompt-files.js';
import type { AibomScan, ScannedAgent, ScannedComponent, ScannedModel, ScanError } from './types.js';

export interface ScanOptions {
  /** Agent id for the scan root (default: the root directory's name). */
  agent?: string;
  /** Also read the user-level MCP client configs under this home directory; their agent is the client's name. */
  home?: string;
}

const BOM_FILE = /(^|[._-])(bom|cdx|cyclonedx)([._-][\w.-]*)?\.json$/i;

/** Scans `root`; bad files become `errors` and make the result `partial`, they never abort the scan. */
export async function scanAibom(root: string, opts: ScanOptions = {}): Promise<AibomScan> {
  const abs = path.resolve(root);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw new InputError(`${root}: no such directory`);
  }
  if (!st.isDirectory()) throw new InputError(`${root}: not a directory`);
  const cat = aibomCatalog();
  const skip = new Set(cat.skipDirectories);
  const files: string[] = [];
  // Installed distributions: only their metadata is read, never the code under site-packages.
  const installed: string[] = [];
  const readdir = (rel: string) => fs.readdirSync(path.join(abs, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  const sitePackages = (rel: string) => {
    for (const e of readdir(rel)) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory() && e.name.endsWith('.dist-info')) installed.push(`${r}/METADATA`);
      else if (e.isDirectory() && e.name.endsWith('.egg-info')) installed.push(`${r}/PKG-INFO`);
      else if (e.isFile() && e.name.endsWith('.egg-info')) installed.push(r);
    }
  };
  // A virtualenv keeps its packages in lib/pythonX.Y/site-packages (Lib/site-packages on Windows).
  const venv = (rel: string) => {
    for (const lib of ['lib', 'lib64', 'Lib']) {
      const l = `${rel}/${lib}`;
      if (!fs.existsSync(path.join(abs, l)) || !fs.statSync(path.join(abs, l)).isDirectory()) continue;
      if (fs.existsSync(path.join(abs, l, 'site-packages'))) sitePackages(`${l}/site-packages`);
      for (const py of readdir(l)) if (py.isDirectory() && /^python\d/.test(py.name) && fs.existsSync(path.join(abs, l, py.name, 'site-packages'))) sitePackages(`${l}/${py.name}/site-packages`);
    }
  };
  const walk = (rel: string) => {
    for (const e of readdir(rel)) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && (e.name === 'site-packages' || e.name === 'dist-packages')) sitePackages(r);
      else if (e.isDirectory() && (e.name === '.venv' || e.name === 'venv')) venv(r);
      else if (e.isDirectory() && !skip.has(e.name)) walk(r);
      else if (e.isFile()) files.push(r);
    }
  };
  walk('');

  const projectConfigs = cat.mcpClients.filter((c) => c.level === 'project');
  const mcpConfigOf = (f: string): { def: McpClientDef; owner: string } | undefined => {
    for (const def of projectConfigs) if (f === def.path || f.endsWith(`/${def.path}`)) return { def, owner: dirOf(f.slice(0, f.length - def.path.length).replace(/\/$/, '')) };
    return undefined;
  };
  const projectDirs = new Set<string>(['.']);
  for (const f of files) {
    const base = path.posix.basename(f);
    if (manifestKind(base) || BOM_FILE.test(base)) projectDirs.add(dirOf(path.posix.dirname(f)));
    const m = mcpConfigOf(f);
    if (m) projectDirs.add(m.owner);
  }
  const ids = agentIds([...projectDirs], opts.agent ?? path.basename(abs));
  const agentOf = (dir: string): string => {
    for (let d = dir; ; d = dirOf(path.posix.dirname(d))) {
      if (projectDirs.has(d)) return ids.get(d)!;
      if (d === '.') return ids.get('.')!;
    }
  };

  const errors: ScanError[] = [];
  const out: Omit<AibomScan, 'root' | 'agents' | 'errors' | 'partial'> = { components: [], models: [], mcpServers: [], services: [] };
  const deps = new Map<string, { dep: DeclaredDep; file: string }[]>();
  const langs = new Map<string, Set<'node' | 'python'>>();
  const read = (f: string) => fs.readFileSync(path.join(abs, f), 'utf8');
  const modelDirs = new Set(cat.models.directories);
  const prompts = new Map<string, { file: string; parsed: ParsedPromptFile }[]>();

  for (const f of files) {
    const base = path.posix.basename(f);
    const dir = dirOf(path.posix.dirname(f));
    try {
      const kind = manifestKind(base);
      const mcp = mcpConfigOf(f);
      if (kind) {
        const agent = agentOf(dir);
        const parsed = parseManifest(kind, read(f));
        for (const p of parsed.problems) errors.push({ file: f, message: p });
        for (const dep of parsed.deps) push(deps, `${agent}\u0000${dep.ecosystem}\u0000${normalizeName(dep.ecosystem, dep.name)}`, { dep, file: f });
        if (!langs.has(agent)) langs.set(agent, new Set());
        langs.get(agent)!.add(kind === 'package.json' || kind === 'package-lock' ? 'node' : 'python');
      } else if (mcp) {
        const r = parseMcpConfig(read(f), mcp.def, f, ids.get(mcp.owner)!);
        out.mcpServers.push(...r.servers);
        for (const p of r.problems) errors.push({ file: f, message: p });
      } else if (BOM_FILE.test(base)) {
        const r = await importCycloneDx(read(f), f, agentOf(dir));
        out.components.push(...r.components);
        out.models.push(...r.models);
        out.services.push(...r.services);
      } else if (promptFormat(f)) {
        const agent = agentOf(dir);
        const parsed = parsePromptFile(promptFormat(f)!, read(f));
        push(prompts, agent, { file: f, parsed });
        if (parsed.model) out.models.push(promptModel(agent, f, parsed.model, parsed.modelVersion));
      } else {
        const ext = path.posix.extname(base).toLowerCase();
        const format = cat.models.extensions[ext] ?? (f.split('/').some((seg) => modelDirs.has(seg.toLowerCase())) ? cat.models.ambiguousExtensions[ext] : undefined);
        if (format) out.models.push(await modelFile(abs, f, format, agentOf(dir)));
      }
    } catch (e) {
      errors.push({ file: f, message: (e as Error).message });
    }
  }

  for (const f of installed) {
    const agent = agentOf(dirOf(path.posix.dirname(f)));
    try {
      const dep = parseInstalledMetadata(read(f));
      push(deps, `${agent}\u0000pypi\u0000${normalizeName('pypi', dep.name)}`, { dep, file: f });
      if (!langs.has(agent)) langs.set(agent, new Set());
      langs.get(agent)!.add('python');
    } catch (e) {
      errors.push({ file: f, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? `no ${path.posix.basename(f)} in the installed distribution` : (e as Error).message });
    }
  }

  for (const [key, list] of deps) {
    const agent = key.split('\u0000')[0]!;
    // A lock pins what a manifest constrains: when a lock names the package, its versions are the truth.
    const locked = list.filter((d) => d.dep.fromLock);
    const chosen = dedupe(locked.length ? locked : list);
    for (const { dep, file } of chosen) {
      const hit = lookupPackage(dep.ecosystem, dep.name);
      if (hit) out.components.push({ agent, ecosystem: dep.ecosystem, name: dep.name, version: dep.version, pinned: dep.pinned, ...hit, file } satisfies ScannedComponent);
    }
  }

  if (opts.home) {
    for (const def of cat.mcpClients.filter((c) => c.level === 'user')) {
      const p = path.join(opts.home, def.path);
      if (!fs.existsSync(p)) continue;
      try {
        const r = parseMcpConfig(fs.readFileSync(p, 'utf8'), def, p, def.client);
        out.mcpServers.push(...r.servers);
        for (const x of r.problems) errors.push({ file: p, message: x });
      } catch (e) {
        errors.push({ file: p, message: (e as Error).message });
      }
    }
  }

  // A BOM may repeat what a lock file says: one component per agent, package and version, the lock's entry first.
  const seenComp = new Set<string>();
  out.components = out.components
    .sort((a, b) => Number(BOM_FILE.test(a.file)) - Number(BOM_FILE.test(b.file)))
    .filter((c) => {
      const k = `${c.agent}\u0000${c.ecosystem}\u0000${normalizeName(c.ecosystem, c.name)}\u0000${c.version}`;
      return seenComp.has(k) ? false : (seenComp.add(k), true);
    });

  // Several prompt files may name one model: one model per agent, id and version.
  const seenModel = new Set<string>();
  out.models = out.models.filter((m) => {
    const k = `${m.agent}\u0000${m.id}\u0000${m.version ?? ''}`;
    return seenModel.has(k) ? false : (seenModel.add(k), true);
  });

  const used = new Set([...out.components, ...out.models, ...out.mcpServers, ...out.services].map((x) => x.agent).concat([...prompts.keys()]));
  const agents: ScannedAgent[] = [...used].sort().map((id) => {
    const dir = [...ids].find(([, v]) => v === id)?.[0] ?? '(user)';
    const p = prompts.get(id) ?? [];
    return { id, dir, languages: [...(langs.get(id) ?? [])].sort(), ...promptHashes(p), ...(p.length ? { promptFiles: p.map((x) => x.file).sort() } : {}) };
  });
  const by = <T>(k: (t: T) => string) => (a: T, b: T) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0);
  return {
    root: abs,
    agents,
    components: out.components.sort(by((c) => `${c.agent} ${c.ecosystem} ${c.name} ${c.version}`)),
    models: out.models.sort(by((m) => `${m.agent} ${m.id}`)),
    mcpServers: out.mcpServers.sort(by((s) => s.id)),
    services: out.services.sort(by((s) => `${s.agent} ${s.id}`)),
    errors,
    partial: errors.length > 0,
  };
}

/**
 * A prompt file's model: `provider/name` names a provider (Genkit plugin, Prompty type), not a Hugging
 * Face organisation, so the source is the provider's (ollama: its library).
 */
function promptModel(agent: string, file: string, ref: string, version: string | undefined): ScannedModel {
  const slash = ref.indexOf('/');
  const supplier = slash > 0 ? ref.slice(0, slash) : undefined;
  const source = supplier === 'ollama' ? modelSource(ref.slice(slash + 1), { engine: 'ollama' }) : modelSource(undefined, { supplier });
  return { agent, id: ref, name: ref, origin: 'prompt', file, ...(version ? { version } : {}), ...(supplier ? { supplier } : {}), ...(source ? { source } : {}) };
}

const dirOf = (d: string) => (d === '' || d === '.' ? '.' : d);

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function dedupe(list: { dep: DeclaredDep; file: string }[]) {
  const seen = new Map<string, { dep: DeclaredDep; file: string }>();
  for (const d of list) if (!seen.has(String(d.dep.version))) seen.set(String(d.dep.version), d);
  return [...seen.values()];
}

/** Directory name as agent id; the root gets the given name; a name two directories share gets its path. */
function agentIds(dirs: string[], rootId: string): Map<string, string> {
  const counts = new Map<string, number>();
  for (const d of dirs) if (d !== '.') counts.set(path.posix.basename(d), (counts.get(path.posix.basename(d)) ?? 0) + 1);
  return new Map(dirs.map((d) => [d, d === '.' ? rootId : counts.get(path.posix.basename(d))! > 1 || path.posix.basename(d) === rootId ? d : path.posix.basename(d)]));
}

async function modelFile(root: string, rel: string, format: string, agent: string): Promise<ScannedModel> {
  const p = path.join(root, rel);
  const hash = crypto.createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(p)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  const sha256 = hash.digest('hex');
  return { agent, id: `sha256:${sha256}`, name: path.posix.basename(rel), origin: 'file', file: rel, format, sha256, size };
}
