// `aibom export --format spdx` checked against the SPDX project's SPDX 3.0.1 JSON schema (draft 2020-12,
// generated from the model by shacl2code; provenance in test/fixtures/spdx/README.md), with ajv: every
// class, property name, vocabulary value and cardinality the schema encodes. Broken copies are rejected,
// so the check can fail.
import fs from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { register } from '../../../src/cli/verbs/aibom.js';
import { agentBomToSpdx } from '../../../src/collectors/aibom/export-spdx.js';
import { runVerb } from '../../helpers/run-verb.js';

const TREE = new URL('../../cases/aibom/agent-tree', import.meta.url).pathname;
const SCHEMA = JSON.parse(fs.readFileSync(new URL('../../fixtures/spdx/spdx-json-schema-3.0.1.json', import.meta.url), 'utf8')) as Record<string, unknown>;

// strict: false because the generated schema uses keywords ajv's strict mode flags (e.g. unevaluated* with oneOf); formats are not asserted by 2020-12.
const validate = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(SCHEMA);
const errorsOf = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

type Doc = { '@context': string; '@graph': Record<string, unknown>[] };

describe('SPDX 3.0.1 JSON schema', () => {
  test.each(['node-agent', 'py-agent', 'uv-agent'])('the export of %s from the sample tree is valid', async (agent) => {
    // Given the scan of a sample agent; When it is exported as SPDX
    const doc = JSON.parse(await runVerb(register, ['aibom', 'export', '--agent', agent, '--format', 'spdx', '--from', TREE])) as Doc;
    // Then the schema accepts it
    expect(errorsOf(doc)).toEqual([]);
    expect(doc['@graph'].length).toBeGreaterThan(3);
  });

  test('every kind of element the exporter writes (model with hash, task and architecture, dataset, MCP server, a version range) is valid', () => {
    const text = agentBomToSpdx(
      {
        agent: 'a',
        components: [
          { ecosystem: 'npm', name: '@langchain/core', version: '0.3.19', kind: 'framework', product: 'LangChain.js' },
          { ecosystem: 'pypi', name: 'openai', version: '>=1.0,<2', kind: 'llm-sdk', product: 'OpenAI SDK', provider: 'openai' },
        ],
        models: [{ id: 'sha256:' + 'a'.repeat(64), name: 'm.gguf', sha256: 'a'.repeat(64), version: '1', supplier: 'acme', task: 'text-generation', architecture: 'transformer', datasets: ['kb', 'faq'] }],
        services: [{ label: 'VectorStore', name: 'qdrant', engine: 'qdrant', url: 'http://qdrant:6333' }],
        mcpServers: [{ id: 'mcp/a/files', name: 'files', transport: 'stdio', command: 'npx', args: ['x'], tools: [{ name: 'read', hash: 'sha256:' + 'b'.repeat(64), capabilities: ['filesystem:/srv'] }] }],
      },
      { now: new Date('2026-11-29T12:00:00Z'), ns: 'https://reachgraph.invalid/spdx/a/test' },
    );
    expect(errorsOf(JSON.parse(text))).toEqual([]);
  });

  test('broken copies are rejected: an unknown class, a wrong vocabulary value, a missing creationInfo, another context', async () => {
    const good = JSON.parse(await runVerb(register, ['aibom', 'export', '--agent', 'node-agent', '--format', 'spdx', '--from', TREE])) as Doc;
    const broken = (f: (d: Doc) => void) => {
      const d = structuredClone(good);
      f(d);
      return errorsOf(d);
    };
    const aiPackage = (d: Doc) => d['@graph'].find((e) => e.type === 'ai_AIPackage')!;
    expect(broken((d) => (aiPackage(d).type = 'ai_Model'))).not.toEqual([]);
    expect(broken((d) => (d['@graph'].find((e) => e.type === 'dataset_DatasetPackage')!.dataset_datasetType = ['spreadsheet']))).not.toEqual([]);
    expect(broken((d) => delete aiPackage(d).creationInfo)).not.toEqual([]);
    expect(broken((d) => (aiPackage(d).software_primaryPurpose = 'weights'))).not.toEqual([]);
    expect(broken((d) => (d['@context'] = 'https://spdx.org/rdf/3.0.0/spdx-context.jsonld'))).not.toEqual([]);
  });
});
