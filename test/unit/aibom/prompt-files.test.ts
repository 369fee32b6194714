/** Prompt files: the model they name, and hashes of their template and settings that leave secrets and text out. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentChanges, agentStates } from '../../../src/collectors/aibom/agent-changes.js';
import { parsePromptFile, promptFormat, promptHashes } from '../../../src/collectors/aibom/prompt-files.js';
import { scanAibom } from '../../../src/collectors/aibom/scan.js';

const DOTPROMPT = `---
model: googleai/gemini-1.5-flash
config:
  version: gemini-1.5-flash-002
  temperature: 0.7
  maxOutputTokens: 256
  apiKey: sk-secret-value
  auth_token: also-secret
tools: [lookupOrder]
---
{{role "system"}}
You are the refunds agent.
`;

const PROMPTY = `---
name: Basic Prompt
model:
  api: chat
  configuration:
    type: azure_openai
    azure_endpoint: \${env:AZURE_OPENAI_ENDPOINT}
    azure_deployment: gpt-4o
    api_key: literal-key
  parameters:
    max_tokens: 128
---
system:
You answer briefly.
user:
{{question}}
`;

describe('prompt files', () => {
  test('formats come from catalog.json: .prompt, .prompty and named system-prompt files; other files are none', () => {
    expect(['a/x.prompt', 'b.PROMPTY', 'agent/system_prompt.md', 'SYSTEM_PROMPT.md', 'README.md', 'prompt.txt'].map(promptFormat)).toEqual(['dotprompt', 'prompty', 'text', 'text', undefined, undefined]);
  });

  test('Dotprompt: model and config.version are the model; the rest of the front matter is config, without secret-looking keys', () => {
    const p = parsePromptFile('dotprompt', DOTPROMPT);
    expect(p).toEqual({ format: 'dotprompt', model: 'googleai/gemini-1.5-flash', modelVersion: 'gemini-1.5-flash-002', prompt: '{{role "system"}}\nYou are the refunds agent.\n', config: { config: { temperature: 0.7, maxOutputTokens: 256 }, tools: ['lookupOrder'] } });
  });

  test('Prompty: type/deployment is the model; parameters and the endpoint reference are config; a literal key is left out', () => {
    const p = parsePromptFile('prompty', PROMPTY);
    expect(p.model).toBe('azure_openai/gpt-4o');
    expect(p.config).toEqual({ name: 'Basic Prompt', model: { api: 'chat', configuration: { azure_endpoint: '${env:AZURE_OPENAI_ENDPOINT}' }, parameters: { max_tokens: 128 } } });
  });

  test('a file without front matter is all template; bad front matter names the line', () => {
    expect(parsePromptFile('dotprompt', 'Just text.\n')).toEqual({ format: 'dotprompt', prompt: 'Just text.\n', config: {} });
    expect(() => parsePromptFile('dotprompt', '---\nmodel: a\nconfig: [\n---\nx\n')).toThrow(/^line \d+: invalid YAML front matter/);
    expect(() => parsePromptFile('prompty', '---\nmodel: gpt-4o\n---\nx\n')).toThrow('field `model`: not a mapping');
    expect(() => parsePromptFile('dotprompt', '---\n- a\n---\nx\n')).toThrow('front matter: not a YAML mapping');
  });

  test('hashes: 16 hex digits, independent of file order, moved by the template or the settings, not by a key value', () => {
    const a = { file: 'p/a.prompt', parsed: parsePromptFile('dotprompt', DOTPROMPT) };
    const b = { file: 'system_prompt.md', parsed: parsePromptFile('text', 'Be brief.') };
    const h = promptHashes([a, b]);
    expect(h.promptHash).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(h.configHash).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(promptHashes([b, a])).toEqual(h);
    const rotated = { ...a, parsed: parsePromptFile('dotprompt', DOTPROMPT.replace('sk-secret-value', 'sk-other')) };
    expect(promptHashes([rotated, b])).toEqual(h);
    const warmer = { ...a, parsed: parsePromptFile('dotprompt', DOTPROMPT.replace('0.7', '0.9')) };
    expect(promptHashes([warmer, b])).toEqual({ promptHash: h.promptHash, configHash: expect.not.stringMatching(h.configHash!) });
    expect(promptHashes([b])).toEqual({ promptHash: expect.stringMatching(/^sha256:/) });
    expect(promptHashes([])).toEqual({});
  });
});

describe('scan and change records', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-prompt-scan-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a scanned prompt file gives the agent a prompt model (provider as source) and hashes; a changed model is one model change', async () => {
    fs.mkdirSync(path.join(dir, 'prompts'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'prompts', 'refund.prompt'), DOTPROMPT);
    const scan = await scanAibom(dir, { agent: 'refunds' });
    expect(scan.models).toEqual([{ agent: 'refunds', id: 'googleai/gemini-1.5-flash', name: 'googleai/gemini-1.5-flash', origin: 'prompt', file: 'prompts/refund.prompt', version: 'gemini-1.5-flash-002', supplier: 'googleai', source: 'gcp.gemini' }]);
    expect(scan.agents).toEqual([expect.objectContaining({ id: 'refunds', promptFiles: ['prompts/refund.prompt'], promptHash: expect.any(String), configHash: expect.any(String) })]);
    const before = agentStates(scan);
    expect(agentChanges(new Map(), scan, 't').nodes).toEqual([]);
    expect(agentChanges(before, scan, 't').nodes).toEqual([]);
    fs.writeFileSync(path.join(dir, 'prompts', 'refund.prompt'), DOTPROMPT.replace('gemini-1.5-flash-002', 'gemini-1.5-flash-003'));
    const changed = agentChanges(before, await scanAibom(dir, { agent: 'refunds' }), 't');
    expect(changed.nodes.map((n) => n.props)).toEqual([{ kind: 'model', at: 't', before: 'googleai/gemini-1.5-flash@gemini-1.5-flash-002', after: 'googleai/gemini-1.5-flash@gemini-1.5-flash-003' }]);
    expect(changed.rels.map((r) => [r.type, r.to])).toEqual([['CHANGED', { label: 'AIAgent', id: 'refunds' }]]);
  });
});
