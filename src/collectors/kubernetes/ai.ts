/**
 * AI-BOM records from a cluster snapshot: InferenceServer and VectorStore nodes for the containers
 * the rule table recognises (src/collectors/aibom/k8s-rules.json), each `RUNS_ON` the workload whose
 * template declares it (or the bare pod), KServe InferenceServices, and the names of LLM API key
 * variables as properties of workloads and containers. Attributes are flat properties with their
 * confidence and evidence (`model`, `modelConfidence`, `modelEvidence`) so Cypher can filter on them.
 * Pure; no key value is ever read.
 */
import type { V1ObjectMeta, V1PodSpec } from '@kubernetes/client-node';
import { detectAi, detectInferenceService, type Attribute, type ContainerLike, type InferenceServiceLike, type LlmKeyDetection } from '../aibom/k8s-detect.js';
import { node, rel, type NodeRecord, type NodeRef, type PropValue, type RelRecord } from '../../graph/records.js';
import type { Ids } from './transform.js';

/** `name`, `nameConfidence`, `nameEvidence` for one attribute; nothing when it is absent. */
function attrProps(name: string, a: Attribute | undefined): Record<string, PropValue> {
  if (!a) return {};
  return { ...(a.value !== undefined ? { [name]: a.value } : {}), [`${name}Confidence`]: a.confidence, [`${name}Evidence`]: a.evidence };
}

/** LLM API key variable names of a pod spec or one container, as properties (empty when there are none). */
export function llmKeyProps(keys: LlmKeyDetection[]): Record<string, PropValue> {
  if (keys.length === 0) return {};
  const uniq = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => x !== undefined))].sort();
  return {
    llmKeyEnv: uniq(keys.map((k) => k.env)),
    llmProviders: uniq(keys.map((k) => k.provider)),
    llmKeySources: uniq(keys.map((k) => `${k.env} <- ${k.from} (${k.confidence})`)),
  };
}

/** The LLM key properties of one container. */
export function containerLlmKeyProps(c: ContainerLike): Record<string, PropValue> {
  return llmKeyProps(detectAi({ containers: [c] }).llmKeys);
}

/** The LLM key properties of a pod template. */
export function templateLlmKeyProps(spec: V1PodSpec | undefined): Record<string, PropValue> {
  return llmKeyProps(detectAi(spec as { containers: ContainerLike[] } | undefined).llmKeys);
}

export interface PodTemplateOwner {
  /** The K8sWorkload or K8sPod the servers run on. */
  ref: NodeRef;
  namespace: string;
  spec: V1PodSpec | undefined;
}

/**
 * Server nodes for each owner's template (one per recognised container, id = owner id + "/" + container)
 * and for each InferenceService (id = cluster/ns/InferenceService/name), with `RUNS_ON` to the owner and,
 * for an InferenceService, to the workloads it owns.
 */
export function aiServerRecords(
  cluster: string,
  ids: Ids,
  owners: PodTemplateOwner[],
  inferenceServices: (InferenceServiceLike & { metadata?: V1ObjectMeta })[],
  ownedBy: Map<string, NodeRef[]>,
): { nodes: NodeRecord[]; rels: RelRecord[] } {
  const nodes: NodeRecord[] = [];
  const rels: RelRecord[] = [];
  for (const o of owners) {
    for (const d of detectAi(o.spec as { containers: ContainerLike[] } | undefined).servers) {
      const id = `${o.ref.id}/${d.container}`;
      nodes.push(
        node(d.label, id, {
          name: `${o.ref.id.split('/').pop()}/${d.container}`,
          cluster,
          namespace: o.namespace,
          container: d.container,
          image: d.image,
          product: d.product,
          detectedBy: 'kubernetes',
          ...attrProps('engine', d.engine),
          ...attrProps('model', d.model),
          ...(d.modelSource ? { modelSource: d.modelSource } : {}),
          ...attrProps('port', d.port),
        }),
      );
      rels.push(rel('RUNS_ON', { label: d.label, id }, o.ref));
      rels.push(rel('IN_NAMESPACE', { label: d.label, id }, ids.ns(o.namespace)));
    }
  }
  for (const isvc of inferenceServices) {
    const name = isvc.metadata?.name ?? '';
    const namespace = isvc.metadata?.namespace ?? 'default';
    const id = `${cluster}/${namespace}/InferenceService/${name}`;
    const d = detectInferenceService(isvc);
    nodes.push(
      node('InferenceServer', id, {
        name,
        cluster,
        namespace,
        product: 'KServe InferenceService',
        detectedBy: 'kubernetes',
        ...attrProps('engine', d.engine),
        ...attrProps('model', d.model),
        ...(d.modelSource ? { modelSource: d.modelSource } : {}),
        ...attrProps('modelFormat', d.modelFormat),
        ...(d.runtime ? { runtime: d.runtime } : {}),
      }),
    );
    rels.push(rel('IN_NAMESPACE', { label: 'InferenceServer', id }, ids.ns(namespace)));
    for (const w of ownedBy.get(`${namespace}/InferenceService/${name}`) ?? []) rels.push(rel('RUNS_ON', { label: 'InferenceServer', id }, w));
  }
  return { nodes, rels };
}
