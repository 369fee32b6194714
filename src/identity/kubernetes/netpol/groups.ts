/**
 * Workload groups for NetworkPolicy edges: the pods of one workload share a template, hence labels
 * and ports, hence verdicts, so edges can be stored once per workload instead of once per pod.
 *
 * A pod's owner chain follows controller ownerReferences through the objects given (Pod →
 * ReplicaSet → Deployment, Pod → Job → CronJob, Pod → StatefulSet/DaemonSet); an owner that is
 * referenced but absent ends the chain (the collector still writes OWNED_BY to it). A pod is grouped
 * under the topmost owner of its chain whose pods all fall in one evaluator class, else under its
 * immediate owner if that is uniform, else it stands alone. Workload ids are
 * `cluster/namespace/Kind/name`, as the Kubernetes collector writes K8sWorkload nodes, and the
 * expansion query reaches pods through `(:K8sPod)-[:OWNED_BY*0..3]->(group)`.
 */
import type { V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';
import type { NodeRef } from '../../../graph/records.js';
import type { NetpolModel } from './evaluate.js';

/** Any object with metadata: pods and the pod controllers this module reads owner references from. */
export interface OwnedObject {
  readonly metadata?: V1ObjectMeta;
}

/** Pods and controllers by kind (the manifest reader's and the collector's snapshot shape fits). API list items carry no `kind`, hence the buckets. */
export interface OwnerInput {
  readonly pods: readonly OwnedObject[];
  readonly deployments?: readonly OwnedObject[];
  readonly replicaSets?: readonly OwnedObject[];
  readonly statefulSets?: readonly OwnedObject[];
  readonly daemonSets?: readonly OwnedObject[];
  readonly jobs?: readonly OwnedObject[];
  readonly cronJobs?: readonly OwnedObject[];
  readonly replicationControllers?: readonly OwnedObject[];
}

const BUCKETS = [
  ['Deployment', 'deployments'],
  ['ReplicaSet', 'replicaSets'],
  ['StatefulSet', 'statefulSets'],
  ['DaemonSet', 'daemonSets'],
  ['Job', 'jobs'],
  ['CronJob', 'cronJobs'],
  ['ReplicationController', 'replicationControllers'],
] as const;
const WORKLOAD_KINDS: ReadonlySet<string> = new Set(BUCKETS.map(([k]) => k));

/** One link of a pod's controller chain. */
export interface OwnerLink {
  readonly kind: string;
  readonly name: string;
}

/**
 * For each pod key (`ns/name`), its controller chain of workload kinds, immediate owner first. An owner is
 * looked up by namespace, kind and name (and uid when both sides carry one); a referenced owner that is
 * absent is kept and ends the chain (the collector still writes OWNED_BY to it).
 */
export function ownerLinks(input: OwnerInput): Map<string, OwnerLink[]> {
  const byKey = new Map<string, OwnedObject>();
  for (const [kind, bucket] of BUCKETS) {
    for (const w of input[bucket] ?? []) {
      const ns = w.metadata?.namespace ?? 'default';
      if (w.metadata?.name) byKey.set(`${ns}/${kind}/${w.metadata.name}`, w);
    }
  }
  const out = new Map<string, OwnerLink[]>();
  for (const p of input.pods) {
    const ns = p.metadata?.namespace ?? 'default';
    const chain: OwnerLink[] = [];
    let ref = controllerOf(p.metadata?.ownerReferences);
    while (ref && WORKLOAD_KINDS.has(ref.kind) && chain.length < 4) {
      chain.push({ kind: ref.kind, name: ref.name });
      const owner = byKey.get(`${ns}/${ref.kind}/${ref.name}`);
      if (!owner || (ref.uid && owner.metadata?.uid && ref.uid !== owner.metadata.uid)) break;
      ref = controllerOf(owner.metadata?.ownerReferences);
    }
    out.set(`${ns}/${p.metadata?.name ?? ''}`, chain);
  }
  return out;
}

/** Owner chains as workload ids (`cluster/ns/Kind/name`, the collector's K8sWorkload ids), what `groupOfPods` takes. */
export function chainIds(links: ReadonlyMap<string, readonly OwnerLink[]>, cluster: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [podKey, chain] of links) {
    const ns = podKey.slice(0, podKey.indexOf('/'));
    out.set(podKey, chain.map((l) => `${cluster}/${ns}/${l.kind}/${l.name}`));
  }
  return out;
}

/** For each pod key (`ns/name`), its owner chain, immediate owner first, as workload ids. */
export function ownerChains(input: OwnerInput, cluster: string): Map<string, string[]> {
  return chainIds(ownerLinks(input), cluster);
}

/** The node each pod's edges are stored on: a uniform workload, or the pod itself. */
export function groupOfPods(model: NetpolModel, chains: ReadonlyMap<string, readonly string[]>, cluster: string): NodeRef[] {
  // Which classes does each workload's pod set span?
  const classesOf = new Map<string, Set<number>>();
  model.pods.forEach((p) => {
    for (const w of chains.get(p.key) ?? []) {
      let s = classesOf.get(w);
      if (!s) classesOf.set(w, (s = new Set()));
      s.add(p.cls);
    }
  });
  return model.pods.map((p) => {
    const chain = chains.get(p.key) ?? [];
    for (const w of [...chain].reverse()) if (classesOf.get(w)!.size === 1) return { label: 'K8sWorkload', id: w };
    return { label: 'K8sPod', id: `${cluster}/${p.key}` };
  });
}

/** The controller reference, else the first (as the collector picks the OWNED_BY target). */
function controllerOf(refs: readonly V1OwnerReference[] | undefined): V1OwnerReference | undefined {
  return refs?.find((r) => r.controller === true) ?? refs?.[0];
}
