/**
 * The Kubernetes collector's AI-BOM part against a real kube-apiserver and the real Neo4j: planted
 * Deployments, a bare pod and a KServe InferenceService (through its CRD) become InferenceServer and
 * VectorStore nodes RUNS_ON their workloads, each attribute rated declared / inferred / unresolved; LLM API
 * key variables are stored by name only (a planted key value never reaches the graph). Finding RG-007
 * (models from unvetted sources) reads them, with the default allowlist and with a user's.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiextensionsV1Api, AppsV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { KubernetesCollector, SOURCE } from '../../src/collectors/kubernetes/collect.js';
import type { Graph } from '../../src/graph/driver.js';
import { loadModelSources } from '../../src/risk/findings.js';
import { findings } from '../../src/risk/run.js';
import { kubeUnavailable, startKube, type KubeCluster } from '../helpers/kube.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';

const why = kubeUnavailable();
if (why) process.stdout.write(`aibom-kubernetes.int: skipped: ${why}\n`);
const maybe = why ? describe.skip : describe;

const PLANTED_KEY = `sk-planted-${randomBytes(12).toString('hex')}`;

interface Row {
  labels: string[];
  id: string;
  props: Record<string, unknown>;
}

maybe('AI workloads from a real API server', () => {
  let kube: KubeCluster;
  let graph: Graph;
  let collector: KubernetesCollector;
  const cluster = uniqueScope('k8sai');
  const id = (...parts: string[]) => [cluster, ...parts].join('/');
  const ns = 'ai';
  let nodes: Row[] = [];
  let rels: { type: string; from: string; to: string }[] = [];

  beforeAll(async () => {
    [kube, graph] = await Promise.all([startKube({ name: 'aibom' }), testGraph()]);
    const kc = kube.kubeConfig;
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const ext = kc.makeApiClient(ApiextensionsV1Api);
    const custom = kc.makeApiClient(CustomObjectsApi);
    await core.createNamespace({ body: { metadata: { name: ns } } });
    // No controller-manager here: the service account admission needs `default` to exist.
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'default' } } });
    await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'llm-keys' }, type: 'Opaque', stringData: { openai: PLANTED_KEY } } });
    const deploy = (name: string, containers: object[]) =>
      apps.createNamespacedDeployment({ namespace: ns, body: { metadata: { name }, spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers } } } } as never });
    await deploy('vllm', [{ name: 'server', image: 'vllm/vllm-openai:v0.6', args: ['--model', 'acme-research/llama-finetune-7b', '--port', '8000'], ports: [{ containerPort: 8000 }] }]);
    await deploy('tgi', [{ name: 'tgi', image: 'ghcr.io/huggingface/text-generation-inference:2.4', args: ['--model-id', '$(MODEL)'], env: [{ name: 'MODEL', valueFrom: { configMapKeyRef: { name: 'llm-config', key: 'model' } } }] }]);
    await deploy('vectors', [{ name: 'db', image: 'registry.internal/vectors:1', ports: [{ containerPort: 6333 }] }]);
    await deploy('agent', [
      { name: 'agent', image: 'shop/agent:1', env: [{ name: 'OPENAI_API_KEY', valueFrom: { secretKeyRef: { name: 'llm-keys', key: 'openai' } } }, { name: 'ANTHROPIC_API_KEY', value: PLANTED_KEY }, { name: 'LOG_LEVEL', value: 'info' }] },
    ]);
    await core.createNamespacedPod({ namespace: ns, body: { metadata: { name: 'ollama' }, spec: { containers: [{ name: 'ollama', image: 'ollama/ollama:0.3.12', env: [{ name: 'OLLAMA_MODEL', value: 'llama3.1:8b' }], ports: [{ containerPort: 11434 }] }] } } });

    // KServe's CRD (the shape matters, not the controller: nothing runs the predictor here).
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: 'inferenceservices.serving.kserve.io' },
        spec: {
          group: 'serving.kserve.io',
          scope: 'Namespaced',
          names: { kind: 'InferenceService', plural: 'inferenceservices', singular: 'inferenceservice', listKind: 'InferenceServiceList' },
          // The client's model spells x-kubernetes-preserve-unknown-fields as x_kubernetes_preserve_unknown_fields; without it the server prunes spec.
          versions: [{ name: 'v1beta1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } } }],
        },
      },
    });
    for (let i = 0; ; i++) {
      const crd = await ext.readCustomResourceDefinition({ name: 'inferenceservices.serving.kserve.io' });
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (i > 100) throw new Error('CRD not established');
      await new Promise((r) => setTimeout(r, 100));
    }
    const isvcBody = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'mistral' }, spec: { predictor: { model: { modelFormat: { name: 'huggingface' }, storageUri: 'hf://mistralai/Mistral-7B-Instruct-v0.3' } } } };
    for (let i = 0; ; i++) {
      try {
        await custom.createNamespacedCustomObject({ group: 'serving.kserve.io', version: 'v1beta1', namespace: ns, plural: 'inferenceservices', body: isvcBody });
        break;
      } catch (e) {
        // Established can precede the first request the new resource's handler accepts.
        if (i > 50) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }

    collector = new KubernetesCollector(graph, { cluster, kubeConfig: kc });
    await collector.start({ watch: false });
    nodes = (await graph.read('queries/kubernetes/scope-nodes', { source: SOURCE, scope: cluster })) as unknown as Row[];
    rels = (await graph.read('queries/kubernetes/scope-rels', { source: SOURCE, scope: cluster })) as unknown as typeof rels;
  }, 180_000);

  afterAll(async () => {
    await collector?.stop();
    await kube?.stop();
    await graph?.close();
  });

  // A bare pod's server and its container share an id (pod/container) under different labels.
  const server = (nodeId: string) => nodes.find((n) => n.id === nodeId && (n.labels.includes('InferenceServer') || n.labels.includes('VectorStore')));

  test('an image vllm/vllm-openai declares vLLM and a --model literal declares the model and its source', () => {
    expect(server(id(ns, 'Deployment', 'vllm', 'server'))).toMatchObject({
      labels: ['InferenceServer'],
      props: { engine: 'vllm', engineConfidence: 'declared', engineEvidence: 'image vllm/vllm-openai:v0.6', model: 'acme-research/llama-finetune-7b', modelConfidence: 'declared', modelSource: 'huggingface.co/acme-research', port: '8000', namespace: ns, product: 'vLLM' },
    });
    expect(rels).toContainEqual(expect.objectContaining({ type: 'RUNS_ON', from: id(ns, 'Deployment', 'vllm', 'server'), to: id(ns, 'Deployment', 'vllm') }));
  });

  test('a model from a ConfigMap-referenced env is unresolved (no value), a port 6333 infers Qdrant, a bare pod is its own owner', () => {
    const tgi = server(id(ns, 'Deployment', 'tgi', 'tgi'))!;
    expect(tgi.props).toMatchObject({ engine: 'tgi', engineConfidence: 'declared', modelConfidence: 'unresolved', modelEvidence: 'args --model-id = env MODEL from configMapKeyRef llm-config/model' });
    expect(tgi.props.model).toBeUndefined();
    expect(server(id(ns, 'Deployment', 'vectors', 'db'))).toMatchObject({ labels: ['VectorStore'], props: { engine: 'qdrant', engineConfidence: 'inferred', engineEvidence: 'containerPort 6333' } });
    expect(server(id(ns, 'ollama', 'ollama'))).toMatchObject({ labels: ['InferenceServer'], props: { engine: 'ollama', model: 'llama3.1:8b', modelSource: 'ollama.com/library' } });
    expect(rels).toContainEqual(expect.objectContaining({ type: 'RUNS_ON', from: id(ns, 'ollama', 'ollama'), to: id(ns, 'ollama') }));
    // The agent workload serves nothing: no server node for it.
    expect(nodes.filter((n) => n.id.startsWith(id(ns, 'Deployment', 'agent', '')))).toEqual([]);
  });

  test('a KServe InferenceService is read through its CRD', () => {
    expect(server(id(ns, 'InferenceService', 'mistral'))).toMatchObject({
      labels: ['InferenceServer'],
      props: { engine: 'kserve', model: 'hf://mistralai/Mistral-7B-Instruct-v0.3', modelSource: 'huggingface.co/mistralai', modelFormat: 'huggingface' },
    });
  });

  test('LLM API key variables are stored by name and source; the value never reaches the graph', async () => {
    expect(nodes.find((n) => n.id === id(ns, 'Deployment', 'agent'))!.props).toMatchObject({
      llmKeyEnv: ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY'],
      llmProviders: ['anthropic', 'openai'],
      llmKeySources: ['ANTHROPIC_API_KEY <- literal value (declared)', 'OPENAI_API_KEY <- secretKeyRef llm-keys/openai (declared)'],
    });
    const everything = JSON.stringify(await graph.read('queries/kubernetes/scope-nodes', { source: SOURCE, scope: cluster })) + JSON.stringify(rels);
    expect(everything).not.toContain(PLANTED_KEY);
  });

  test('RG-007: the vLLM workload serves a model of an unvetted org; allowing the org (a user allowlist) clears it', async () => {
    const subject = id(ns, 'Deployment', 'vllm');
    const byDefault = await findings(graph, { subject });
    expect(byDefault.findings.filter((f) => f.ruleId === 'RG-007').map((f) => [f.target, f.severity, f.path])).toEqual([
      [id(ns, 'Deployment', 'vllm', 'server'), 'medium', [{ type: 'RUNS_ON', from: id(ns, 'Deployment', 'vllm', 'server'), to: subject }]],
    ]);
    // KServe serves from mistralai, which the default allowlist holds: nothing for it.
    expect((await findings(graph, { subject: id(ns, 'ollama') })).findings.filter((f) => f.ruleId === 'RG-007')).toEqual([]);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-model-sources-'));
    const file = path.join(dir, 'sources.json');
    fs.writeFileSync(file, JSON.stringify({ sources: ['HuggingFace.co/Acme-Research/'] }));
    const allowed = await findings(graph, { subject, modelSources: loadModelSources(file) });
    expect(allowed.findings.filter((f) => f.ruleId === 'RG-007')).toEqual([]);
    // An allowlist without ollama.com/library reports the bare pod's model.
    fs.writeFileSync(file, JSON.stringify({ sources: ['huggingface.co/meta-llama'] }));
    expect((await findings(graph, { subject: id(ns, 'ollama'), modelSources: loadModelSources(file) })).findings.filter((f) => f.ruleId === 'RG-007').map((f) => f.target)).toEqual([id(ns, 'ollama', 'ollama')]);
    fs.writeFileSync(file, JSON.stringify({ sources: 'huggingface.co' }));
    expect(() => loadModelSources(file)).toThrow(`${file}: sources: `);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('model serving from manifests (the demo estate) and models agents invoke', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await testGraph();
  });
  afterAll(async () => graph?.close());

  test('vLLM, TGI and Qdrant are found with their ratings; the summarizer\'s unvetted model is RG-007', async () => {
    const cluster = uniqueScope('demo-ai');
    const { collectFromDir } = await import('../../src/collectors/kubernetes/collect.js');
    await collectFromDir(graph, path.join(process.cwd(), 'src', 'demo', 'data', 'kubernetes'), cluster);
    const rows = (await graph.read('queries/kubernetes/scope-nodes', { source: SOURCE, scope: cluster })) as unknown as Row[];
    const servers = rows.filter((n) => n.labels.includes('InferenceServer') || n.labels.includes('VectorStore'));
    expect(servers.map((n) => [n.id.slice(cluster.length + 1), n.props.engine, n.props.engineConfidence, n.props.model ?? null, n.props.modelConfidence ?? null])).toEqual([
      ['data/StatefulSet/qdrant/qdrant', 'qdrant', 'declared', null, null],
      ['inference/Deployment/summarizer/server', 'vllm', 'declared', 'anon-uploads/llama-3-8b-uncensored-merged', 'declared'],
      ['inference/Deployment/tgi/tgi', 'tgi', 'declared', null, 'unresolved'],
      ['inference/Deployment/vllm/server', 'vllm', 'declared', 'meta-llama/Llama-3.1-8B-Instruct', 'declared'],
    ]);
    const rg7 = async (w: string) => (await findings(graph, { subject: `${cluster}/inference/Deployment/${w}` })).findings.filter((f) => f.ruleId === 'RG-007').map((f) => f.target);
    expect(await rg7('summarizer')).toEqual([`${cluster}/inference/Deployment/summarizer/server`]);
    expect(await rg7('vllm')).toEqual([]);
  });

  test('RG-007 for a model an agent invokes: a BOM model of a supplier off the allowlist is reported on the MAY_INVOKE path; a Bedrock model is not', async () => {
    const { collectAibom } = await import('../../src/collectors/aibom/collect.js');
    const agent = uniqueScope('rg7-agent');
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rg-rg7-')), agent);
    fs.mkdirSync(dir);
    const model = (group: string, name: string) => ({ type: 'machine-learning-model', 'bom-ref': `m-${name}`, group, name });
    fs.writeFileSync(
      path.join(dir, 'bom.cdx.json'),
      JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [model('acme-ml', 'support-7b'), model('bedrock', 'anthropic.claude-3-5-sonnet')] }),
    );
    const r = await collectAibom(graph, dir, { agent, scope: agent });
    expect(r.scan.errors).toEqual([]);
    const found = (await findings(graph, { subject: agent })).findings.filter((f) => f.ruleId === 'RG-007');
    expect(found.map((f) => [f.target, f.path])).toEqual([['acme-ml/support-7b', [{ type: 'MAY_INVOKE', from: agent, to: 'acme-ml/support-7b' }]]]);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });
});
