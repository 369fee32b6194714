/**
 * `reachgraph mcp proxy` end to end: a real MCP server (official SDK, stdio) behind the built CLI,
 * driven by a real SDK client; the recorded calls loaded into the real Neo4j and compared with a
 * planted AI-BOM by `gaps`: a declared tool never called over a complete session is unused, a tool of a
 * server no session observed (or of a session with a line not understood) is unknown, a called tool
 * nothing declares is undeclared. Baselines of the agent hold the tools it called.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Graph } from '../../src/graph/driver.js';
import { ingestFile } from '../../src/graph/ingest-file.js';
import { runSync } from '../../src/graph/ingest.js';
import { node, rel, type RelRecord } from '../../src/graph/records.js';
import { projectRoot } from '../../src/paths.js';
import { gaps, resolveSubject } from '../../src/risk/run.js';
import { learn } from '../../src/behavior/store.js';
import { useTestEnv } from '../helpers/env.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';

const P = uniqueScope('mcpproxy');
const A = `${P}-agent`;
const B = `${P}-agent-b`;
const SECRET = `SECRET-${P}-value`;
const cliPath = path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js');
const fixture = path.join(projectRoot(), 'test', 'fixtures', 'mcp', 'proxy-server.mjs');
const srv = (agent: string, name: string) => `mcp/${agent}/${name}`;
const R = (label: string, id: string) => ({ label, id });

let graph: Graph;
let dir: string;

/** Waits for a file the proxy writes after its server exits (no duration asserted: a bound on waiting only). */
async function waitFor(file: string): Promise<string> {
  for (let i = 0; i < 300 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
  return fs.readFileSync(file, 'utf8');
}

beforeAll(async () => {
  useTestEnv();
  graph = await testGraph();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-mcpproxy-'));
  // The AI-BOM as the collector writes it: A declares server "srv" (lookup, fail, never_called) and
  // server "other" (search), which never runs behind the proxy; B declares "srv" (lookup, never_called).
  const nodes = [node('AIAgent', A, { name: A }), node('AIAgent', B, { name: B })];
  const rels: RelRecord[] = [];
  for (const [agent, server, tools] of [
    [A, 'srv', ['lookup', 'fail', 'never_called']],
    [A, 'other', ['search']],
    [B, 'srv', ['lookup', 'never_called']],
  ] as const) {
    nodes.push(node('MCPServer', srv(agent, server), { name: server }));
    rels.push(rel('MAY_USE_TOOL', R('AIAgent', agent), R('MCPServer', srv(agent, server))));
    for (const t of tools) {
      nodes.push(node('MCPTool', `${srv(agent, server)}/${t}`, { name: t, server: srv(agent, server) }));
      rels.push(rel('OFFERS', R('MCPServer', srv(agent, server)), R('MCPTool', `${srv(agent, server)}/${t}`)));
    }
  }
  await runSync(graph, { source: 'aibom', scope: P, progress: false }, (sink) => sink.write({ nodes, rels }));
});

afterAll(async () => {
  await graph.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('mcp proxy with a real SDK client and server', () => {
  const out = () => path.join(dir, 'calls.jsonl');
  let answers: { lookup: unknown[]; fail: unknown; ghost: string; tools: string[] };

  beforeAll(async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cliPath, 'mcp', 'proxy', '--agent', A, '--server', 'srv', '--out', out(), '--', process.execPath, fixture],
      env: { ...(process.env as Record<string, string>), REACHGRAPH_LOG_LEVEL: 'warn' },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'proxy-test-client', version: '1.0.0' });
    await client.connect(transport);
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    const lookup = [(await client.callTool({ name: 'lookup', arguments: { key: SECRET } })).content, (await client.callTool({ name: 'lookup', arguments: { key: 'abc' } })).content];
    const fail = await client.callTool({ name: 'fail', arguments: { reason: SECRET } });
    // A tool the server does not offer: the SDK answers with an error (a JSON-RPC error or an isError result).
    let ghost: string;
    try {
      const r = await client.callTool({ name: 'ghost', arguments: { x: SECRET } });
      ghost = r.isError ? 'isError' : 'ok';
    } catch {
      ghost = 'rpc-error';
    }
    await client.close();
    answers = { lookup, fail, ghost, tools };
  });

  test('the client gets the server\'s answers through the proxy unchanged', () => {
    expect(answers.tools).toEqual(['fail', 'lookup', 'never_called']);
    expect(answers.lookup).toEqual([[{ type: 'text', text: `value-of:${[...SECRET].reverse().join('')}` }], [{ type: 'text', text: 'value-of:cba' }]]);
    expect(answers.fail).toEqual({ content: [{ type: 'text', text: 'failed on purpose' }], isError: true });
    expect(answers.ghost).not.toBe('ok');
  });

  test('the recorded calls are exact, the session is complete, and no argument or result value is in the file', async () => {
    const text = await waitFor(out());
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(`${[...SECRET].reverse().join('')}`);
    expect(text).not.toContain('value-of');
    expect(text).not.toContain('failed on purpose');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const calls = lines.filter((l) => l.type === 'DID_CALL_TOOL').map((l) => [(l.to as { id: string }).id, l.count, (l.props as { errors: number }).errors]);
    expect(calls).toEqual([
      [`${srv(A, 'srv')}/fail`, 1, 1],
      [`${srv(A, 'srv')}/ghost`, 1, 1],
      [`${srv(A, 'srv')}/lookup`, 2, 0],
    ]);
    const cov = lines.find((l) => l.label === 'Coverage') as { props: Record<string, unknown> };
    expect(cov.props).toMatchObject({ probes: ['mcp'], lost: false, unparsed: 0, unanswered: 0, server: srv(A, 'srv'), serverName: 'proxy-test-server', agent: A });
    // The window holds every recorded call: ISO times in one zone sort as they happened.
    const seen = lines.filter((l) => l.type === 'DID_CALL_TOOL').flatMap((l) => [l.firstSeen as string, l.lastSeen as string]);
    const times = [cov.props.from as string, ...seen, cov.props.to as string];
    for (const t of times) expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect([...times].sort()).toEqual([cov.props.from, ...[...seen].sort(), cov.props.to]);
    expect(lines[0]).toMatchObject({ kind: 'sync', source: 'mcp-proxy', scope: `${A}/srv`, mode: 'append' });
  });

  test('gaps: never_called is unused, the unproxied server\'s tool unknown, ghost undeclared', async () => {
    await waitFor(out());
    await ingestFile(graph, out(), { progress: false });
    const g = await gaps(graph, await resolveSubject(graph, A));
    expect(g.grantedUnused.filter((x) => x.domain === 'tools').map((x) => [x.grant, x.status])).toEqual([
      [`${srv(A, 'other')}/search`, 'unknown'],
      [`${srv(A, 'srv')}/never_called`, 'unused'],
    ]);
    expect(g.doneUndeclared.filter((x) => x.domain === 'tools').map((x) => [x.observed, x.count])).toEqual([[`${srv(A, 'srv')}/ghost`, 1]]);
    expect(g.completeness.tools).toEqual({ complete: false, reason: `no proxied session of ${srv(A, 'other')} observed (reachgraph mcp proxy)` });
  });

  test('a baseline of the agent holds the tools it called (kind mcp)', async () => {
    await waitFor(out());
    const b = await learn(graph, A, { from: Date.now() - 3_600_000, windowMs: 2 * 3_600_000, now: Date.now() });
    expect(b.entries.filter((e) => e.kind === 'mcp').map((e) => [e.target, e.count])).toEqual([
      [`${srv(A, 'srv')}/fail`, 1],
      [`${srv(A, 'srv')}/ghost`, 1],
      [`${srv(A, 'srv')}/lookup`, 2],
    ]);
  });
});

describe('mcp proxy loading into the graph, with a line it cannot parse', () => {
  test('the session is incomplete, counted, and a declared tool not called is unknown, not unused', async () => {
    useTestEnv();
    const child = spawn(process.execPath, [cliPath, 'mcp', 'proxy', '--agent', B, '--server', 'srv', '--', process.execPath, fixture], { env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const send = (o: unknown) => child.stdin.write(JSON.stringify(o) + '\n');
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    child.stdin.write('this is not JSON-RPC\n');
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'lookup', arguments: { key: SECRET } } });
    // Close stdin once the answer to the call came back through the proxy.
    for (let i = 0; i < 300 && !stdout.includes('"id":2'); i++) await new Promise((r) => setTimeout(r, 100));
    child.stdin.end();
    const code = await new Promise<number | null>((r) => child.once('close', r));
    expect(stdout).toContain(`value-of:${[...SECRET].reverse().join('')}`);
    expect(stderr).toMatch(/1 tool call\(s\) to mcp\/.*-agent-b\/srv, 1 unparsed line\(s\); loaded into the graph/);
    expect(code).toBe(0);
    const g = await gaps(graph, await resolveSubject(graph, B));
    expect(g.grantedUnused.filter((x) => x.domain === 'tools').map((x) => [x.grant, x.status, x.reason])).toEqual([
      [`${srv(B, 'srv')}/never_called`, 'unknown', expect.stringMatching(/^1 line\(s\) not understood in proxied session mcp-proxy:/)],
    ]);
    expect(g.doneUndeclared.filter((x) => x.domain === 'tools')).toEqual([]);
    const stored = await graph.read('queries/risk/gaps-tools', { anchors: [(await graph.read('queries/risk/subject-anchors', { subjects: [{ label: 'AIAgent', id: B }] }))[0]!.anchor] });
    expect(JSON.stringify(stored)).not.toContain(SECRET);
  });
});
