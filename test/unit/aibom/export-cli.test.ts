// `reachgraph aibom scan` and `aibom export --from`: no graph. The export is CycloneDX 1.6 JSON that the
// library's strict validator (the specification's JSON schema) accepts.
import * as CDX from '@cyclonedx/cyclonedx-library';
import { register } from '../../../src/cli/verbs/aibom.js';
import { runVerb } from '../../helpers/run-verb.js';

const TREE = new URL('../../cases/aibom/agent-tree', import.meta.url).pathname;

const run = (args: string[]) => runVerb(register, args);

const validate = (text: string) => new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(text);

describe('aibom export --format cyclonedx --from', () => {
  test('node-agent: valid CycloneDX 1.6 with the model card, the dataset it references, the vector store and the MCP server', async () => {
    const text = await run(['aibom', 'export', '--agent', 'node-agent', '--from', TREE]);
    expect(await validate(text)).toBeNull();
    const bom = JSON.parse(text) as { specVersion: string; metadata: { component: { name: string } }; components: Record<string, unknown>[]; services: Record<string, unknown>[] };
    expect(bom.specVersion).toBe('1.6');
    expect(bom.metadata.component.name).toBe('node-agent');
    const model = bom.components.find((c) => c.type === 'machine-learning-model' && c.name === 'anthropic.claude-3-5-sonnet');
    expect(model).toMatchObject({ group: 'bedrock', modelCard: { modelParameters: { task: 'text-generation', architectureFamily: 'transformer', datasets: [{ ref: 'data:support-kb' }] } } });
    expect(bom.components.find((c) => c.type === 'data')).toMatchObject({ name: 'support-kb', 'bom-ref': 'data:support-kb' });
    const onnx = bom.components.find((c) => c.name === 'intent.onnx') as { hashes: { alg: string; content: string }[] };
    expect(onnx.hashes).toEqual([{ alg: 'SHA-256', content: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(bom.components.find((c) => c.name === '@langchain/core')).toMatchObject({ type: 'framework', version: '0.3.19', purl: 'pkg:npm/%40langchain/core@0.3.19' });
    expect(bom.services.map((s) => s.name).sort()).toEqual(['everything', 'qdrant']);
    expect(bom.services.find((s) => s.name === 'qdrant')).toMatchObject({ endpoints: ['http://qdrant.data.svc:6333'] });
  });

  test('py-agent: valid; an unpinned range is exported without a purl', async () => {
    const text = await run(['aibom', 'export', '--agent', 'py-agent', '--from', TREE]);
    expect(await validate(text)).toBeNull();
    const bom = JSON.parse(text) as { components: Record<string, unknown>[] };
    expect(bom.components.find((c) => c.name === 'langgraph')).not.toHaveProperty('purl');
    expect(bom.components.find((c) => c.name === 'crewai')).toMatchObject({ purl: 'pkg:pypi/crewai@0.86.0' });
    expect(text).not.toContain('ghp_FIXTURESECRETVALUE123456');
  });

  test('the validator does reject a broken document (the check can fail)', async () => {
    const text = await run(['aibom', 'export', '--agent', 'py-agent', '--from', TREE]);
    const broken = JSON.parse(text) as { components: Record<string, unknown>[] };
    broken.components[0]!.type = 'large-language-thing';
    expect(await validate(JSON.stringify(broken))).not.toBeNull();
  });

  test('an unknown agent is an input error naming the agents there are', async () => {
    await expect(run(['aibom', 'export', '--agent', 'nope', '--from', TREE])).rejects.toThrow('--agent nope: not found in');
  });
});

describe('aibom scan --format json', () => {
  test('prints the scan with findings; nothing secret', async () => {
    const out = JSON.parse(await run(['aibom', 'scan', TREE, '--format', 'json'])) as { partial: boolean; findings: { id: string }[]; mcpServers: unknown[] };
    expect(out.partial).toBe(false);
    expect(out.findings.map((f) => f.id)).toEqual(['aibom:unpinned-model:node-agent/bedrock/anthropic.claude-3-5-sonnet']);
    expect(out.mcpServers).toHaveLength(3);
  });
});

describe('aibom export --format spdx --from', () => {
  test('SPDX 3.0.1 JSON-LD: AI and Dataset profile classes, trainedOn, sha256 on weights, every reference resolves', async () => {
    const doc = JSON.parse(await run(['aibom', 'export', '--agent', 'node-agent', '--format', 'spdx', '--from', TREE])) as { '@context': string; '@graph': Record<string, unknown>[] };
    expect(doc['@context']).toBe('https://spdx.org/rdf/3.0.1/spdx-context.jsonld');
    const g = doc['@graph'];
    const byType = (t: string) => g.filter((e) => e.type === t);
    const ids = new Set(g.map((e) => (e.spdxId ?? e['@id']) as string));
    const model = byType('ai_AIPackage').find((e) => e.name === 'anthropic.claude-3-5-sonnet')!;
    const weights = byType('ai_AIPackage').find((e) => e.name === 'intent.onnx')!;
    const dataset = byType('dataset_DatasetPackage')[0]!;
    expect(model).toMatchObject({ software_primaryPurpose: 'model', ai_domain: ['text-generation'], ai_typeOfModel: ['transformer'] });
    expect(weights.verifiedUsing).toEqual([{ type: 'Hash', algorithm: 'sha256', hashValue: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(dataset).toMatchObject({ name: 'support-kb', dataset_datasetType: ['noAssertion'] });
    expect(byType('Relationship').find((r) => r.relationshipType === 'trainedOn')).toMatchObject({ from: model.spdxId, to: [dataset.spdxId] });
    expect(byType('software_Package').find((e) => e.name === '@langchain/core')).toMatchObject({ software_packageVersion: '0.3.19', software_packageUrl: 'pkg:npm/%40langchain/core@0.3.19', software_primaryPurpose: 'framework' });
    // Every element has the creation info, and every reference names an element of the document.
    for (const e of g.filter((x) => x.type !== 'CreationInfo')) expect(e.creationInfo).toBe('_:creationinfo');
    const refs = g.flatMap((e) => [e.from, e.to, e.rootElement, e.element].flat().filter((x): x is string => typeof x === 'string'));
    expect(refs.filter((r) => !ids.has(r))).toEqual([]);
    // The AI and Dataset profiles' required fields (release time, supplier, download location) are unknown here: not claimed, not invented.
    expect(byType('SpdxDocument')[0]!.profileConformance).toEqual(['core', 'software']);
    expect(JSON.stringify(doc)).not.toContain('releaseTime');
  });

  test('an unknown format is an input error', async () => {
    await expect(run(['aibom', 'export', '--agent', 'node-agent', '--format', 'spdx2', '--from', TREE])).rejects.toThrow('--format: cyclonedx or spdx');
  });
});
