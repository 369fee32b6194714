/** The MCP call recorder: JSON-RPC lines in any chunking, calls and error answers counted, arguments never kept. */
import { McpCallRecorder, MAX_MCP_LINE_BYTES, mcpSessionSyncId, sessionRecords } from '../../../src/sensor/mcp-calls.js';
import { parseLine } from '../../../src/graph/ingest-file.js';

const line = (o: unknown) => Buffer.from(JSON.stringify(o) + '\n');
const call = (id: number | string, name: string, args: Record<string, unknown> = {}) => line({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
const answer = (id: number | string, isError = false) => line({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: 'RESULT-TEXT' }], ...(isError ? { isError: true } : {}) } });

describe('McpCallRecorder', () => {
  test('counts calls per tool with first/last seen and error answers, however the bytes are chunked', () => {
    let t = 1000;
    const rec = new McpCallRecorder(() => t);
    const client = Buffer.concat([line({ jsonrpc: '2.0', id: 0, method: 'initialize', params: {} }), call(1, 'read', { path: '/etc/SECRET' }), call('1', 'write'), call(2, 'read')]);
    const server = Buffer.concat([line({ jsonrpc: '2.0', id: 0, result: { serverInfo: { name: 'files', version: '1' } } }), answer(1), line({ jsonrpc: '2.0', id: '1', error: { code: -32602, message: 'bad' } }), answer(2, true)]);
    // One byte at a time: lines span chunks.
    for (let i = 0; i < client.length; i++) {
      if (i === Math.floor(client.length / 2)) t = 5000;
      rec.feed('client', client.subarray(i, i + 1));
    }
    for (let i = 0; i < server.length; i += 7) rec.feed('server', server.subarray(i, i + 7));
    expect(rec.calls()).toEqual([
      { tool: 'read', count: 2, errors: 1, first: 1000, last: 5000 },
      { tool: 'write', count: 1, errors: 1, first: 5000, last: 5000 },
    ]);
    expect([rec.unparsed, rec.unanswered, rec.serverName, rec.lines]).toEqual([0, 0, 'files', { client: 4, server: 4 }]);
  });

  test('a JSON-RPC batch counts each call; a notification-style call has no answer to wait for', () => {
    const rec = new McpCallRecorder(() => 1);
    rec.feed('client', Buffer.from(JSON.stringify([{ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'a' } }, { jsonrpc: '2.0', method: 'tools/call', params: { name: 'a' } }]) + '\n'));
    expect(rec.calls().map((c) => [c.tool, c.count])).toEqual([['a', 2]]);
    expect(rec.unanswered).toBe(1);
  });

  test('lines it cannot understand are counted, and later lines still parse', () => {
    const rec = new McpCallRecorder(() => 1);
    rec.feed('client', Buffer.from('not json\n'));
    rec.feed('client', Buffer.from([0xff, 0xfe, 0x0a])); // not UTF-8
    rec.feed('client', line({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { arguments: {} } })); // no tool name
    rec.feed('client', line({ id: 4, method: 'tools/call', params: { name: 'x' } })); // not JSON-RPC 2.0
    rec.feed('client', Buffer.from('\r\n   \n')); // blank lines are not lines
    rec.feed('client', Buffer.alloc(MAX_MCP_LINE_BYTES + 1, 0x41));
    rec.feed('client', Buffer.from('\n'));
    rec.feed('client', call(5, 'ok'));
    rec.feed('client', Buffer.from('{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"tail"}}')); // no newline before the end
    rec.end('client');
    expect(rec.unparsed).toBe(5);
    expect(rec.calls().map((c) => c.tool)).toEqual(['ok', 'tail']);
  });

  test('records: DID_CALL_TOOL per tool with the AI-BOM tool id, a Coverage window; valid ingest lines without argument or result values', () => {
    const rec = new McpCallRecorder(() => Date.parse('2026-11-20T09:00:00Z'));
    rec.feed('client', call(1, 'read', { path: '/home/ada/.aws/SECRET-ARG' }));
    rec.feed('server', answer(1));
    rec.feed('client', Buffer.from('garbage\n'));
    const records = sessionRecords(rec, { agent: 'ag', server: 'files', syncId: 'mcp-proxy:ag:files:x', from: Date.parse('2026-11-20T09:00:00Z'), to: Date.parse('2026-11-20T09:05:00Z') });
    const text = records.map((r) => JSON.stringify(r)).join('\n');
    expect(text).not.toContain('SECRET-ARG');
    expect(text).not.toContain('RESULT-TEXT');
    records.forEach((r, i) => parseLine('calls.jsonl', i + 1, JSON.stringify(r)));
    expect(records.filter((r) => r.kind === 'rel')).toEqual([
      { kind: 'rel', type: 'DID_CALL_TOOL', from: { label: 'AIAgent', id: 'ag' }, to: { label: 'MCPTool', id: 'mcp/ag/files/read' }, count: 1, firstSeen: '2026-11-20T09:00:00.000Z', lastSeen: '2026-11-20T09:00:00.000Z', props: { server: 'mcp/ag/files', errors: 0 } },
      { kind: 'rel', type: 'COVERS', from: { label: 'Coverage', id: 'mcp-proxy:ag:files:x/w0' }, to: { label: 'AIAgent', id: 'ag' } },
    ]);
    const cov = records.find((r) => r.kind === 'node' && r.label === 'Coverage');
    expect(cov).toMatchObject({ props: { probes: ['mcp'], lost: true, unparsed: 1, server: 'mcp/ag/files', from: '2026-11-20T09:00:00.000Z', to: '2026-11-20T09:05:00.000Z' } });
    expect(records[0]).toEqual({ kind: 'sync', source: 'mcp-proxy', scope: 'ag/files', syncId: 'mcp-proxy:ag:files:x', mode: 'append' });
  });

  test('long agent and server names (a Claude Code project path) still make valid ingest lines', () => {
    const rec = new McpCallRecorder(() => 0);
    rec.feed('client', call(1, 't'));
    const agent = 'a'.repeat(250);
    const server = `/home/ada/${'p'.repeat(240)}/github`;
    const records = sessionRecords(rec, { agent, server, syncId: mcpSessionSyncId(agent, server, 0, 4242), from: 0, to: 1 });
    records.forEach((r, i) => parseLine('calls.jsonl', i + 1, JSON.stringify(r)));
    expect(records.find((r) => r.kind === 'rel' && r.type === 'DID_CALL_TOOL')).toMatchObject({ to: { id: `mcp/${agent}/${server}/t` } });
  });
});
