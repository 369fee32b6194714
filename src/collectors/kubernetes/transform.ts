/**
 * Cluster snapshot → graph records. Pure: the collector (API or --from-dir) builds the snapshot,
 * this file turns it into one Batch, calling the RBAC, attack-edge and NetworkPolicy engines.
 *
 * Secrets and ConfigMaps are metadata only by construction: the API collector never requests their
 * bodies (metadata-only lists), the manifest reader drops `data`; this file reads `metadata` alone.
 */
import type { V1Container, V1ObjectMeta, V1OwnerReference, V1PodSpec } from '@kubernetes/client-node';
import { node, rel, type Batch, type NodeRecord, type NodeRef, type PropValue, type RelRecord } from '../../graph/records.js';
import { attackEdges, type EntityRef } from '../../identity/kubernetes/attack/edges.js';
import { cloudLinks } from '../../identity/kubernetes/attack/cloud-links.js';
import { podFacts, type PodFacts } from '../../identity/kubernetes/attack/facts.js';
import { RbacIndex } from '../../identity/kubernetes/rbac/engine.js';
import { rbacStateFrom } from '../../identity/kubernetes/rbac/from-objects.js';
import { buildNetpolModel } from '../../identity/kubernetes/netpol/evaluate.js';
import { netpolBatch } from '../../identity/kubernetes/netpol/graph.js';
import { chainIds, groupOfPods, ownerLinks } from '../../identity/kubernetes/netpol/groups.js';
import type { Manifests } from './manifests.js';
import { aiServerRecords, containerLlmKeyProps, templateLlmKeyProps, type PodTemplateOwner } from './ai.js';

/** Everything the collector read, by kind (the manifest reader's shape, without unknown kinds). */
export type ClusterSnapshot = Omit<Manifests, 'other'>;

export interface TransformStats {
  nodes: number;
  rels: number;
  attackEdges: number;
  secretAccess: number;
  linkProblems: string[];
}

/** Kinds whose objects are K8sWorkload nodes. */
export const WORKLOAD_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController'];

function labelsProp(l: Record<string, string> | undefined | null): string[] {
  return Object.entries(l ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .sort();
}

/** Ids: cluster-qualified, as documented in src/graph/model/kubernetes.ts. */
export class Ids {
  constructor(readonly cluster: string) {}
  ns(name: string): NodeRef {
    return { label: 'K8sNamespace', id: `${this.cluster}/${name}` };
  }
  namespaced(label: string, ns: string, name: string): NodeRef {
    return { label, id: `${this.cluster}/${ns}/${name}` };
  }
  clusterScoped(label: string, name: string): NodeRef {
    return { label, id: `${this.cluster}/${name}` };
  }
  workload(ns: string, kind: string, name: string): NodeRef {
    return { label: 'K8sWorkload', id: `${this.cluster}/${ns}/${kind}/${name}` };
  }
  entity(e: EntityRef): NodeRef {
    switch (e.kind) {
      case 'ServiceAccount':
        return this.namespaced('K8sServiceAccount', e.namespace, e.name);
      case 'Pod':
        return this.namespaced('K8sPod', e.namespace, e.name);
      case 'User':
        return this.clusterScoped('K8sUser', e.name);
      case 'Group':
        return this.clusterScoped('K8sGroup', e.name);
      case 'Node':
        return this.clusterScoped('K8sNode', e.name);
      case 'ClusterRole':
        return this.clusterScoped('K8sClusterRole', e.name);
      case 'Namespace':
        return this.ns(e.name);
    }
  }
}

function metaOf(o: { metadata?: V1ObjectMeta }): { name: string; namespace: string; meta: V1ObjectMeta } {
  const meta = o.metadata ?? {};
  return { name: meta.name ?? '', namespace: meta.namespace ?? 'default', meta };
}

/** Builds the whole batch for one cluster. */
export function snapshotToBatch(cluster: string, s: ClusterSnapshot, opts: { describe?: (o: object) => string | undefined; aggregation?: 'stored' | 'controller' } = {}): Batch & { stats: TransformStats } {
  const ids = new Ids(cluster);
  const nodes: NodeRecord[] = [];
  const rels: RelRecord[] = [];
  const linkProblems: string[] = [];
  const clusterRef: NodeRef = { label: 'K8sCluster', id: cluster };
  nodes.push(node('K8sCluster', cluster, { name: cluster }));
  const seenNs = new Set<string>();
  const ensureNs = (name: string) => {
    if (seenNs.has(name)) return;
    seenNs.add(name);
    nodes.push(node('K8sNamespace', ids.ns(name).id, { name, cluster }));
  };
  const inNs = (from: NodeRef, ns: string) => {
    ensureNs(ns);
    rels.push(rel('IN_NAMESPACE', from, ids.ns(ns)));
  };

  const nsLabels: Array<{ name: string; labels: Record<string, string> }> = [];
  for (const n of s.namespaces) {
    const { name, meta } = metaOf(n);
    seenNs.add(name);
    nsLabels.push({ name, labels: { ...(meta.labels ?? {}) } });
    nodes.push(node('K8sNamespace', ids.ns(name).id, { name, cluster, labels: labelsProp(meta.labels), phase: n.status?.phase ?? '' }));
  }
  for (const n of s.nodes) {
    const { name, meta } = metaOf(n);
    nodes.push(node('K8sNode', ids.clusterScoped('K8sNode', name).id, { name, cluster, labels: labelsProp(meta.labels), kubeletVersion: n.status?.nodeInfo?.kubeletVersion ?? '' }));
  }

  // Service accounts and their cloud identities.
  const saByKey = new Map(s.serviceAccounts.map((sa) => [`${sa.metadata?.namespace ?? 'default'}/${sa.metadata?.name ?? ''}`, sa]));
  for (const sa of s.serviceAccounts) {
    const { name, namespace, meta } = metaOf(sa);
    const ref = ids.namespaced('K8sServiceAccount', namespace, name);
    const { links, problems } = cloudLinks(meta.annotations);
    const props: Record<string, PropValue> = { name, namespace, cluster, username: `system:serviceaccount:${namespace}:${name}` };
    if (sa.automountServiceAccountToken !== undefined) props.automountServiceAccountToken = sa.automountServiceAccountToken;
    nodes.push(node('K8sServiceAccount', ref.id, props));
    inNs(ref, namespace);
    for (const g of ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated']) rels.push(rel('MEMBER_OF', ref, ids.clusterScoped('K8sGroup', g)));
    for (const l of links) {
      if (l.provider === 'aws') rels.push(rel('LINKED_IDENTITY', ref, { label: 'AWSRole', id: l.roleArn }, { props: { provider: 'aws', via: l.annotation } }));
      else {
        nodes.push(node('CloudIdentity', l.identity, { provider: l.provider }));
        rels.push(rel('LINKED_IDENTITY', ref, { label: 'CloudIdentity', id: l.identity }, { props: { provider: l.provider, via: l.annotation } }));
      }
    }
    for (const p of problems) linkProblems.push(`ServiceAccount ${namespace}/${name}: annotation ${p.annotation}: ${p.problem}`);
  }
  const implicitGroups = new Set(['system:serviceaccounts', 'system:authenticated', ...s.serviceAccounts.map((sa) => `system:serviceaccounts:${sa.metadata?.namespace ?? 'default'}`)]);
  for (const g of implicitGroups) nodes.push(node('K8sGroup', ids.clusterScoped('K8sGroup', g).id, { name: g, cluster, implicit: true }));

  // Secrets and config maps: metadata only.
  const secretsMeta: Array<{ namespace: string; name: string; serviceAccount?: string | undefined }> = [];
  for (const sec of s.secrets) {
    const { name, namespace, meta } = metaOf(sec);
    const ref = ids.namespaced('K8sSecret', namespace, name);
    const saName = meta.annotations?.['kubernetes.io/service-account.name'];
    const props: Record<string, PropValue> = { name, namespace, cluster, labels: labelsProp(meta.labels) };
    if (sec.type) props.type = sec.type;
    if (saName) props.serviceAccount = saName;
    nodes.push(node('K8sSecret', ref.id, props));
    inNs(ref, namespace);
    if (saName) rels.push(rel('STORES_TOKEN_OF', ref, ids.namespaced('K8sServiceAccount', namespace, saName)));
    secretsMeta.push({ namespace, name, serviceAccount: saName });
  }
  for (const cm of s.configMaps) {
    const { name, namespace, meta } = metaOf(cm);
    const ref = ids.namespaced('K8sConfigMap', namespace, name);
    nodes.push(node('K8sConfigMap', ref.id, { name, namespace, cluster, labels: labelsProp(meta.labels) }));
    inNs(ref, namespace);
  }

  // Workloads and their owner chains.
  const workloadLists: Array<[string, Array<{ metadata?: V1ObjectMeta; spec?: { template?: { spec?: V1PodSpec } } }>]> = [
    ['Deployment', s.deployments],
    ['ReplicaSet', s.replicaSets],
    ['StatefulSet', s.statefulSets],
    ['DaemonSet', s.daemonSets],
    ['Job', s.jobs],
  ];
  const ownerRel = (from: NodeRef, namespace: string, refs: V1OwnerReference[] | undefined) => {
    const owner = refs?.find((r) => r.controller) ?? refs?.[0];
    if (owner && WORKLOAD_KINDS.includes(owner.kind)) rels.push(rel('OWNED_BY', from, ids.workload(namespace, owner.kind, owner.name)));
  };
  // AI servers are read from the template of the topmost workload present (or a bare pod's spec): one node per
  // server, however many replicas and ReplicaSets carry the same template.
  const presentWorkloads = new Set([...workloadLists.flatMap(([kind, list]) => list.map((w) => `${metaOf(w).namespace}/${kind}/${metaOf(w).name}`)), ...s.cronJobs.map((c) => `${metaOf(c).namespace}/CronJob/${metaOf(c).name}`)]);
  const templateOwners: PodTemplateOwner[] = [];
  const ownedByIsvc = new Map<string, NodeRef[]>();
  const topLevel = (namespace: string, ref: NodeRef, refs: V1OwnerReference[] | undefined, spec: V1PodSpec | undefined) => {
    const owner = refs?.find((r) => r.controller) ?? refs?.[0];
    if (owner?.kind === 'InferenceService') ownedByIsvc.set(`${namespace}/InferenceService/${owner.name}`, [...(ownedByIsvc.get(`${namespace}/InferenceService/${owner.name}`) ?? []), ref]);
    if (!owner || !presentWorkloads.has(`${namespace}/${owner.kind}/${owner.name}`)) templateOwners.push({ ref, namespace, spec });
  };
  for (const [kind, list] of workloadLists) {
    for (const w of list) {
      const { name, namespace, meta } = metaOf(w);
      const ref = ids.workload(namespace, kind, name);
      nodes.push(node('K8sWorkload', ref.id, { name, namespace, cluster, kind, serviceAccount: w.spec?.template?.spec?.serviceAccountName || 'default', labels: labelsProp(meta.labels), ...templateLlmKeyProps(w.spec?.template?.spec) }));
      inNs(ref, namespace);
      ownerRel(ref, namespace, meta.ownerReferences);
      topLevel(namespace, ref, meta.ownerReferences, w.spec?.template?.spec);
    }
  }
  for (const cj of s.cronJobs) {
    const { name, namespace, meta } = metaOf(cj);
    const ref = ids.workload(namespace, 'CronJob', name);
    const spec = cj.spec?.jobTemplate?.spec?.template?.spec;
    nodes.push(node('K8sWorkload', ref.id, { name, namespace, cluster, kind: 'CronJob', serviceAccount: spec?.serviceAccountName || 'default', labels: labelsProp(meta.labels), ...templateLlmKeyProps(spec) }));
    inNs(ref, namespace);
    topLevel(namespace, ref, meta.ownerReferences, spec);
  }

  // Pods and containers.
  const owners = ownerLinks(s);
  // One ADDRESS_OF per (address, owner): a pod's container port and its EndpointSlice entry name the same join.
  const addressed = new Set<string>();
  const addressOf = (ep: string, to: NodeRef) => {
    const k = `${ep}|${to.label}|${to.id}`;
    if (addressed.has(k)) return;
    addressed.add(k);
    rels.push(rel('ADDRESS_OF', { label: 'NetEndpoint', id: ep }, to));
  };
  const facts: PodFacts[] = [];
  for (const pod of s.pods) {
    const { name, namespace, meta } = metaOf(pod);
    const ref = ids.namespaced('K8sPod', namespace, name);
    const f = podFacts(pod, saByKey.get(`${namespace}/${pod.spec?.serviceAccountName || 'default'}`));
    facts.push(f);
    const top = owners.get(`${namespace}/${name}`)?.at(-1);
    const props: Record<string, PropValue> = {
      name,
      namespace,
      cluster,
      serviceAccount: f.serviceAccount,
      tokenMounted: f.tokenMounted,
      hostPID: f.hostPID,
      hostNetwork: f.hostNetwork,
      hostIPC: f.hostIPC,
      privileged: f.containers.some((c) => c.privileged),
      labels: labelsProp(meta.labels),
      phase: pod.status?.phase ?? '',
      podIPs: (pod.status?.podIPs ?? []).map((x) => x.ip).filter((x): x is string => typeof x === 'string'),
      // Runtime attribution joins the sensor's cgroup paths on these (cypher/queries/runtime/find-pods-by-container).
      uid: meta.uid ?? '',
      containerIds: containerIdsOf(pod),
    };
    if (f.nodeName) props.nodeName = f.nodeName;
    if (top) {
      props.workload = ids.workload(namespace, top.kind, top.name).id;
      props.workloadKind = top.kind;
    }
    nodes.push(node('K8sPod', ref.id, props));
    inNs(ref, namespace);
    ownerRel(ref, namespace, meta.ownerReferences);
    topLevel(namespace, ref, meta.ownerReferences, pod.spec);
    rels.push(rel('RUNS_AS', ref, ids.namespaced('K8sServiceAccount', namespace, f.serviceAccount)));
    if (f.nodeName) rels.push(rel('SCHEDULED_ON', ref, ids.clusterScoped('K8sNode', f.nodeName)));
    // Host-network pods share the node's address: tying it to one pod would misattribute every other flow.
    if (!f.hostNetwork) for (const ep of podAddresses(pod)) addressOf(ep, ref);
    for (const sec of f.secretRefs) rels.push(rel('MOUNTS', ref, ids.namespaced('K8sSecret', namespace, sec)));
    const specContainers = new Map<string, V1Container>([...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].map((c) => [c.name, c as V1Container]));
    for (const c of f.containers) {
      const cid = `${ref.id}/${c.name}`;
      nodes.push(
        node('K8sContainer', cid, {
          name: c.name,
          image: c.image,
          privileged: c.privileged,
          allowPrivilegeEscalation: c.allowPrivilegeEscalation,
          capabilitiesAdd: c.capabilitiesAdd,
          hostPaths: c.hostPaths.map((h) => `${h.path}${h.readOnly ? ':ro' : ''}`),
          ...containerLlmKeyProps(specContainers.get(c.name) ?? { name: c.name }),
        }),
      );
      rels.push(rel('HAS_CONTAINER', ref, { label: 'K8sContainer', id: cid }));
    }
  }

  // Services and endpoint slices.
  for (const svc of s.services) {
    const { name, namespace } = metaOf(svc);
    const ref = ids.namespaced('K8sService', namespace, name);
    nodes.push(
      node('K8sService', ref.id, {
        name,
        namespace,
        cluster,
        type: svc.spec?.type ?? 'ClusterIP',
        clusterIP: svc.spec?.clusterIP ?? '',
        selector: labelsProp(svc.spec?.selector),
        ports: (svc.spec?.ports ?? []).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`),
      }),
    );
    inNs(ref, namespace);
    const ip = svc.spec?.clusterIP;
    if (ip && ip !== 'None') for (const p of svc.spec?.ports ?? []) addressOf(endpointOf(ip, p.port), ref);
  }
  for (const es of s.endpointSlices) {
    const { name, namespace, meta } = metaOf(es);
    const ref = ids.namespaced('K8sEndpointSlice', namespace, name);
    const svcName = meta.labels?.['kubernetes.io/service-name'];
    nodes.push(node('K8sEndpointSlice', ref.id, { name, namespace, cluster, addressType: es.addressType ?? '', service: svcName ?? '' }));
    inNs(ref, namespace);
    if (svcName) rels.push(rel('OWNED_BY', ref, ids.namespaced('K8sService', namespace, svcName)));
    const targets = new Set<string>();
    for (const ep of es.endpoints ?? []) if (ep.targetRef?.kind === 'Pod' && ep.targetRef.name) targets.add(ep.targetRef.name);
    for (const t of targets) rels.push(rel('ROUTES_TO', ref, ids.namespaced('K8sPod', namespace, t)));
    for (const ep of es.endpoints ?? []) {
      const to = ep.targetRef?.kind === 'Pod' && ep.targetRef.name ? ids.namespaced('K8sPod', ep.targetRef.namespace ?? namespace, ep.targetRef.name) : ref;
      for (const a of ep.addresses ?? [])
        for (const p of es.ports ?? []) {
          if (p.port !== undefined && p.port !== null) addressOf(endpointOf(a, p.port), to);
        }
    }
  }

  const ai = aiServerRecords(cluster, ids, templateOwners, s.inferenceServices ?? [], ownedByIsvc);
  nodes.push(...ai.nodes);
  rels.push(...ai.rels);

  // RBAC objects.
  const rbacState = rbacStateFrom(s, opts.describe, opts.aggregation);
  const index = new RbacIndex(rbacState);
  for (const r of rbacState.roles) {
    const ref = ids.namespaced('K8sRole', r.metadata.namespace, r.metadata.name);
    nodes.push(node('K8sRole', ref.id, { name: r.metadata.name, namespace: r.metadata.namespace, cluster, rules: JSON.stringify(r.rules) }));
    inNs(ref, r.metadata.namespace);
  }
  for (const cr of rbacState.clusterRoles) {
    const props: Record<string, PropValue> = { name: cr.metadata.name, cluster, rules: JSON.stringify(index.clusterRules.get(cr.metadata.name) ?? []), aggregated: Boolean(cr.aggregationRule) };
    if (cr.aggregationRule) props.aggregationRule = JSON.stringify(cr.aggregationRule);
    nodes.push(node('K8sClusterRole', ids.clusterScoped('K8sClusterRole', cr.metadata.name).id, props));
  }
  const subjectRef = (sub: { kind: string; name: string; namespace?: string | null | undefined }, bindingNs: string): NodeRef | undefined => {
    if (sub.kind === 'ServiceAccount') {
      const ns = sub.namespace || bindingNs;
      return ns ? ids.namespaced('K8sServiceAccount', ns, sub.name) : undefined;
    }
    if (sub.kind === 'User') return ids.clusterScoped('K8sUser', sub.name);
    if (sub.kind === 'Group') return ids.clusterScoped('K8sGroup', sub.name);
    return undefined;
  };
  const subjectNodes = new Set<string>();
  for (const rb of index.bindings) {
    const b = rb.binding;
    const isCluster = b.kind === 'ClusterRoleBinding';
    const ref = isCluster ? ids.clusterScoped('K8sClusterRoleBinding', b.metadata.name) : ids.namespaced('K8sRoleBinding', rb.namespace, b.metadata.name);
    nodes.push(node(ref.label, ref.id, { name: b.metadata.name, ...(isCluster ? {} : { namespace: rb.namespace }), cluster, roleRef: `${b.roleRef.kind}/${b.roleRef.name}` }));
    if (!isCluster) inNs(ref, rb.namespace);
    const roleRef = b.roleRef.kind === 'ClusterRole' ? ids.clusterScoped('K8sClusterRole', b.roleRef.name) : ids.namespaced('K8sRole', rb.namespace, b.roleRef.name);
    rels.push(rel('GRANTS', ref, roleRef));
    for (const sub of b.subjects) {
      const sref = subjectRef(sub, rb.namespace);
      if (!sref) continue;
      rels.push(rel('BINDS', ref, sref));
      if ((sref.label === 'K8sUser' || sref.label === 'K8sGroup') && !subjectNodes.has(sref.id) && !(sref.label === 'K8sGroup' && implicitGroups.has(sub.name))) {
        subjectNodes.add(sref.id);
        nodes.push(node(sref.label, sref.id, { name: sub.name, cluster }));
      }
    }
  }
  for (const np of s.networkPolicies) {
    const { name, namespace } = metaOf(np);
    const ref = ids.namespaced('K8sNetworkPolicy', namespace, name);
    nodes.push(node('K8sNetworkPolicy', ref.id, { name, namespace, cluster, policyTypes: np.spec?.policyTypes ?? [], spec: JSON.stringify(np.spec ?? {}) }));
    inNs(ref, namespace);
  }

  // Attack edges.
  const attack = attackEdges({
    namespaces: nsLabels,
    serviceAccounts: s.serviceAccounts.map((sa) => ({ namespace: sa.metadata?.namespace ?? 'default', name: sa.metadata?.name ?? '' })),
    secrets: secretsMeta,
    nodes: s.nodes.map((n) => n.metadata?.name ?? '').filter((n) => n !== ''),
    pods: facts,
    rbac: index,
  });
  for (const e of attack.edges) rels.push(rel(e.type, ids.entity(e.from), ids.entity(e.to), { key: e.method, props: { method: e.method, evidence: e.evidence } }));
  for (const a of attack.secretAccess) rels.push(rel('MAY_ACCESS', ids.entity(a.from), ids.namespaced('K8sSecret', a.secret.namespace, a.secret.name), { key: 'secrets', props: { verbs: a.verbs, resources: ['secrets'], namespace: a.secret.namespace, evidence: a.evidence } }));

  // NetworkPolicy reachability (the netpol engine's group-level edges).
  // Verdicts sit on a pod's workload when all its pods are alike (this batch writes the OWNED_BY edges the
  // expansion query follows), so a 5-replica deployment costs one set of edges, not 25 per peer.
  const npModel = buildNetpolModel({ namespaces: s.namespaces, pods: s.pods, networkPolicies: s.networkPolicies }, opts.describe ? { describe: opts.describe } : {});
  const np = netpolBatch(npModel, { cluster, groups: groupOfPods(npModel, chainIds(owners, cluster), cluster) });
  const seenIds = new Set(nodes.map((n) => `${n.label}|${n.id}`));
  for (const n of np.nodes) if (!seenIds.has(`${n.label}|${n.id}`)) nodes.push(n);
  for (const r of np.rels) rels.push(r);
  void clusterRef;

  return { nodes: dedupeNodes(nodes), rels, stats: { nodes: nodes.length, rels: rels.length, attackEdges: attack.edges.length, secretAccess: attack.secretAccess.length, linkProblems } };
}

/** Later records of one id win: a namespace seen first through an object and then declared keeps its declared props. */
function dedupeNodes(nodes: NodeRecord[]): NodeRecord[] {
  const m = new Map<string, NodeRecord>();
  for (const n of nodes) {
    const k = `${n.label}|${n.id}`;
    const prev = m.get(k);
    m.set(k, prev && !n.props ? prev : prev ? { ...n, props: { ...prev.props, ...n.props } } : n);
  }
  return [...m.values()];
}

/** The sensor's NetEndpoint id of an address and port (src/sensor/observations.ts endpointId): IPv6 in brackets. */
export function endpointOf(address: string, port?: number): string {
  const a = address.includes(':') ? `[${address}]` : address;
  return port === undefined ? a : `${a}:${port}`;
}

/** A pod's addresses as NetEndpoint ids: each pod IP alone (peers that connect in) and with each declared container port. */
export function podAddresses(pod: { status?: { podIP?: string; podIPs?: { ip?: string }[] }; spec?: { containers?: { ports?: { containerPort?: number }[] }[] } }): string[] {
  const ips = new Set<string>([...(pod.status?.podIPs ?? []).map((x) => x.ip), pod.status?.podIP].filter((x): x is string => typeof x === 'string' && x !== ''));
  const ports = new Set<number>();
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (typeof p.containerPort === 'number') ports.add(p.containerPort);
  const out: string[] = [];
  for (const ip of ips) {
    out.push(endpointOf(ip));
    for (const port of ports) out.push(endpointOf(ip, port));
  }
  return out;
}

/** Container ids of a pod's statuses without the runtime prefix (`containerd://`, `cri-o://`, `docker://`). */
export function containerIdsOf(pod: { status?: { containerStatuses?: { containerID?: string }[]; initContainerStatuses?: { containerID?: string }[]; ephemeralContainerStatuses?: { containerID?: string }[] } }): string[] {
  const st = pod.status;
  return [...(st?.containerStatuses ?? []), ...(st?.initContainerStatuses ?? []), ...(st?.ephemeralContainerStatuses ?? [])]
    .map((c) => c.containerID?.replace(/^[a-z0-9-]+:\/\//, ''))
    .filter((x): x is string => typeof x === 'string' && x.length > 0);
}
