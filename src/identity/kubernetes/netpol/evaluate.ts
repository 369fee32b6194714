/**
 * The NetworkPolicy evaluator: pure, data in, verdict out (docs/kubernetes-netpol.md).
 *
 * Semantics (Kubernetes docs, networking.k8s.io/v1 defaulting and validation):
 * - a pod is isolated for a direction when some policy whose `policyTypes` has that direction
 *   selects it; an isolated pod allows what the union of those policies' rules allow, others allow all;
 * - `policyTypes` omitted: Ingress, plus Egress when `egress` is non-empty (the API's defaulting);
 * - a connection needs the source's egress and the destination's ingress;
 * - peers: `podSelector` alone = pods of the policy's namespace; `namespaceSelector` alone = every
 *   pod of the matching namespaces; both in one peer = AND; peers of a rule are ORed; `from`/`to`
 *   absent or empty = every peer, external ones included; `{}` matches all, absent is "no constraint
 *   from this field" (it only changes meaning at the peer level, see above);
 * - ports: absent or empty = all ports and protocols; protocol defaults to TCP; a port entry without
 *   `port` = every port of its protocol; `endPort` is inclusive and numeric only; a named port
 *   resolves against the destination pod's container ports by name and protocol;
 * - ipBlock (cidr minus except) matches external IPs; whether it also matches pod IPs is
 *   implementation-defined, see `NetpolOptions.ipBlockMatchesPods`.
 *
 * Pods that share namespace, labels, container ports (and, when ipBlocks match pods, the set of
 * policy ipBlocks their IPs fall in) get the same verdicts, so the evaluator works on such classes.
 */
import type { V1Namespace, V1NetworkPolicy, V1NetworkPolicyPeer, V1NetworkPolicyPort, V1Pod, V1LabelSelector } from '@kubernetes/client-node';
import { InputError } from '../../../errors.js';
import { compileIpBlock, type IpBlock } from './cidr.js';
import { ANY, EMPTY, MAX_PORT, MIN_PORT, contains, isProtocol, single, union, intersect, type PortSet, type Protocol } from './ports.js';
import { compileSelector, MATCH_ALL, type Labels, type Selector } from './selector.js';

/** The label every namespace carries (immutable, set by the API server). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface NetpolInput {
  readonly namespaces: readonly V1Namespace[];
  readonly pods: readonly V1Pod[];
  readonly networkPolicies: readonly V1NetworkPolicy[];
}

export interface NetpolOptions {
  /**
   * Whether an `ipBlock` peer also matches pods by their `status.podIP(s)`. Default true: the
   * upstream e2e suite (test/e2e/network/netpol: "should allow egress access to server in CIDR
   * block", "should enforce except clause …") and cyclonus expect it, and it only ever adds
   * reachability, so it is the conservative reading for a security tool. The Kubernetes docs call
   * ipBlocks meant for cluster-external IPs; np-guard's netpol-analyzer never matches pods with
   * them (and Cilium's CIDR rules skip pod IPs): set false for that reading.
   */
  readonly ipBlockMatchesPods?: boolean;
  /** Names where an object came from (file and document), for error messages. */
  readonly describe?: (obj: object) => string | undefined;
}

export interface ContainerPortInfo {
  readonly port: number;
  readonly protocol: Protocol;
  readonly name?: string;
}

/** A pod as the evaluator sees it. */
export interface PodEndpoint {
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly ips: readonly string[];
  /** Declared container ports, sorted by (port, protocol), duplicates removed. */
  readonly ports: readonly ContainerPortInfo[];
  /** Index into `NetpolModel.classes`. */
  readonly cls: number;
}

interface PortSpec {
  readonly protocol: Protocol;
  /** Absent with `name` absent: every port of the protocol. */
  readonly from?: number;
  readonly to?: number;
  readonly name?: string;
}

type Peer =
  | { readonly kind: 'pods'; readonly ns: Selector | null; readonly pod: Selector; readonly policyNs: string }
  | { readonly kind: 'ip'; readonly block: IpBlock };

/** One ingress or egress rule, compiled. */
export interface CompiledRule {
  /** null: every peer, in the cluster and outside. */
  readonly peers: readonly Peer[] | null;
  /** null: every port of every protocol. */
  readonly ports: readonly PortSpec[] | null;
  /** The rule matches every pod of the cluster (peers absent, or `namespaceSelector: {}` with no or an empty podSelector). */
  readonly anyPod: boolean;
  /** Index of the rule in its policy's ingress/egress list. */
  readonly index: number;
  /** Per endpoint class: does some peer of this rule match it? */
  matchByClass: Uint8Array;
}

export interface CompiledPolicy {
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly select: Selector;
  /** null when the policy does not affect the direction. */
  readonly ingress: readonly CompiledRule[] | null;
  readonly egress: readonly CompiledRule[] | null;
}

export interface EndpointClass {
  readonly namespace: string;
  readonly nsLabels: Labels;
  readonly labels: Labels;
  readonly ports: readonly ContainerPortInfo[];
  /**
   * IPs of the class's first pod, only when ipBlocks match pods: every member's IPs fall in the
   * same policy ipBlocks (that is part of the class key), so any member answers for all.
   */
  readonly ips: readonly string[];
  /** Per policy ipBlock (in order of first use), '1' when the class's IPs fall in it; '' when ipBlocks do not match pods. */
  readonly inBlocks: string;
  readonly members: number[];
  readonly ingressPolicies: CompiledPolicy[];
  readonly egressPolicies: CompiledPolicy[];
}

/** One allowed (source pod, destination pod, declared destination port) triple: the CLI's output row. */
export interface AllowedConnection {
  readonly src: string;
  readonly dst: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** The compiled estate: pods sorted by key, their classes, the policies. */
export class NetpolModel {
  private readonly pairCache = new Map<number, PortSet>();
  private readonly ingressLists: Array<Array<{ match: Uint8Array; ports: PortSet }> | undefined> = [];
  private readonly egressLists: Array<Array<{ match: Uint8Array; rule: CompiledRule; fixed: PortSet | undefined }> | undefined> = [];

  constructor(
    readonly pods: readonly PodEndpoint[],
    readonly classes: readonly EndpointClass[],
    readonly policies: readonly CompiledPolicy[],
    readonly options: NetpolOptions,
  ) {}

  /** Is the class isolated for ingress / egress (selected by some policy of that direction)? */
  ingressIsolated(cls: number): boolean {
    return this.classes[cls]!.ingressPolicies.length > 0;
  }
  egressIsolated(cls: number): boolean {
    return this.classes[cls]!.egressPolicies.length > 0;
  }

  /** Ports a pod of class `src` may use towards a (different) pod of class `dst`: egress ∩ ingress (cached). */
  allowedBetweenClasses(src: number, dst: number): PortSet {
    const k = src * this.classes.length + dst;
    let v = this.pairCache.get(k);
    if (v === undefined) {
      v = this.computeBetweenClasses(src, dst);
      // Bounded: whole-estate walks use allowedRow instead, so this stays a small random-access cache.
      if (this.pairCache.size > 1_000_000) this.pairCache.clear();
      this.pairCache.set(k, v);
    }
    return v;
  }

  /** The same, uncached. */
  computeBetweenClasses(src: number, dst: number): PortSet {
    return intersect(this.egressPorts(src, dst), this.ingressPorts(src, dst));
  }

  /** Ports from class `src` towards every class, indexed by destination class (uncached; for whole-estate walks). */
  allowedRow(src: number): PortSet[] {
    const row: PortSet[] = new Array<PortSet>(this.classes.length);
    for (let d = 0; d < this.classes.length; d++) row[d] = this.computeBetweenClasses(src, d);
    return row;
  }

  /** Ports pod `src` may use towards pod `dst` (indexes into `pods`). A pod never blocks itself. */
  allowed(src: number, dst: number): PortSet {
    if (src === dst) return ANY;
    return this.allowedBetweenClasses(this.pods[src]!.cls, this.pods[dst]!.cls);
  }

  /** What the destination's ingress side allows from a source class. */
  ingressPorts(src: number, dst: number): PortSet {
    const d = this.classes[dst]!;
    if (d.ingressPolicies.length === 0) return ANY;
    let list = this.ingressLists[dst];
    if (!list) {
      // Ingress rule ports resolve against this class's own ports: once per class.
      list = d.ingressPolicies.flatMap((p) => p.ingress!.map((r) => ({ match: r.matchByClass, ports: rulePorts(r, d.ports) })));
      this.ingressLists[dst] = list;
    }
    let out = EMPTY;
    for (const e of list) {
      if (e.match[src] !== 1) continue;
      out = union(out, e.ports);
      if (out.any) return out;
    }
    return out;
  }

  /** What the source's egress side allows towards a destination class. */
  egressPorts(src: number, dst: number): PortSet {
    const s = this.classes[src]!;
    if (s.egressPolicies.length === 0) return ANY;
    let list = this.egressLists[src];
    if (!list) {
      // Egress rule ports depend on the destination only through named ports.
      list = s.egressPolicies.flatMap((p) => p.egress!.map((r) => ({ match: r.matchByClass, rule: r, fixed: r.ports?.some((x) => x.name !== undefined) ? undefined : rulePorts(r, []) })));
      this.egressLists[src] = list;
    }
    const dPorts = this.classes[dst]!.ports;
    let out = EMPTY;
    for (const e of list) {
      if (e.match[dst] !== 1) continue;
      out = union(out, e.fixed ?? rulePorts(e.rule, dPorts));
      if (out.any) return out;
    }
    return out;
  }

  /** Ports a pod of class `src` may use towards the external address `ip` (egress only: the outside has no policy). */
  egressToIp(src: number, ip: string): PortSet {
    const s = this.classes[src]!;
    if (s.egressPolicies.length === 0) return ANY;
    let out = EMPTY;
    for (const p of s.egressPolicies) for (const r of p.egress!) if (ruleMatchesIp(r, ip)) out = union(out, rulePorts(r, []));
    return out;
  }

  /** Ports the external address `ip` may use towards a pod of class `dst` (ingress only). */
  ingressFromIp(ip: string, dst: number): PortSet {
    const d = this.classes[dst]!;
    if (d.ingressPolicies.length === 0) return ANY;
    let out = EMPTY;
    for (const p of d.ingressPolicies) for (const r of p.ingress!) if (ruleMatchesIp(r, ip)) out = union(out, rulePorts(r, d.ports));
    return out;
  }
}

/** The ports a rule allows towards a destination that declares `dstPorts` (named ports resolve against them). */
export function rulePorts(r: CompiledRule, dstPorts: readonly ContainerPortInfo[]): PortSet {
  if (r.ports === null) return ANY;
  let out = EMPTY;
  for (const s of r.ports) {
    if (s.name !== undefined) {
      for (const cp of dstPorts) if (cp.name === s.name && cp.protocol === s.protocol) out = union(out, single(s.protocol, cp.port));
    } else if (s.from === undefined) {
      out = union(out, single(s.protocol, MIN_PORT, MAX_PORT));
    } else {
      out = union(out, single(s.protocol, s.from, s.to ?? s.from));
    }
  }
  return out;
}

/** The ports of a rule that do not depend on the destination (named ports dropped). */
export function ruleNumericPorts(r: CompiledRule): PortSet {
  return rulePorts(r, []);
}

function ruleMatchesIp(r: CompiledRule, ip: string): boolean {
  return r.peers === null || r.peers.some((p) => p.kind === 'ip' && p.block.matches(ip));
}

/** Compile the estate. Throws InputError naming the object and field for anything the API server would reject. */
export function buildNetpolModel(input: NetpolInput, options: NetpolOptions = {}): NetpolModel {
  const where = (kind: string, obj: { metadata?: { namespace?: string; name?: string } }): string => {
    const src = options.describe?.(obj);
    return `${kind} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? '?'}${src ? ` (${src})` : ''}`;
  };

  // Namespaces: declared labels plus the immutable name label; pods may live in undeclared ones.
  const nsLabels = new Map<string, Labels>();
  for (const ns of input.namespaces) {
    const name = ns.metadata?.name;
    if (!name) continue;
    nsLabels.set(name, { ...(ns.metadata?.labels ?? {}), [NAMESPACE_NAME_LABEL]: name });
  }
  const labelsOfNs = (name: string): Labels => {
    let l = nsLabels.get(name);
    if (!l) {
      l = { [NAMESPACE_NAME_LABEL]: name };
      nsLabels.set(name, l);
    }
    return l;
  };

  // Pods, sorted by key; duplicates are an input error.
  const seen = new Map<string, V1Pod>();
  for (const pod of input.pods) {
    const ns = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name;
    if (!name) throw new InputError(`${where('Pod', pod)}: metadata.name is required`);
    const key = `${ns}/${name}`;
    if (seen.has(key)) throw new InputError(`${where('Pod', pod)}: duplicate pod ${key} (also ${where('Pod', seen.get(key)!)})`);
    seen.set(key, pod);
  }
  const keys = [...seen.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  const ipMode = options.ipBlockMatchesPods !== false;
  // Policies first: with ipBlocks matching pods, what separates two pods is which blocks their IPs
  // fall in, not the IPs themselves, so classes stay large.
  const policyKeys = new Map<string, V1NetworkPolicy>();
  const policies = input.networkPolicies.map((np) => {
    const at = where('NetworkPolicy', np);
    const compiled = compilePolicy(np, at);
    const prev = policyKeys.get(compiled.key);
    if (prev) throw new InputError(`${at}: duplicate NetworkPolicy ${compiled.key} (also ${where('NetworkPolicy', prev)})`);
    policyKeys.set(compiled.key, np);
    return compiled;
  });
  const blockIndex = new Map<string, number>();
  const blocks: IpBlock[] = [];
  if (ipMode) {
    for (const r of policies.flatMap((p) => [...(p.ingress ?? []), ...(p.egress ?? [])])) {
      for (const x of r.peers ?? []) {
        if (x.kind !== 'ip' || blockIndex.has(blockKey(x.block))) continue;
        blockIndex.set(blockKey(x.block), blocks.length);
        blocks.push(x.block);
      }
    }
  }
  const classIndex = new Map<string, number>();
  const classes: EndpointClass[] = [];
  const pods: PodEndpoint[] = keys.map((key, i) => {
    const pod = seen.get(key)!;
    const namespace = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata!.name!;
    const labels: Labels = { ...(pod.metadata?.labels ?? {}) };
    const ips = podIps(pod);
    const ports = podPorts(pod, where('Pod', pod));
    const inBlocks = blocks.map((b) => (ips.some((ip) => b.matches(ip)) ? '1' : '0')).join('');
    const ck = JSON.stringify([namespace, Object.entries(labels).sort(), ports.map((p) => [p.port, p.protocol, p.name ?? '']), inBlocks]);
    let cls = classIndex.get(ck);
    if (cls === undefined) {
      cls = classes.length;
      classIndex.set(ck, cls);
      classes.push({ namespace, nsLabels: labelsOfNs(namespace), labels, ports, ips: ipMode ? ips : [], inBlocks, members: [], ingressPolicies: [], egressPolicies: [] });
    }
    classes[cls]!.members.push(i);
    return { key, namespace, name, labels, ips, ports, cls };
  });

  // Attach policies to the classes they select and precompute rule × class matches.
  for (const p of policies) {
    for (const c of classes) {
      if (c.namespace !== p.namespace || !p.select.matches(c.labels)) continue;
      if (p.ingress) c.ingressPolicies.push(p);
      if (p.egress) c.egressPolicies.push(p);
    }
    for (const r of [...(p.ingress ?? []), ...(p.egress ?? [])]) {
      const m = new Uint8Array(classes.length);
      classes.forEach((c, i) => {
        m[i] = ruleMatchesClass(r, c, blockIndex) ? 1 : 0;
      });
      r.matchByClass = m;
    }
  }
  return new NetpolModel(pods, classes, policies, options);
}

/** Every allowed (src, dst, declared dst port) over ordered pairs of distinct pods, sorted by (src, dst, port, protocol). */
export function allowedConnections(model: NetpolModel): AllowedConnection[] {
  const out: AllowedConnection[] = [];
  forEachAllowedConnection(model, (c) => out.push(c));
  return out;
}

/**
 * The same rows, one callback each, in the same order, without holding them (10,000 pods make ~10⁸
 * rows). `fromSrc`/`toSrc` limit the walk to sources with those indexes (end exclusive), so a caller
 * can write block by block.
 */
export function forEachAllowedConnection(model: NetpolModel, fn: (c: AllowedConnection) => void, fromSrc = 0, toSrc = model.pods.length): void {
  const { pods } = model;
  // Pods of one workload are usually adjacent in key order: keep the recent source classes' rows.
  const rows = new Map<number, PortSet[]>();
  for (let s = fromSrc; s < Math.min(toSrc, pods.length); s++) {
    const sp = pods[s]!;
    let row = rows.get(sp.cls);
    if (!row) {
      if (rows.size >= 64) rows.clear();
      row = model.allowedRow(sp.cls);
      rows.set(sp.cls, row);
    }
    for (let d = 0; d < pods.length; d++) {
      if (s === d) continue;
      const dp = pods[d]!;
      if (dp.ports.length === 0) continue;
      const set = row[dp.cls]!;
      let last: ContainerPortInfo | undefined;
      for (const cp of dp.ports) {
        // Two containers (or names) may declare the same port: one row.
        if (last && last.port === cp.port && last.protocol === cp.protocol) continue;
        last = cp;
        if (contains(set, cp.protocol, cp.port)) fn({ src: sp.key, dst: dp.key, port: cp.port, protocol: cp.protocol });
      }
    }
  }
}

function blockKey(b: IpBlock): string {
  return `${b.cidr} ${b.except.join(',')}`;
}

/** `blockIndex` is empty unless ipBlocks match pods; then `c.inBlocks` says which blocks the class's IPs fall in. */
function ruleMatchesClass(r: CompiledRule, c: EndpointClass, blockIndex: ReadonlyMap<string, number>): boolean {
  if (r.peers === null) return true;
  for (const p of r.peers) {
    if (p.kind === 'pods') {
      const nsOk = p.ns === null ? c.namespace === p.policyNs : p.ns.matches(c.nsLabels);
      if (nsOk && p.pod.matches(c.labels)) return true;
    } else if (blockIndex.size > 0 && c.inBlocks[blockIndex.get(blockKey(p.block))!] === '1') {
      return true;
    }
  }
  return false;
}

function compilePolicy(np: V1NetworkPolicy, at: string): CompiledPolicy {
  const namespace = np.metadata?.namespace ?? 'default';
  const name = np.metadata?.name;
  if (!name) throw new InputError(`${at}: metadata.name is required`);
  const spec = np.spec;
  if (!spec) throw new InputError(`${at}: spec is required`);
  const select = spec.podSelector ? compileSelector(spec.podSelector, `${at}: spec.podSelector`) : MATCH_ALL;
  let types = spec.policyTypes;
  if (types == null || types.length === 0) types = (spec.egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  for (const [i, t] of types.entries()) if (t !== 'Ingress' && t !== 'Egress') throw new InputError(`${at}: spec.policyTypes[${i}]: "${String(t).slice(0, 40)}" is not Ingress or Egress`);
  // The client's typed objects call `from` `_from`; plain wire-format objects say `from`: accept both.
  const ingress = types.includes('Ingress') ? (spec.ingress ?? []).map((r, i) => compileRule(r._from ?? (r as { from?: V1NetworkPolicyPeer[] }).from, r.ports, namespace, i, `${at}: spec.ingress[${i}]`, 'from')) : null;
  const egress = types.includes('Egress') ? (spec.egress ?? []).map((r, i) => compileRule(r.to, r.ports, namespace, i, `${at}: spec.egress[${i}]`, 'to')) : null;
  return { key: `${namespace}/${name}`, namespace, select, ingress, egress };
}

function compileRule(
  peers: V1NetworkPolicyPeer[] | undefined,
  ports: V1NetworkPolicyPort[] | undefined,
  policyNs: string,
  index: number,
  at: string,
  field: 'from' | 'to',
): CompiledRule {
  const cPeers = peers === undefined || peers === null || peers.length === 0 ? null : peers.map((p, i) => compilePeer(p, policyNs, `${at}.${field}[${i}]`));
  const cPorts = ports === undefined || ports === null || ports.length === 0 ? null : ports.map((p, i) => compilePort(p, `${at}.ports[${i}]`));
  const anyPod = cPeers === null || cPeers.some((p) => p.kind === 'pods' && p.ns !== null && p.ns.matchesAll && p.pod.matchesAll);
  return { peers: cPeers, ports: cPorts, anyPod, index, matchByClass: new Uint8Array(0) };
}

function compilePeer(p: V1NetworkPolicyPeer, policyNs: string, at: string): Peer {
  const hasSel = p.podSelector != null || p.namespaceSelector != null;
  if (p.ipBlock != null) {
    if (hasSel) throw new InputError(`${at}: ipBlock may not be combined with podSelector or namespaceSelector`);
    return { kind: 'ip', block: compileIpBlock(p.ipBlock.cidr, p.ipBlock.except, `${at}.ipBlock`) };
  }
  if (!hasSel) throw new InputError(`${at}: a peer needs podSelector, namespaceSelector or ipBlock`);
  return {
    kind: 'pods',
    ns: p.namespaceSelector == null ? null : compileSelector(p.namespaceSelector as V1LabelSelector, `${at}.namespaceSelector`),
    pod: p.podSelector == null ? MATCH_ALL : compileSelector(p.podSelector, `${at}.podSelector`),
    policyNs,
  };
}

function compilePort(p: V1NetworkPolicyPort, at: string): PortSpec {
  const protocol = p.protocol ?? 'TCP';
  if (!isProtocol(protocol)) throw new InputError(`${at}.protocol: "${String(protocol).slice(0, 20)}" is not TCP, UDP or SCTP`);
  const port = p.port as unknown;
  if (port === undefined || port === null) {
    if (p.endPort != null) throw new InputError(`${at}.endPort: needs a numeric port`);
    return { protocol };
  }
  if (typeof port === 'string' && !/^\d+$/.test(port)) {
    if (p.endPort != null) throw new InputError(`${at}.endPort: may not be used with the named port "${port.slice(0, 15)}"`);
    if (port.length > 15) throw new InputError(`${at}.port: named port "${port.slice(0, 20)}…" is longer than 15 characters`);
    return { protocol, name: port };
  }
  const n = Number(port);
  if (!Number.isInteger(n) || n < MIN_PORT || n > MAX_PORT) throw new InputError(`${at}.port: ${String(port).slice(0, 20)} is not a port number (1-65535)`);
  if (p.endPort == null) return { protocol, from: n, to: n };
  const e = Number(p.endPort);
  if (!Number.isInteger(e) || e < n || e > MAX_PORT) throw new InputError(`${at}.endPort: ${String(p.endPort).slice(0, 20)} must be a port number ≥ port ${n}`);
  return { protocol, from: n, to: e };
}

function podIps(pod: V1Pod): string[] {
  const out = new Set<string>();
  if (pod.status?.podIP) out.add(pod.status.podIP);
  for (const ip of pod.status?.podIPs ?? []) if (ip.ip) out.add(ip.ip);
  return [...out];
}

/** Declared ports of the pod's containers and restartable (sidecar) init containers. */
function podPorts(pod: V1Pod, at: string): ContainerPortInfo[] {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  const byKey = new Map<string, ContainerPortInfo>();
  for (const c of containers) {
    for (const [i, cp] of (c.ports ?? []).entries()) {
      const protocol = cp.protocol ?? 'TCP';
      if (!isProtocol(protocol)) throw new InputError(`${at}: container ${c.name} ports[${i}].protocol: "${String(protocol).slice(0, 20)}" is not TCP, UDP or SCTP`);
      const port = Number(cp.containerPort);
      if (!Number.isInteger(port) || port < MIN_PORT || port > MAX_PORT) throw new InputError(`${at}: container ${c.name} ports[${i}].containerPort: not a port number`);
      const k = `${port}/${protocol}/${cp.name ?? ''}`;
      if (!byKey.has(k)) byKey.set(k, cp.name ? { port, protocol, name: cp.name } : { port, protocol });
    }
  }
  const order: Record<Protocol, number> = { SCTP: 0, TCP: 1, UDP: 2 }; // string order, as the output is sorted
  return [...byKey.values()].sort((a, b) => a.port - b.port || order[a.protocol] - order[b.protocol] || (a.name ?? '').localeCompare(b.name ?? ''));
}
