// The runtime-derived AI-BOM: declared next to observed, classified confirmed / undeclared / dormant.
import { classifyRuntime, packageOfPath, providerOfHost } from '../../../src/collectors/aibom/runtime-diff.js';
import type { AgentBom } from '../../../src/collectors/aibom/export-cyclonedx.js';

const declared: AgentBom = {
  agent: 'a',
  components: [
    { ecosystem: 'pypi', name: 'langchain-core', version: '0.3.21', kind: 'framework' },
    { ecosystem: 'pypi', name: 'crewai', version: '0.86.0', kind: 'framework' },
    { ecosystem: 'pypi', name: 'anthropic', version: '0.39.0', kind: 'llm-sdk', provider: 'anthropic' },
  ],
  models: [
    { id: 'sha256:ab', name: 'llama.gguf', path: 'models/llama.gguf', sha256: 'ab' },
    { id: 'bedrock/anthropic.claude-3-5-sonnet', name: 'anthropic.claude-3-5-sonnet', supplier: 'bedrock' },
  ],
  services: [{ label: 'VectorStore', name: 'qdrant', engine: 'qdrant', url: 'http://qdrant.data.svc:6333' }],
  mcpServers: [
    { id: 'mcp/a/github', name: 'github', transport: 'stdio', command: 'node', args: ['../../mcp/server.mjs', 'github'], tools: [] },
    { id: 'mcp/a/files', name: 'files', transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/data'], tools: [] },
  ],
};

test('paths and hosts map to packages and providers', () => {
  expect(packageOfPath('/usr/lib/python3.12/site-packages/langchain_core/__init__.py')).toEqual({ ecosystem: 'pypi', name: 'langchain-core' });
  expect(packageOfPath('/app/node_modules/@langchain/core/package.json')).toEqual({ ecosystem: 'npm', name: '@langchain/core' });
  expect(packageOfPath('/app/node_modules/a/node_modules/openai/index.js')).toEqual({ ecosystem: 'npm', name: 'openai' });
  expect(packageOfPath('/etc/passwd')).toBeUndefined();
  expect(providerOfHost('bedrock-runtime.eu-west-1.amazonaws.com')).toBe('aws.bedrock');
  expect(providerOfHost('api.anthropic.com.')).toBe('anthropic');
  expect(providerOfHost('api.github.com')).toBeUndefined();
});

test('confirmed, undeclared and dormant components of one agent', () => {
  // Given what the sensor saw in the agent's workloads
  const d = classifyRuntime(declared, {
    workloads: ['h/pod/x'],
    files: [
      { path: '/usr/local/lib/python3.12/site-packages/langchain_core/__init__.py', class: 'agent-package' },
      { path: '/usr/local/lib/python3.12/site-packages/llama_index/__init__.py', class: 'agent-package' },
      { path: '/models/llama.gguf', class: 'model' },
      { path: '/models/other.safetensors', class: 'model' },
    ],
    dns: [{ name: 'bedrock-runtime.eu-west-1.amazonaws.com' }, { name: 'api.openai.com' }, { name: 'qdrant.data.svc.cluster.local' }, { name: 'api.github.com' }],
    processes: [{ argv: ['node', '/app/mcp/server.mjs', 'github'] }, { argv: ['npx', '-y', '@modelcontextprotocol/server-slack'] }, { argv: ['git', 'fetch'] }],
  });
  // Then
  const names = (l: { kind: string; name: string }[]) => l.map((i) => `${i.kind} ${i.name}`);
  expect(names(d.confirmed)).toEqual(['llm-api aws.bedrock', 'mcp-server github', 'model llama.gguf', 'package pypi/langchain-core', 'service qdrant.data.svc']);
  expect(names(d.undeclared)).toEqual(['llm-api openai', 'mcp-server npx', 'model other.safetensors', 'package pypi/llama-index']);
  expect(names(d.dormant)).toEqual(['llm-api anthropic', 'mcp-server files', 'package pypi/anthropic', 'package pypi/crewai']);
  expect(d.confirmed.find((i) => i.kind === 'model')).toEqual({ kind: 'model', name: 'llama.gguf', declared: 'sha256:ab', observed: ['/models/llama.gguf'] });
  expect(d.undeclared.find((i) => i.kind === 'mcp-server')?.observed).toEqual(['npx -y @modelcontextprotocol/server-slack']);
});

test('no observations: everything declared is dormant, nothing is confirmed', () => {
  const d = classifyRuntime(declared, { workloads: [], files: [], dns: [], processes: [] });
  expect(d.confirmed).toEqual([]);
  expect(d.undeclared).toEqual([]);
  expect(d.dormant).toHaveLength(9);
});
