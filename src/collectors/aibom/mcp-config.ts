/**
 * MCP client configuration files (Claude Desktop/Code, Cursor, VS Code, Windsurf, Gemini CLI, Kiro,
 * Copilot; catalog.json lists where each keeps them). Env and header values often hold keys: only
 * their names are kept in the result; the values live in a WeakMap beside it, so a connect can
 * launch the server while JSON output and the graph never see them.
 */
import { redactArgv, REDACTED } from '../../sensor/redact.js';
import type { McpClientDef } from './catalog.js';
import { parseJsonLenient } from './manifests.js';
import type { ScannedMcpServer } from './types.js';

/** What launching or reaching a server needs beyond the public record: env and header values. */
export interface McpLaunchSecrets {
  env: Record<string, string>;
  headers: Record<string, string>;
  cwd?: string;
  /** Unredacted command line (stdio) or URL (HTTP): needed to launch, never printed. */
  argv?: string[];
  url?: string;
}

const secrets = new WeakMap<ScannedMcpServer, McpLaunchSecrets>();

/** The env/header values of a scanned server (empty when none were configured). */
export function launchSecretsOf(s: ScannedMcpServer): McpLaunchSecrets {
  return secrets.get(s) ?? { env: {}, headers: {} };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Query values of a URL can be keys (`?key=…`): keep the names, drop the values. */
export function redactUrl(u: string): string {
  try {
    const url = new URL(u);
    if (url.username || url.password) {
      url.username = url.username ? REDACTED : '';
      url.password = '';
    }
    for (const k of [...url.searchParams.keys()]) url.searchParams.set(k, REDACTED);
    return url.toString();
  } catch {
    return u.replace(/\?.*$/, `?${REDACTED}`);
  }
}

const stringMap = (v: unknown): Record<string, string> =>
  isObj(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, String(x)])) : {};

/**
 * Parses one client config file; `agent` owns the servers. Entries that are not server definitions
 * become problems naming their key; the other entries still count.
 */
export function parseMcpConfig(text: string, def: McpClientDef, file: string, agent: string): { servers: ScannedMcpServer[]; problems: string[] } {
  const j = parseJsonLenient(text);
  if (!isObj(j)) throw new Error('not a JSON object');
  const servers: ScannedMcpServer[] = [];
  const problems: string[] = [];
  // [where, table, id prefix]: ~/.claude.json also keeps per-project servers under projects.<path>.mcpServers,
  // whose names may repeat from project to project, so their ids carry the project path.
  const tables: [string, unknown, string][] = [[def.key, def.key.split('.').reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), j), '']];
  if (def.client === 'claude-code' && def.level === 'user' && isObj(j.projects))
    for (const [p, v] of Object.entries(j.projects)) if (isObj(v) && v.mcpServers !== undefined) tables.push([`projects.${p}.mcpServers`, v.mcpServers, `${p}/`]);
  for (const [where, table, prefix] of tables) {
    if (table === undefined) continue;
    if (!isObj(table)) {
      problems.push(`field \`${where}\`: not an object`);
      continue;
    }
    for (const [name, e] of Object.entries(table)) {
      const r = parseEntry(name, e, def, file, agent, `${prefix}${name}`);
      if (typeof r === 'string') problems.push(`field \`${where}.${name}\`: ${r}`);
      else servers.push(r);
    }
  }
  return { servers, problems };
}

function parseEntry(name: string, e: unknown, def: McpClientDef, file: string, agent: string, idName: string): ScannedMcpServer | string {
  if (!isObj(e)) return 'not an object';
  const env = stringMap(e.env);
  const headers = stringMap(e.headers);
  const base = { agent, id: `mcp/${agent}/${idName}`, name, client: def.client, level: def.level, file, envNames: Object.keys(env).sort(), headerNames: Object.keys(headers).sort() };
  const type = typeof e.type === 'string' ? e.type.toLowerCase() : undefined;
  let s: ScannedMcpServer;
  let raw: Pick<McpLaunchSecrets, 'argv' | 'url'>;
  if (typeof e.command === 'string' && e.command && (type === undefined || type === 'stdio' || type === 'local')) {
    if (e.args !== undefined && !(Array.isArray(e.args) && e.args.every((a) => typeof a === 'string'))) return '`args` is not a list of strings';
    const args = (e.args as string[] | undefined) ?? [];
    const [command, ...rest] = redactArgv([e.command, ...args]);
    s = { ...base, transport: 'stdio', command: command!, args: rest };
    raw = { argv: [e.command, ...args] };
  } else {
    const url = [e.url, e.serverUrl, e.httpUrl].find((u): u is string => typeof u === 'string' && u.length > 0);
    if (!url) return 'neither `command` nor `url`';
    // Gemini CLI: httpUrl is streamable HTTP, url is SSE; elsewhere an explicit type decides and HTTP is the default.
    const transport = type === 'sse' || (def.client === 'gemini-cli' && typeof e.url === 'string' && !e.httpUrl) ? 'sse' : 'http';
    s = { ...base, transport, url: redactUrl(url) };
    raw = { url };
  }
  secrets.set(s, { env, headers, ...raw, ...(typeof e.cwd === 'string' ? { cwd: e.cwd } : {}) });
  return s;
}
