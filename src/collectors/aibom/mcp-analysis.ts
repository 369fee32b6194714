/**
 * Pure analysis of MCP tool definitions: a content hash over the whole definition, the capabilities a
 * tool grants, injection-like wording, and what changed between two syncs. Tool text is untrusted
 * data: it is matched and stored, never interpreted.
 */
import crypto from 'node:crypto';
import { mcpRules, type Capability } from './catalog.js';
import type { ScannedMcpServer } from './types.js';

/** A tool as an MCP server lists it (tools/list); every field counts for the hash. */
export interface McpToolDef {
  name: string;
  description?: string;
  inputSchema?: unknown;
  annotations?: unknown;
  [k: string]: unknown;
}

/** JSON with object keys sorted at every level and no whitespace: equal definitions give equal text. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

/**
 * sha256 over the canonical JSON of the whole definition (name, description, input schema,
 * annotations and anything else listed): a scanner that hashes the description alone misses a changed schema.
 */
export function toolDefinitionHash(tool: McpToolDef): string {
  return `sha256:${crypto.createHash('sha256').update(canonicalJson(tool)).digest('hex')}`;
}

/** Which injection patterns a text matches (ids from mcp-rules.json). */
export function injectionHits(text: string): string[] {
  return mcpRules()
    .injectionPatterns.filter((p) => new RegExp(p.pattern, 'iu').test(text))
    .map((p) => p.id);
}

/** All text of a definition a model reads: description, titles and property descriptions of its schema. */
export function toolTexts(tool: McpToolDef): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k === 'description' || k === 'title' || typeof x === 'object') walk(x);
  };
  walk({ description: tool.description, title: tool.title, inputSchema: tool.inputSchema, annotations: tool.annotations });
  return out.join('\n');
}

const schemaProps = (schema: unknown): string[] => {
  const props = schema && typeof schema === 'object' ? (schema as { properties?: unknown }).properties : undefined;
  return props && typeof props === 'object' ? Object.keys(props) : [];
};

/** A capability a tool grants; target narrows it (a filesystem root) when the server's launch says so. */
export interface Grant {
  capability: Capability;
  target: string;
}

/** Filesystem roots and shell reach a server gets from how it is launched (server-filesystem's directory args, a shell). */
export function serverGrants(s: Pick<ScannedMcpServer, 'command' | 'args'>): Grant[] {
  const argv = [s.command ?? '', ...(s.args ?? [])];
  const out: Grant[] = [];
  for (const r of mcpRules().serverLaunchRules) {
    const re = new RegExp(r.commandOrArg, 'i');
    const at = argv.findIndex((a) => re.test(a));
    if (at < 0) continue;
    const roots = r.rootsFromArgs ? argv.slice(at + 1).filter((a) => !a.startsWith('-') && /^([/~.$]|[A-Za-z]:\\)/.test(a)) : [];
    if (roots.length) for (const root of roots) out.push({ capability: r.capability, target: root });
    else out.push({ capability: r.capability, target: '*' });
  }
  return out;
}

/** Capabilities one tool grants: by its name and its input schema's property names, narrowed by the server's launch grants. */
export function toolGrants(tool: McpToolDef, server: Grant[]): Grant[] {
  const props = schemaProps(tool.inputSchema).map((p) => p.toLowerCase());
  const caps = new Set<Capability>();
  for (const r of mcpRules().capabilityRules) {
    if (new RegExp(r.toolName, 'i').test(tool.name) || r.schemaProperties.some((p) => props.includes(p.toLowerCase()))) caps.add(r.capability);
  }
  const out: Grant[] = [];
  for (const c of [...caps].sort()) {
    const narrowed = server.filter((g) => g.capability === c);
    if (narrowed.length) out.push(...narrowed);
    else out.push({ capability: c, target: '*' });
  }
  return out;
}

/** True when a tool changes state: not marked read-only and named like a write. */
export function toolWrites(tool: McpToolDef): boolean {
  const a = (tool.annotations ?? {}) as { readOnlyHint?: unknown; destructiveHint?: unknown };
  if (a.readOnlyHint === true) return false;
  if (a.destructiveHint === true) return true;
  return /(^|_|-)(write|create|edit|delete|remove|move|update|insert|exec|execute|run|send|post|put|set|upload)/i.test(tool.name);
}

/** A filesystem or shell grant is broad when it reaches the whole machine or a home directory. */
export function isBroad(g: Grant): boolean {
  if (g.capability === 'shell') return true;
  if (g.capability !== 'filesystem') return false;
  return g.target === '*' || mcpRules().broadRoots.includes(g.target.replace(/\/+$/, '') || '/');
}

/** Tool names offered by more than one server of one agent: a call by that name may reach either (shadowing). */
export function shadowedTools(servers: { agent: string; serverId: string; tools: string[] }[]): { agent: string; tool: string; servers: string[] }[] {
  const by = new Map<string, Set<string>>();
  for (const s of servers) for (const t of s.tools) {
    const k = `${s.agent}\u0000${t}`;
    if (!by.has(k)) by.set(k, new Set());
    by.get(k)!.add(s.serverId);
  }
  return [...by]
    .filter(([, v]) => v.size > 1)
    .map(([k, v]) => ({ agent: k.split('\u0000')[0]!, tool: k.split('\u0000')[1]!, servers: [...v].sort() }))
    .sort((a, b) => (`${a.agent} ${a.tool}` < `${b.agent} ${b.tool}` ? -1 : 1));
}

/** One listed tool, analysed. `description` is untrusted text, kept verbatim as data. */
export interface AnalyzedTool {
  id: string;
  serverId: string;
  agent: string;
  name: string;
  description: string;
  hash: string;
  /** The hash the graph held from the previous sync, when it differs from this one (a changed definition). */
  previousHash?: string;
  definition: string;
  injection: string[];
  grants: Grant[];
  writes: boolean;
}

export interface InventoryInput {
  server: ScannedMcpServer;
  tools: McpToolDef[];
}

/** Analyses listed tools against the hashes a previous sync stored (tool id → hash). */
export function analyzeTools(inputs: InventoryInput[], previous: ReadonlyMap<string, string>): AnalyzedTool[] {
  const out: AnalyzedTool[] = [];
  for (const { server, tools } of inputs) {
    const launch = serverGrants(server);
    for (const t of tools) {
      const id = `${server.id}/${t.name}`;
      const hash = toolDefinitionHash(t);
      const prev = previous.get(id);
      out.push({
        id,
        serverId: server.id,
        agent: server.agent,
        name: t.name,
        description: typeof t.description === 'string' ? t.description : '',
        hash,
        ...(prev !== undefined && prev !== hash ? { previousHash: prev } : {}),
        definition: canonicalJson(t),
        injection: injectionHits(toolTexts(t)),
        grants: toolGrants(t, launch),
        writes: toolWrites(t),
      });
    }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}
