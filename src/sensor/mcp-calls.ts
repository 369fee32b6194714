/**
 * MCP tool calls seen on a stdio JSON-RPC stream, as observed edges. Pure: byte chunks of each
 * direction in, counts out, then ingest records (DID_CALL_TOOL from the AIAgent to the MCPTool, and a
 * Coverage window saying whether every line was understood). Only the method, the tool name, the
 * request id and whether the answer was an error are ever read: arguments and results may hold
 * secrets, so they are neither kept nor written.
 */
import crypto from 'node:crypto';
import { node, rel, type NodeRecord, type RelRecord, type SyncHeader } from '../graph/records.js';

/** A JSON-RPC line longer than this is not parsed (and counted as unparsed); the bytes still pass. */
export const MAX_MCP_LINE_BYTES = 16 * 1024 * 1024;
/** Requests waiting for their answer; beyond this the oldest is forgotten (its error, if any, goes uncounted). */
const MAX_PENDING = 10_000;

/** What the proxy saw of one tool. */
export interface ToolCallStats {
  tool: string;
  count: number;
  /** Answers that were a JSON-RPC error or a result with `isError: true`. */
  errors: number;
  /** Epoch milliseconds. */
  first: number;
  last: number;
}

type Direction = 'client' | 'server';

const decoder = new TextDecoder('utf-8', { fatal: true });
// Tool names are identifiers (the MCP spec suggests 1-128 characters); anything else is treated as a line not understood.
const TOOL_NAME = /^[^\u0000-\u001f\u007f]{1,256}$/;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Splits each direction into lines, parses the JSON-RPC messages and counts tool calls. */
export class McpCallRecorder {
  private readonly tools = new Map<string, ToolCallStats>();
  private readonly pending = new Map<string, string>(); // JSON of the request id -> tool name
  private readonly parts: Record<Direction, Buffer[]> = { client: [], server: [] };
  private readonly size: Record<Direction, number> = { client: 0, server: 0 };
  private readonly skipping: Record<Direction, boolean> = { client: false, server: false };
  private initializeId: string | undefined;
  /** Lines parsed, per direction. */
  readonly lines: Record<Direction, number> = { client: 0, server: 0 };
  /** Lines that were not valid UTF-8 JSON-RPC (or over the size bound): each makes the window incomplete. */
  unparsed = 0;
  /** The server's own name, from its `initialize` answer. */
  serverName: string | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** Feeds bytes that passed from the client to the server (`client`) or back (`server`). */
  feed(dir: Direction, chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      this.append(dir, chunk.subarray(start, nl));
      this.endLine(dir);
      start = nl + 1;
    }
    if (start < chunk.length) this.append(dir, chunk.subarray(start));
  }

  /** The stream ended: a last line without a newline is still a line. */
  end(dir: Direction): void {
    if (this.size[dir] > 0 || this.skipping[dir]) this.endLine(dir);
  }

  /** Tool calls seen so far, by tool name. */
  calls(): ToolCallStats[] {
    return [...this.tools.values()].sort((a, b) => a.tool.localeCompare(b.tool));
  }

  /** Calls still waiting for an answer. */
  get unanswered(): number {
    return this.pending.size;
  }

  private append(dir: Direction, bytes: Buffer): void {
    if (this.skipping[dir] || bytes.length === 0) return;
    if (this.size[dir] + bytes.length > MAX_MCP_LINE_BYTES) {
      this.parts[dir] = [];
      this.size[dir] = 0;
      this.skipping[dir] = true;
      return;
    }
    // Copied: the caller's chunk is also written to the other side and may be reused.
    this.parts[dir].push(Buffer.from(bytes));
    this.size[dir] += bytes.length;
  }

  private endLine(dir: Direction): void {
    const bytes = Buffer.concat(this.parts[dir]);
    const skipped = this.skipping[dir];
    this.parts[dir] = [];
    this.size[dir] = 0;
    this.skipping[dir] = false;
    if (skipped) {
      this.unparsed++;
      return;
    }
    let text: string;
    try {
      text = decoder.decode(bytes).trim();
    } catch {
      this.unparsed++;
      return;
    }
    if (text === '') return;
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.unparsed++;
      return;
    }
    this.lines[dir]++;
    // A JSON-RPC batch (protocol 2025-03-26) is an array of messages.
    const msgs = Array.isArray(msg) ? msg : [msg];
    if (msgs.length === 0 || !msgs.every((m) => (dir === 'client' ? this.onClient(m) : this.onServer(m)))) this.unparsed++;
  }

  /** False when the message is not JSON-RPC as MCP sends it. */
  private onClient(m: unknown): boolean {
    if (!isObj(m) || m.jsonrpc !== '2.0') return false;
    if (m.method === 'initialize' && m.id !== undefined) this.initializeId = JSON.stringify(m.id);
    if (m.method !== 'tools/call') return true;
    const name = isObj(m.params) ? m.params.name : undefined;
    if (typeof name !== 'string' || !TOOL_NAME.test(name)) return false;
    const t = this.now();
    const s = this.tools.get(name);
    if (s) {
      s.count++;
      s.last = Math.max(s.last, t);
    } else this.tools.set(name, { tool: name, count: 1, errors: 0, first: t, last: t });
    if (m.id !== undefined && m.id !== null) {
      if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
      this.pending.set(JSON.stringify(m.id), name);
    }
    return true;
  }

  private onServer(m: unknown): boolean {
    if (!isObj(m) || m.jsonrpc !== '2.0') return false;
    if (m.method !== undefined || m.id === undefined) return true; // the server's own requests and notifications
    const key = JSON.stringify(m.id);
    if (key === this.initializeId && isObj(m.result) && isObj(m.result.serverInfo) && typeof m.result.serverInfo.name === 'string') this.serverName = m.result.serverInfo.name;
    const tool = this.pending.get(key);
    if (tool === undefined) return true;
    this.pending.delete(key);
    if (m.error !== undefined || (isObj(m.result) && m.result.isError === true)) this.tools.get(tool)!.errors++;
    return true;
  }
}

/** Who and what one proxied session was, to name its records. */
export interface McpSession {
  /** The AIAgent id (as the AI-BOM collector names it). */
  agent: string;
  /** The server's name in the agent's MCP config: the MCPServer id is `mcp/<agent>/<server>`. */
  server: string;
  syncId: string;
  /** Epoch milliseconds the proxy started and stopped. */
  from: number;
  to: number;
}

/** The MCPServer id the AI-BOM collector gives a server named `server` in `agent`'s config. */
export const mcpServerId = (agent: string, server: string): string => `mcp/${agent}/${server}`;

/** The source name the proxy's syncs use. */
export const MCP_PROXY_SOURCE = 'mcp-proxy';

const digest = (agent: string, server: string) => crypto.createHash('sha256').update(`${agent}\u0000${server}`).digest('hex').slice(0, 12);

/** A session's sync id: bounded (ingest allows 128 characters) however long the agent and server names are. */
export const mcpSessionSyncId = (agent: string, server: string, from: number, pid: number): string => `${MCP_PROXY_SOURCE}:${digest(agent, server)}:${new Date(from).toISOString()}:${pid}`;

/** The sync scope: agent/server, or a digest when that would pass the 256 characters a scope may have. */
const scopeOf = (agent: string, server: string) => (agent.length + server.length < 256 ? `${agent}/${server}` : `${agent.slice(0, 128)}/${digest(agent, server)}`);

/**
 * The session as ingest records (docs/ingest-format.md), header first: one DID_CALL_TOOL per tool
 * called (count, errors, first and last seen) and one Coverage window (probe `mcp`) covering the
 * agent, lost when a line could not be parsed. Append mode: counts of sessions add up.
 */
export function sessionRecords(rec: McpCallRecorder, s: McpSession): [SyncHeader, ...(NodeRecord | RelRecord)[]] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const serverId = mcpServerId(s.agent, s.server);
  const agent = { label: 'AIAgent', id: s.agent };
  const out: (NodeRecord | RelRecord)[] = [];
  for (const c of rec.calls()) {
    const toolId = `${serverId}/${c.tool}`;
    out.push(node('MCPTool', toolId, { name: c.tool, server: serverId }));
    out.push(rel('DID_CALL_TOOL', agent, { label: 'MCPTool', id: toolId }, { count: c.count, firstSeen: iso(c.first), lastSeen: iso(c.last), props: { server: serverId, errors: c.errors } }));
  }
  const coverage = `${s.syncId}/w0`;
  out.push(
    node('Coverage', coverage, {
      probes: ['mcp'],
      from: iso(s.from),
      to: iso(s.to),
      lost: rec.unparsed > 0,
      unparsed: rec.unparsed,
      clientLines: rec.lines.client,
      serverLines: rec.lines.server,
      unanswered: rec.unanswered,
      agent: s.agent,
      server: serverId,
      ...(rec.serverName ? { serverName: rec.serverName } : {}),
      syncRef: s.syncId,
    }),
  );
  out.push(rel('COVERS', { label: 'Coverage', id: coverage }, agent));
  return [{ kind: 'sync', source: MCP_PROXY_SOURCE, scope: scopeOf(s.agent, s.server), syncId: s.syncId, mode: 'append' }, ...out];
}
