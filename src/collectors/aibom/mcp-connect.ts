/**
 * Connects to configured MCP servers with the official MCP TypeScript SDK (stdio, streamable HTTP,
 * SSE) and lists their tools, prompts and resources. This starts the configured commands: it runs
 * only when asked (`--connect`). Nothing but the MCP handshake and list calls is sent.
 */
import path from 'node:path';
import { launchSecretsOf } from './mcp-config.js';
import { analyzeTools, type AnalyzedTool, type McpToolDef } from './mcp-analysis.js';
import type { ScannedMcpServer } from './types.js';

/** What one server offered, or why it could not be asked. */
export interface McpInventory {
  serverId: string;
  ok: boolean;
  error?: string;
  serverName?: string;
  serverVersion?: string;
  tools: McpToolDef[];
  prompts: { name: string; description?: string }[];
  resources: { uri: string; name?: string }[];
}

export interface ConnectOptions {
  /** Directory config-relative commands run in (the scan root). */
  root: string;
  /** Per-server limit for connect plus listing; default 30 s. */
  timeoutMs?: number;
}

/** Lists every server, one at a time (stdio servers are processes; two cores). A failure is recorded for that server only. */
export async function inventoryServers(servers: ScannedMcpServer[], opts: ConnectOptions): Promise<McpInventory[]> {
  const out: McpInventory[] = [];
  for (const s of servers) out.push(await inventoryOne(s, opts));
  return out;
}

/** Lists the servers and analyses the tools of those that answered, against the hashes of an earlier sync. */
export async function listAndAnalyze(servers: ScannedMcpServer[], opts: ConnectOptions, previous: ReadonlyMap<string, string> = new Map()): Promise<{ inventory: McpInventory[]; tools: AnalyzedTool[] }> {
  const inventory = await inventoryServers(servers, opts);
  const byId = new Map(servers.map((s) => [s.id, s]));
  return { inventory, tools: analyzeTools(inventory.filter((i) => i.ok).map((i) => ({ server: byId.get(i.serverId)!, tools: i.tools })), previous) };
}

async function inventoryOne(s: ScannedMcpServer, opts: ConnectOptions): Promise<McpInventory> {
  // One after the other: two concurrent first imports of modules sharing zod trip jest's ESM loader.
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport, getDefaultEnvironment } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  const secrets = launchSecretsOf(s);
  const base: McpInventory = { serverId: s.id, ok: false, tools: [], prompts: [], resources: [] };
  const client = new Client({ name: 'reachgraph-aibom', version: '0.1.0' });
  let stderr = '';
  let transport;
  if (s.transport === 'stdio') {
    const [command, ...args] = secrets.argv ?? [s.command!, ...(s.args ?? [])];
    const cwd = secrets.cwd ? path.resolve(opts.root, path.dirname(s.file), secrets.cwd) : path.resolve(opts.root, path.dirname(s.file));
    const t = new StdioClientTransport({ command: command!, args, env: { ...getDefaultEnvironment(), ...secrets.env }, cwd, stderr: 'pipe' });
    t.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-2000)));
    transport = t;
  } else {
    const url = new URL(secrets.url ?? s.url!);
    const requestInit = { headers: secrets.headers };
    if (s.transport === 'sse') {
      const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js');
      transport = new SSEClientTransport(url, { requestInit });
    } else {
      const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
      transport = new StreamableHTTPClientTransport(url, { requestInit });
    }
  }
  const timeout = opts.timeoutMs ?? 30_000;
  const req = { timeout };
  try {
    await withTimeout(client.connect(transport, req), timeout, `${s.id}: no MCP handshake within ${timeout} ms`);
    const caps = client.getServerCapabilities() ?? {};
    const info = client.getServerVersion();
    const tools: McpToolDef[] = [];
    if (caps.tools) for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const r = await client.listTools(cursor ? { cursor } : undefined, req);
      tools.push(...(r.tools as McpToolDef[]));
      cursor = r.nextCursor;
    }
    const prompts: McpInventory['prompts'] = [];
    if (caps.prompts) for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const r = await client.listPrompts(cursor ? { cursor } : undefined, req);
      prompts.push(...r.prompts.map((p) => ({ name: p.name, ...(p.description ? { description: p.description } : {}) })));
      cursor = r.nextCursor;
    }
    const resources: McpInventory['resources'] = [];
    if (caps.resources) for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const r = await client.listResources(cursor ? { cursor } : undefined, req);
      resources.push(...r.resources.map((x) => ({ uri: x.uri, ...(x.name ? { name: x.name } : {}) })));
      cursor = r.nextCursor;
    }
    return { ...base, ok: true, ...(info?.name ? { serverName: info.name } : {}), ...(info?.version ? { serverVersion: info.version } : {}), tools, prompts, resources };
  } catch (e) {
    // A server may echo its own token: the configured values never leave, even inside an error.
    let tail = stderr.trim().split('\n').slice(-3).join(' | ');
    for (const v of [...Object.values(secrets.env), ...Object.values(secrets.headers)]) if (v.length >= 4) tail = tail.split(v).join('[redacted]');
    return { ...base, error: `${(e as Error).message}${tail ? ` (stderr: ${tail.slice(0, 500)})` : ''}` };
  } finally {
    await client.close().catch(() => undefined);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}
