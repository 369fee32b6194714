// The declared AI-BOM scan over a sample agent tree (Python and Node): it finds exactly the known
// frameworks, models and MCP servers; bad files give per-file errors and a partial result.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { scanAibom } from '../../../src/collectors/aibom/scan.js';

const TREE = new URL('../../cases/aibom/agent-tree', import.meta.url).pathname;
// Written at test time: a broken package.json inside the repository would break jest's own module map.
const BAD_FILES: Record<string, string> = {
  ".mcp.json": "{ \"mcpServers\": { \"ok\": { \"command\": \"node\", \"args\": [\"server.js\"] }, \"broken\": { \"args\": [\"x\"] } } }\n",
  "model.bom.json": "{ \"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"version\": 1, \"components\": [ { \"type\": \"machine-learning-model\", \"name\": \"m\", \"modelCard\": { \"modelParameters\": { \"properties\": [] } } } ] }\n",
  "old.cdx.json": "{ \"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.2\", \"version\": 1, \"components\": [] }\n",
  "package.json": "{ \"name\": \"bad\", \"dependencies\": { \"openai\": \"4.70.0\", }\n",
  "poetry.lock": "[[package]\nname = \"crewai\"\n",
  "requirements.txt": "anthropic==0.39.0\nthis is not a requirement!\n",
};
function badTree(): string {
  const dir = fs.mkdtempSync('/tmp/aibom-bad-');
  fs.mkdirSync(`${dir}/agent`);
  for (const [f, text] of Object.entries(BAD_FILES)) fs.writeFileSync(`${dir}/agent/${f}`, text);
  return dir;
}
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(`${TREE}/${f}`)).digest('hex');

describe('aibom scan of the sample agent tree', () => {
  test('finds exactly the AI components, pinned from lock files where there are any', async () => {
    // Given the sample tree; When it is scanned
    const s = await scanAibom(TREE);
    // Then every AI package is found once, with its agent, version and pin state, and nothing else (express, requests, numpy, httpx are not AI)
    expect(s.components.map((c) => [c.agent, c.ecosystem, c.name, c.version, c.pinned, c.kind])).toEqual([
      ['node-agent', 'npm', '@langchain/core', '0.3.19', true, 'framework'],
      ['node-agent', 'npm', '@modelcontextprotocol/sdk', '1.0.1', true, 'mcp-sdk'],
      ['node-agent', 'npm', 'openai', '4.70.0', true, 'llm-sdk'],
      ['py-agent', 'pypi', 'anthropic', '0.39.0', true, 'llm-sdk'],
      ['py-agent', 'pypi', 'crewai', '0.86.0', true, 'framework'],
      ['py-agent', 'pypi', 'langchain', '0.3.7', true, 'framework'],
      ['py-agent', 'pypi', 'langgraph', '>=0.2,<0.3', false, 'framework'],
      ['py-agent', 'pypi', 'openai', null, false, 'llm-sdk'],
      ['py-agent', 'pypi', 'transformers', '4.46.0', true, 'ml-library'],
      ['uv-agent', 'pypi', 'llama-index-core', '0.12.5', true, 'framework'],
      ['uv-agent', 'pypi', 'pydantic-ai', '0.0.14', true, 'framework'],
    ]);
    expect(s.agents.map((a) => [a.id, a.languages])).toEqual([['node-agent', ['node']], ['py-agent', ['python']], ['uv-agent', ['python']]]);
    expect(s.errors).toEqual([]);
    expect(s.partial).toBe(false);
  });

  test('finds model files with their sha256, and the BOM-declared model with its dataset; notes.bin outside a model dir is not a model', async () => {
    const s = await scanAibom(TREE);
    expect(s.models.map((m) => [m.agent, m.id, m.origin, m.format ?? null])).toEqual([
      ['node-agent', 'bedrock/anthropic.claude-3-5-sonnet', 'bom', null],
      ['node-agent', `sha256:${sha('node-agent/intent.onnx')}`, 'file', 'onnx'],
      ['py-agent', `sha256:${sha('py-agent/models/classifier.bin')}`, 'file', 'binary'],
    ].sort((a, b) => (`${a[0]} ${a[1]}` < `${b[0]} ${b[1]}` ? -1 : 1)));
    expect(s.models.find((m) => m.origin === 'bom')).toMatchObject({ task: 'text-generation', architecture: 'transformer', datasets: ['support-kb'], supplier: 'bedrock' });
    expect(s.services).toEqual([expect.objectContaining({ agent: 'node-agent', label: 'VectorStore', id: 'http://qdrant.data.svc:6333', engine: 'qdrant' })]);
  });

  test('finds the MCP servers of .mcp.json and .vscode/mcp.json (JSONC); env and header values and secret-looking args never appear', async () => {
    const s = await scanAibom(TREE);
    expect(s.mcpServers.map((m) => [m.id, m.client, m.transport, m.envNames, m.headerNames])).toEqual([
      ['mcp/node-agent/everything', 'vscode', 'stdio', [], []],
      ['mcp/py-agent/filesystem', 'claude-code', 'stdio', ['GITHUB_TOKEN'], []],
      ['mcp/py-agent/search', 'claude-code', 'http', [], ['Authorization']],
    ]);
    const text = JSON.stringify(s);
    for (const secret of ['ghp_FIXTURESECRETVALUE123456', 'FIXTUREQUERYSECRET', 'FIXTUREHEADERSECRET', 'FIXTUREARGSECRET']) expect(text).not.toContain(secret);
    expect(s.mcpServers.find((m) => m.name === 'filesystem')?.args).toEqual(['-y', '@modelcontextprotocol/server-filesystem', '/srv/tickets']);
  });

  test('user-level configs under --home are read; their agent is the client', async () => {
    const home = fs.mkdtempSync('/tmp/aibom-home-');
    fs.mkdirSync(`${home}/.cursor`);
    fs.writeFileSync(`${home}/.cursor/mcp.json`, JSON.stringify({ mcpServers: { web: { url: 'http://localhost:9/mcp' } } }));
    fs.mkdirSync(`${home}/.codeium/windsurf`, { recursive: true });
    fs.writeFileSync(`${home}/.codeium/windsurf/mcp_config.json`, JSON.stringify({ mcpServers: { remote: { serverUrl: 'https://x.test/sse', type: 'sse' } } }));
    fs.writeFileSync(`${home}/.claude.json`, JSON.stringify({ mcpServers: { web: { command: 'web-mcp' } }, projects: { '/src/a': { mcpServers: { web: { command: 'other-web-mcp' } } } } }));
    const s = await scanAibom(`${TREE}/uv-agent`, { home });
    expect(s.mcpServers.map((m) => [m.id, m.level, m.transport])).toEqual([
      ['mcp/claude-code//src/a/web', 'user', 'stdio'],
      ['mcp/claude-code/web', 'user', 'stdio'],
      ['mcp/cursor/web', 'user', 'http'],
      ['mcp/windsurf/remote', 'user', 'sse'],
    ]);
  });
});

describe('aibom scan of bad input', () => {
  test('each bad file is one clear error naming the file and the place; good entries still count; the result is partial', async () => {
    const s = await scanAibom(badTree());
    expect(s.partial).toBe(true);
    const err = (f: string) => s.errors.filter((e) => e.file === `agent/${f}`).map((e) => e.message);
    expect(err('package.json')).toEqual([expect.stringMatching(/^line 1: invalid JSON/)]);
    expect(err('requirements.txt')).toEqual(['line 2: not a requirement: "this is not a requirement!"']);
    expect(err('.mcp.json')).toEqual(['field `mcpServers.broken`: neither `command` nor `url`']);
    expect(err('poetry.lock')).toEqual([expect.stringMatching(/^line 1, column \d+: invalid TOML/)]);
    expect(err('model.bom.json')).toEqual([expect.stringContaining('not valid against the CycloneDX 1.6 schema: /components/0/modelCard/modelParameters')]);
    expect(err('old.cdx.json')).toEqual(['specVersion "1.2" is not supported (1.5, 1.6, 1.7)']);
    expect(s.components.map((c) => c.name)).toEqual(['anthropic']);
    expect(s.mcpServers.map((m) => m.name)).toEqual(['ok']);
  });

  test('a path that is not a directory is an input error', async () => {
    await expect(scanAibom(`${TREE}/py-agent/requirements.txt`)).rejects.toThrow(/not a directory/);
    await expect(scanAibom('/nonexistent/aibom')).rejects.toThrow(/no such directory/);
  });
});
