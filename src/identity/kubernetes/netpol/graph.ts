/**
 * NetworkPolicy verdicts as graph records, without an edge per pod pair.
 *
 * allowed(s, d) = egress(s → d) ∩ ingress(s → d). Each side splits into a part that holds for every
 * in-cluster peer and a selector-specific rest:
 * - `(s:K8sPod)-[:MAY_CONNECT]->(:K8sCluster)`: ports s's egress allows towards *every* pod
 *   (ANY when no egress policy selects s; else the numeric ports of rules that reach every pod);
 * - `(:K8sCluster)-[:MAY_CONNECT]->(d:K8sPod)`: ports d's ingress allows from *every* pod;
 * - the pair path s → cluster → d is the intersection of the two edges (the expansion query computes it);
 * - `(s:K8sPod)-[:MAY_CONNECT]->(d:K8sPod)` only for what allowed(s, d) has beyond that path
 *   (selector-specific allowances), so the hub and the direct edges are disjoint and their union is exact.
 * External traffic: `(s)-[:MAY_CONNECT]->(:IPBlock)` for egress to the outside (ANY to 0.0.0.0/0 and ::/0
 * for a pod without egress policy; else the rule's CIDRs with `except`), `(:IPBlock)-[:MAY_CONNECT]->(d)`
 * likewise for ingress. Edges carry {protocol, port, endPort} (protocol ANY: every protocol and port)
 * and `basis` (open | any-pod | selector | ipBlock); the key is `protocol/port-endPort[ except …]`.
 */
import { rel, type Batch, type NodeRef, type RelRecord } from '../../../graph/records.js';
import { ANY, EMPTY, intersect, isEmpty, subtract, toEntries, union, type PortSet } from './ports.js';
import { rulePorts, type CompiledRule, type NetpolModel } from './evaluate.js';

/** The "every address" blocks a rule without peers (or an unrestricted pod) reaches. */
export const ALL_IPV4 = '0.0.0.0/0';
export const ALL_IPV6 = '::/0';

export interface NetpolBatchOptions {
  /** Cluster name: prefixes pod ids (`cluster/ns/name`) and is the K8sCluster hub's id. */
  readonly cluster: string;
  /**
   * Per pod (index into `model.pods`): the node its edges are stored on, e.g. its workload
   * (see groups.ts). Pods sharing a node must share an evaluator class. Default: the pod itself.
   */
  readonly groups?: readonly NodeRef[];
}

/** Counts of what `netpolBatch` emitted, for summaries and benchmarks. */
export interface NetpolBatchStats {
  hubEdges: number;
  directEdges: number;
  ipEdges: number;
}

/** Turn an evaluated estate into a Batch (ingest through runSync with the caller's source and scope). */
export function netpolBatch(model: NetpolModel, opts: NetpolBatchOptions): Batch & { stats: NetpolBatchStats } {
  const { cluster } = opts;
  const podRef = (i: number) => ({ label: 'K8sPod', id: `${cluster}/${model.pods[i]!.key}` });
  const hub = { label: 'K8sCluster', id: cluster };
  const rels: RelRecord[] = [];
  const stats: NetpolBatchStats = { hubEdges: 0, directEdges: 0, ipEdges: 0 };
  // IPBlock nodes are left to the ingest core as stubs (id = CIDR): a node owned by one cluster's
  // sync would be DETACH DELETEd by that sync's cleanup with every other cluster's edges on it.
  const ipRef = (cidr: string) => ({ label: 'IPBlock', id: cidr });
  const emit = (from: { label: string; id: string }, to: { label: string; id: string }, set: PortSet, basis: string, except: readonly string[] = []) => {
    let n = 0;
    for (const e of toEntries(set)) {
      const suffix = except.length > 0 ? ` except ${except.join(',')}` : '';
      const props: Record<string, string | number | string[]> = { protocol: e.protocol, port: e.port, endPort: e.endPort, basis };
      if (except.length > 0) props['except'] = [...except];
      rels.push(rel('MAY_CONNECT', from, to, { key: `${e.protocol}/${e.port}-${e.endPort}${suffix}`, props }));
      n++;
    }
    return n;
  };

  const C = model.classes.length;
  // Per class: what its egress allows towards every pod (Q), what its ingress allows from every pod (P).
  const Q: PortSet[] = [];
  const P: PortSet[] = [];
  for (let c = 0; c < C; c++) {
    const cls = model.classes[c]!;
    Q.push(cls.egressPolicies.length === 0 ? ANY : unionOf(cls.egressPolicies.flatMap((p) => p.egress!).filter((r) => r.anyPod), () => []));
    P.push(cls.ingressPolicies.length === 0 ? ANY : unionOf(cls.ingressPolicies.flatMap((p) => p.ingress!).filter((r) => r.anyPod), () => cls.ports));
  }

  // The storage nodes of each class, with how many pods each stands for.
  const groupsOfClass: Array<Map<string, { ref: NodeRef; size: number }>> = model.classes.map(() => new Map());
  model.pods.forEach((p, i) => {
    const ref = opts.groups?.[i] ?? podRef(i);
    const m = groupsOfClass[p.cls]!;
    const k = `${ref.label}\u0000${ref.id}`;
    const g = m.get(k);
    if (g) g.size++;
    else m.set(k, { ref, size: 1 });
  });
  const seenGroup = new Map<string, number>();
  groupsOfClass.forEach((m, c) =>
    m.forEach((g, k) => {
      if (seenGroup.has(k) && seenGroup.get(k) !== c) throw new Error(`netpolBatch: group ${g.ref.id} spans two evaluator classes`);
      seenGroup.set(k, c);
    }),
  );

  for (let c = 0; c < C; c++) {
    const cls = model.classes[c]!;
    for (const { ref } of groupsOfClass[c]!.values()) {
      stats.hubEdges += emit(ref, hub, Q[c]!, Q[c]!.any && cls.egressPolicies.length === 0 ? 'open' : 'any-pod');
      stats.hubEdges += emit(hub, ref, P[c]!, P[c]!.any && cls.ingressPolicies.length === 0 ? 'open' : 'any-pod');
      stats.ipEdges += externalEdges(model, c, ref, ipRef, emit);
    }
  }

  // Direct edges: allowed beyond the hub path, per class pair, between storage nodes (distinct pods only).
  for (let s = 0; s < C; s++) {
    const row = model.allowedRow(s);
    for (let d = 0; d < C; d++) {
      const allowed = row[d]!;
      if (isEmpty(allowed)) continue;
      const viaHub = intersect(Q[s]!, P[d]!);
      // ANY minus a finite set is not a port set: keep ANY (it overlaps the hub path; the union stays exact).
      const rest = allowed.any && !viaHub.any ? ANY : subtract(allowed, viaHub);
      if (isEmpty(rest)) continue;
      for (const [sk, sg] of groupsOfClass[s]!) {
        for (const [dk, dg] of groupsOfClass[d]!) {
          // A node pairs with itself only when it stands for two pods or more.
          if (sk === dk && sg.size < 2) continue;
          stats.directEdges += emit(sg.ref, dg.ref, rest, 'selector');
        }
      }
    }
  }
  return { nodes: [], rels, stats };
}

type Emit = (from: { label: string; id: string }, to: { label: string; id: string }, set: PortSet, basis: string, except?: readonly string[]) => number;

function externalEdges(model: NetpolModel, c: number, pod: { label: string; id: string }, ipRef: (cidr: string) => { label: string; id: string }, emit: Emit): number {
  const cls = model.classes[c]!;
  let n = 0;
  if (cls.egressPolicies.length === 0) {
    n += emit(pod, ipRef(ALL_IPV4), ANY, 'open') + emit(pod, ipRef(ALL_IPV6), ANY, 'open');
  } else {
    for (const r of cls.egressPolicies.flatMap((p) => p.egress!)) n += ruleIpEdges(r, [], (ip, set, basis, except) => emit(pod, ipRef(ip), set, basis, except));
  }
  if (cls.ingressPolicies.length === 0) {
    n += emit(ipRef(ALL_IPV4), pod, ANY, 'open') + emit(ipRef(ALL_IPV6), pod, ANY, 'open');
  } else {
    for (const r of cls.ingressPolicies.flatMap((p) => p.ingress!)) n += ruleIpEdges(r, cls.ports, (ip, set, basis, except) => emit(ipRef(ip), pod, set, basis, except));
  }
  return n;
}

function ruleIpEdges(r: CompiledRule, dstPorts: Parameters<typeof rulePorts>[1], out: (cidr: string, set: PortSet, basis: string, except: readonly string[]) => number): number {
  const set = rulePorts(r, dstPorts);
  if (isEmpty(set)) return 0;
  if (r.peers === null) return out(ALL_IPV4, set, 'ipBlock', []) + out(ALL_IPV6, set, 'ipBlock', []);
  let n = 0;
  for (const p of r.peers) if (p.kind === 'ip') n += out(p.block.cidr, set, 'ipBlock', p.block.except);
  return n;
}

function unionOf(rules: readonly CompiledRule[], portsOf: () => Parameters<typeof rulePorts>[1]): PortSet {
  let out = EMPTY;
  for (const r of rules) out = union(out, rulePorts(r, portsOf()));
  return out;
}
