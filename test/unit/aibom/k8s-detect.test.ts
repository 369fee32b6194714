/**
 * AI workloads in pod templates (k8s-rules.json): engines by image/command (declared), env names and ports
 * (inferred), the served model with its confidence and source, LLM API key variable names (never values).
 */
import { detectAi, detectInferenceService } from '../../../src/collectors/aibom/k8s-detect.js';
import { modelSource } from '../../../src/collectors/aibom/model-source.js';

const KEY_VALUE = 'sk-planted-value-that-must-not-appear';

describe('detectAi', () => {
  test('an image vllm/vllm-openai declares vLLM; --model with a literal declares the model and its Hugging Face org', () => {
    // Given a vLLM container started with --model
    const d = detectAi({ containers: [{ name: 'server', image: 'vllm/vllm-openai:v0.6.3', args: ['--model', 'meta-llama/Llama-3.1-8B-Instruct', '--port', '8000'], ports: [{ containerPort: 8000 }] }] });
    // Then the engine and model are declared, the source is the org on the Hub
    expect(d.servers).toEqual([
      {
        label: 'InferenceServer',
        container: 'server',
        image: 'vllm/vllm-openai:v0.6.3',
        engine: { value: 'vllm', confidence: 'declared', evidence: 'image vllm/vllm-openai:v0.6.3' },
        product: 'vLLM',
        model: { value: 'meta-llama/Llama-3.1-8B-Instruct', confidence: 'declared', evidence: 'args --model' },
        modelSource: 'huggingface.co/meta-llama',
        port: { value: '8000', confidence: 'declared', evidence: 'containerPort 8000' },
      },
    ]);
  });

  test('a model from a ConfigMap-referenced env (through $(VAR) in args) is unresolved and has no value or source', () => {
    const d = detectAi({
      containers: [{ name: 'tgi', image: 'ghcr.io/huggingface/text-generation-inference:2.4', args: ['--model-id', '$(MODEL)'], env: [{ name: 'MODEL', valueFrom: { configMapKeyRef: { name: 'llm-config', key: 'model' } } }] }],
    });
    expect(d.servers[0]).toMatchObject({ engine: { value: 'tgi', confidence: 'declared' }, model: { confidence: 'unresolved', evidence: 'args --model-id = env MODEL from configMapKeyRef llm-config/model' } });
    expect(d.servers[0]!.model!.value).toBeUndefined();
    expect(d.servers[0]!.modelSource).toBeUndefined();
  });

  test('a port 6333 alone infers Qdrant; a port several engines could own (8000) infers nothing', () => {
    expect(detectAi({ containers: [{ name: 'db', image: 'registry.internal/vectors:1', ports: [{ containerPort: 6333 }] }] }).servers).toMatchObject([
      { label: 'VectorStore', engine: { value: 'qdrant', confidence: 'inferred', evidence: 'containerPort 6333' } },
    ]);
    expect(detectAi({ containers: [{ name: 'web', image: 'shop/web:1', ports: [{ containerPort: 8000 }] }] }).servers).toEqual([]);
  });

  test('commands declare engines (vllm serve with a positional model, ollama, tritonserver); env names infer them', () => {
    const d = detectAi({
      containers: [
        { name: 'a', image: 'python:3.12', command: ['sh', '-c', 'vllm serve Qwen/Qwen2.5-7B-Instruct --port 8000'] },
        { name: 'b', image: 'internal/llm:1', command: ['ollama'], args: ['serve'], env: [{ name: 'OLLAMA_MODEL', value: 'llama3.1:8b' }] },
        { name: 'c', image: 'internal/triton:1', command: ['tritonserver', '--model-repository=s3://models-prod/triton'] },
        { name: 'd', image: 'internal/chroma:1', env: [{ name: 'CHROMA_SERVER_HOST', value: '0.0.0.0' }] },
        { name: 'e', image: 'pgvector/pgvector:pg16' },
        { name: 'f', image: 'internal/app:1', volumeMounts: [{ name: 'weights', mountPath: '/models/llama' }], env: [{ name: 'VLLM_PORT', value: '8000' }] },
      ],
    });
    expect(d.servers.map((s) => [s.container, s.engine.value, s.engine.confidence, s.model?.value, s.model?.confidence, s.modelSource])).toEqual([
      ['a', 'vllm', 'declared', 'Qwen/Qwen2.5-7B-Instruct', 'declared', 'huggingface.co/Qwen'],
      ['b', 'ollama', 'declared', 'llama3.1:8b', 'declared', 'ollama.com/library'],
      ['c', 'triton', 'declared', 's3://models-prod/triton', 'declared', 's3://models-prod'],
      ['d', 'chroma', 'inferred', undefined, undefined, undefined],
      ['e', 'pgvector', 'declared', undefined, undefined, undefined],
      ['f', 'vllm', 'inferred', '/models/llama', 'inferred', undefined],
    ]);
  });

  test('LLM API key variables: names and where they come from, never values; envFrom secrets are unresolved', () => {
    const d = detectAi({
      containers: [
        {
          name: 'agent',
          image: 'shop/agent:1',
          env: [
            { name: 'OPENAI_API_KEY', valueFrom: { secretKeyRef: { name: 'llm-keys', key: 'openai' } } },
            { name: 'LLM_TOKEN', valueFrom: { secretKeyRef: { name: 'llm-keys', key: 'ANTHROPIC_API_KEY' } } },
            { name: 'GROQ_API_KEY', value: KEY_VALUE },
            { name: 'DATABASE_URL', value: 'postgres://x' },
          ],
          envFrom: [{ secretRef: { name: 'more-keys' } }],
        },
      ],
    });
    expect(d.llmKeys).toEqual([
      { container: 'agent', env: 'OPENAI_API_KEY', provider: 'openai', confidence: 'declared', from: 'secretKeyRef llm-keys/openai' },
      { container: 'agent', env: 'LLM_TOKEN', provider: 'anthropic', confidence: 'declared', from: 'secretKeyRef llm-keys/ANTHROPIC_API_KEY' },
      { container: 'agent', env: 'GROQ_API_KEY', provider: 'groq', confidence: 'declared', from: 'literal value' },
      { container: 'agent', env: '*', confidence: 'unresolved', from: 'envFrom secret more-keys' },
    ]);
    expect(JSON.stringify(d)).not.toContain(KEY_VALUE);
    expect(d.servers).toEqual([]);
  });
});

describe('detectInferenceService', () => {
  test('predictor.model with a storageUri and model format; the legacy per-framework predictor', () => {
    expect(detectInferenceService({ spec: { predictor: { model: { modelFormat: { name: 'huggingface' }, storageUri: 'hf://mistralai/Mistral-7B-Instruct-v0.3', runtime: 'kserve-huggingfaceserver' } } } })).toEqual({
      engine: { value: 'kserve', confidence: 'declared', evidence: 'InferenceService (serving.kserve.io)' },
      model: { value: 'hf://mistralai/Mistral-7B-Instruct-v0.3', confidence: 'declared', evidence: 'spec.predictor storageUri' },
      modelSource: 'huggingface.co/mistralai',
      modelFormat: { value: 'huggingface', confidence: 'declared', evidence: 'spec.predictor modelFormat' },
      runtime: 'kserve-huggingfaceserver',
    });
    expect(detectInferenceService({ spec: { predictor: { sklearn: { storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model' } } } })).toMatchObject({ modelFormat: { value: 'sklearn' }, modelSource: 'gs://kfserving-examples' });
  });
});

describe('modelSource', () => {
  test.each([
    ['pkg:huggingface/google/gemma-2b@abc', {}, 'huggingface.co/google'],
    ['https://huggingface.co/TheBloke/Llama-2-7B-GGUF/resolve/main/x.gguf', {}, 'huggingface.co/TheBloke'],
    ['oci://ghcr.io/acme/models/llama:1', {}, 'oci://ghcr.io/acme'],
    ['/models/llama.gguf', {}, undefined],
    ['llama.gguf', {}, undefined],
    ['anthropic.claude-3-haiku', { supplier: 'bedrock' }, 'aws.bedrock'],
    [undefined, { supplier: 'Acme Labs' }, 'Acme Labs'],
  ] as const)('%s %j → %s', (ref, opts, want) => {
    expect(modelSource(ref, opts)).toBe(want);
  });
});

describe('offline manifests', () => {
  test('an InferenceService manifest goes to its own bucket and becomes an InferenceServer running on the workloads it owns', async () => {
    const { groupManifests, parseManifestText } = await import('../../../src/collectors/kubernetes/manifests.js');
    const { snapshotToBatch } = await import('../../../src/collectors/kubernetes/transform.js');
    const text = [
      'apiVersion: serving.kserve.io/v1beta1',
      'kind: InferenceService',
      'metadata: {name: sk, namespace: ml}',
      'spec: {predictor: {model: {modelFormat: {name: sklearn}, storageUri: "gs://kfserving-examples/models/sklearn/1.0/model"}}}',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: sk-predictor, namespace: ml, ownerReferences: [{apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, name: sk, uid: u1, controller: true}]}',
      'spec: {selector: {matchLabels: {app: sk}}, template: {metadata: {labels: {app: sk}}, spec: {containers: [{name: kserve-container, image: "kserve/sklearnserver:v0.14.0"}]}}}',
    ].join('\n');
    const m = groupManifests(parseManifestText(text, 'isvc.yaml'));
    expect(m.inferenceServices).toHaveLength(1);
    expect(m.other).toEqual([]);
    const { other: _o, ...snap } = m;
    const b = snapshotToBatch('c1', snap);
    expect(b.nodes.find((n) => n.label === 'InferenceServer')).toMatchObject({ id: 'c1/ml/InferenceService/sk', props: { engine: 'kserve', modelFormat: 'sklearn', modelSource: 'gs://kfserving-examples' } });
    expect(b.rels.filter((r) => r.type === 'RUNS_ON').map((r) => [r.from.id, r.to.id])).toEqual([['c1/ml/InferenceService/sk', 'c1/ml/Deployment/sk-predictor']]);
  });
});
