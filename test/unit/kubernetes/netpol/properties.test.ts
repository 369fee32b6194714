import fc from 'fast-check';
import { ANY, EMPTY, contains, equals, intersect, union, type PortSet, type Protocol } from '../../../../src/identity/kubernetes/netpol/ports.js';
import { compileIpBlock } from '../../../../src/identity/kubernetes/netpol/cidr.js';
import { netpolBatch } from '../../../../src/identity/kubernetes/netpol/graph.js';
import type { NetpolModel } from '../../../../src/identity/kubernetes/netpol/evaluate.js';
import { allowedStrings, modelOf, nsObject, podObject, policyObject, type WirePod } from './estate.js';

// Small random estates: 2-3 namespaces, up to 6 pods, labels and ports from tiny alphabets so
// selectors hit often; policies from every peer, port and policyTypes shape.
const NS = ['x', 'y', 'z'];
const labelKey = fc.constantFrom('app', 'tier');
const labelVal = fc.constantFrom('a', 'b');
const labels = fc.dictionary(labelKey, labelVal, { maxKeys: 2 });
const portDecl = fc.record({ port: fc.constantFrom(80, 81, 443, 53), protocol: fc.constantFrom('TCP', 'UDP'), name: fc.constantFrom('http', 'dns', undefined) });
const pods = fc
  .uniqueArray(fc.record({ ns: fc.constantFrom(...NS), name: fc.constantFrom('p0', 'p1', 'p2', 'p3'), labels, ports: fc.array(portDecl, { maxLength: 2 }), octet: fc.integer({ min: 1, max: 250 }) }), {
    minLength: 1,
    maxLength: 6,
    selector: (p) => `${p.ns}/${p.name}`,
  })
  .map((ps) =>
    ps.map(
      (p): WirePod => ({
        ns: p.ns,
        name: p.name,
        labels: p.labels,
        // Distinct ports per pod (name + protocol collisions would be invalid pods).
        ports: p.ports.filter((x, i, a) => a.findIndex((y) => y.port === x.port && y.protocol === x.protocol) === i && (x.name === undefined || a.findIndex((y) => y.name === x.name) === i)),
        ip: `10.${NS.indexOf(p.ns)}.0.${p.octet}`,
      }),
    ),
  );
const selector = fc.oneof(
  fc.constant({}),
  labels.map((l) => ({ matchLabels: l })),
  fc.record({ key: labelKey, operator: fc.constantFrom('In', 'NotIn'), values: fc.array(labelVal, { minLength: 1, maxLength: 2 }) }).map((e) => ({ matchExpressions: [e] })),
  fc.record({ key: labelKey, operator: fc.constantFrom('Exists', 'DoesNotExist') }).map((e) => ({ matchExpressions: [e] })),
);
const nsSelector = fc.oneof(fc.constant({}), fc.constantFrom(...NS).map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n } })));
const peer = fc.oneof(
  selector.map((s) => ({ podSelector: s })),
  nsSelector.map((s) => ({ namespaceSelector: s })),
  fc.record({ podSelector: selector, namespaceSelector: nsSelector }),
  fc.record({ cidr: fc.constantFrom('10.0.0.0/16', '10.0.0.0/8', '0.0.0.0/0'), except: fc.constantFrom([], ['10.1.0.0/16']) }).map((b) => ({ ipBlock: b })),
);
const port = fc.oneof(
  fc.record({ port: fc.constantFrom(80, 443, 53), protocol: fc.constantFrom('TCP', 'UDP') }),
  fc.record({ port: fc.constantFrom(80, 53), endPort: fc.constantFrom(81, 443) }),
  fc.record({ port: fc.constantFrom('http', 'dns'), protocol: fc.constantFrom('TCP', 'UDP') }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP') }),
);
const rule = fc.record({ peers: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }), ports: fc.option(fc.array(port, { maxLength: 2 }), { nil: undefined }) });
const policySpec = fc
  .record({
    podSelector: selector,
    ingress: fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined }),
    egress: fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined }),
    policyTypes: fc.constantFrom(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  })
  .map((p) => ({
    podSelector: p.podSelector,
    ...(p.ingress ? { ingress: p.ingress.map((r) => ({ ...(r.peers ? { from: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })) } : {}),
    ...(p.egress ? { egress: p.egress.map((r) => ({ ...(r.peers ? { to: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })) } : {}),
    ...(p.policyTypes ? { policyTypes: p.policyTypes } : {}),
  }));
const policy = fc.record({ ns: fc.constantFrom(...NS), spec: policySpec });
const estate = fc.record({ pods, policies: fc.array(policy, { maxLength: 4 }), ipMode: fc.boolean() });

const objects = (e: { pods: WirePod[]; policies: Array<{ ns: string; spec: object }> }, extra: Array<{ ns: string; spec: object }> = []) => [
  ...NS.map((n) => nsObject(n, { team: n })),
  ...e.pods.map(podObject),
  ...[...e.policies, ...extra].map((p, i) => policyObject(p.ns, `p${i}`, p.spec)),
];
const RUNS = { numRuns: 300 };
/** Is x ⊆ y (on the probes that matter: the ports pods declare, and a few others)? */
function subset(x: PortSet, y: PortSet): boolean {
  return equals(intersect(x, y), x);
}

describe('NetworkPolicy evaluator: laws', () => {
  it('adding a policy never widens the ingress of a pod it selects that was open, and never narrows one that was isolated', () => {
    fc.assert(
      fc.property(estate, policy, (e, added) => {
        const before = modelOf(objects(e), { ipBlockMatchesPods: e.ipMode });
        const after = modelOf(objects(e, [added]), { ipBlockMatchesPods: e.ipMode });
        for (let d = 0; d < before.pods.length; d++) {
          for (let s = 0; s < before.pods.length; s++) {
            const b = before.ingressPorts(before.pods[s]!.cls, before.pods[d]!.cls);
            const a = after.ingressPorts(after.pods[s]!.cls, after.pods[d]!.cls);
            if (!before.ingressIsolated(before.pods[d]!.cls)) expect(subset(a, b)).toBe(true);
            else expect(subset(b, a)).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('removing all policies opens everything', () => {
    fc.assert(
      fc.property(estate, (e) => {
        const open = modelOf(objects({ ...e, policies: [] }));
        const all = e.pods.flatMap((s) =>
          e.pods.filter((d) => d !== s).flatMap((d) => [...new Set(d.ports!.map((p) => `${p.port}/${p.protocol}`))].map((p) => `${s.ns}/${s.name}->${d.ns}/${d.name}:${p}`)),
        );
        expect(new Set(allowedStrings(open))).toEqual(new Set(all));
        for (let s = 0; s < open.pods.length; s++) for (let d = 0; d < open.pods.length; d++) expect(open.allowed(s, d).any).toBe(true);
      }),
      RUNS,
    );
  });

  it('a policy selecting no pod changes nothing', () => {
    fc.assert(
      fc.property(estate, policySpec, fc.constantFrom(...NS), (e, spec, ns) => {
        const nothing = { ...spec, podSelector: { matchLabels: { 'no-pod-has-this': 'x' } } };
        expect(allowedStrings(modelOf(objects(e, [{ ns, spec: nothing }]), { ipBlockMatchesPods: e.ipMode }))).toEqual(
          allowedStrings(modelOf(objects(e), { ipBlockMatchesPods: e.ipMode })),
        );
      }),
      RUNS,
    );
  });

  it('allowed is exactly egress ∩ ingress, and policy order does not matter', () => {
    fc.assert(
      fc.property(estate, (e) => {
        const m = modelOf(objects(e), { ipBlockMatchesPods: e.ipMode });
        const r = modelOf(objects({ ...e, policies: [...e.policies].reverse() }), { ipBlockMatchesPods: e.ipMode });
        expect(allowedStrings(r)).toEqual(allowedStrings(m));
        for (const sp of m.pods) for (const dp of m.pods) {
          if (sp === dp) continue;
          expect(equals(m.allowedBetweenClasses(sp.cls, dp.cls), intersect(m.egressPorts(sp.cls, dp.cls), m.ingressPorts(sp.cls, dp.cls)))).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('the graph batch (hub edges ∩, plus direct edges, on pods or workloads) expands to exactly the evaluator’s verdicts', () => {
    fc.assert(
      fc.property(estate, fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), (e, groupClass) => {
        const m = modelOf(objects(e), { ipBlockMatchesPods: e.ipMode });
        // Some classes stored as one workload node for all their pods, the others per pod.
        const groups = m.pods.map((p) => (groupClass[p.cls % 8] ? { label: 'K8sWorkload', id: `c1/${p.namespace}/Deployment/w${p.cls}` } : { label: 'K8sPod', id: `c1/${p.key}` }));
        const expanded = expand(m, 'c1', groups);
        // External edges: each pod's stored IPBlock edges answer like the evaluator for sample addresses.
        const ext = externalOf(m, 'c1', groups);
        for (const p of m.pods) {
          for (const ip of ['10.0.0.7', '10.1.0.7', '8.8.8.8', '2001:db8::1']) {
            const probe = (x: PortSet) => [x.any, ...(['TCP', 'UDP'] as Protocol[]).flatMap((proto) => [1, 53, 80, 81, 443].map((n) => contains(x, proto, n)))];
            expect({ p: p.key, ip, egress: probe(ext(p.key, ip, 'egress')) }).toEqual({ p: p.key, ip, egress: probe(m.egressToIp(p.cls, ip)) });
            expect({ p: p.key, ip, ingress: probe(ext(p.key, ip, 'ingress')) }).toEqual({ p: p.key, ip, ingress: probe(m.ingressFromIp(ip, p.cls)) });
          }
        }
        for (let s = 0; s < m.pods.length; s++) {
          for (let d = 0; d < m.pods.length; d++) {
            if (s === d) continue;
            const got = expanded.get(`c1/${m.pods[s]!.key}|c1/${m.pods[d]!.key}`) ?? EMPTY;
            const want = m.allowed(s, d);
            const probe = (x: PortSet) => [x.any, ...(['TCP', 'UDP', 'SCTP'] as Protocol[]).flatMap((proto) => [1, 52, 53, 80, 81, 82, 443, 65535].map((p) => contains(x, proto, p)))];
            if (JSON.stringify(probe(got)) !== JSON.stringify(probe(want))) expect({ s: m.pods[s]!.key, d: m.pods[d]!.key, got: probe(got) }).toEqual({ s: m.pods[s]!.key, d: m.pods[d]!.key, got: probe(want) });
          }
        }
      }),
      RUNS,
    );
  });
});

/** What netpol-external answers, over the batch in memory: union of the IPBlock edges whose cidr minus except holds the address. */
function externalOf(m: NetpolModel, cluster: string, groups: Array<{ label: string; id: string }>) {
  const batch = netpolBatch(m, { cluster, groups });
  const groupOf = new Map(m.pods.map((p, i) => [p.key, groups[i]!.id]));
  return (podKey: string, ip: string, dir: 'egress' | 'ingress'): PortSet => {
    let out: PortSet = EMPTY;
    for (const r of batch.rels) {
      const [g, b] = dir === 'egress' ? [r.from, r.to] : [r.to, r.from];
      if (b.label !== 'IPBlock' || g.id !== groupOf.get(podKey)) continue;
      const props = r.props as { protocol: string; port: number; endPort: number; except?: string[] };
      if (!compileIpBlock(b.id, props.except ?? [], 'test').matches(ip)) continue;
      out = union(out, props.protocol === 'ANY' ? ANY : { ...EMPTY, [props.protocol]: [[props.port, props.endPort]] });
    }
    return out;
  };
}

/** What the expansion query computes, over the batch in memory: hub-path intersections ∪ direct edges. */
function expand(m: NetpolModel, cluster: string, groups: Array<{ label: string; id: string }>): Map<string, PortSet> {
  const batch = netpolBatch(m, { cluster, groups });
  // OWNED_BY*0..3: the pods a storage node stands for.
  const podsOf = new Map<string, string[]>();
  m.pods.forEach((p, i) => podsOf.set(groups[i]!.id, [...(podsOf.get(groups[i]!.id) ?? []), `${cluster}/${p.key}`]));
  const toSet = (r: { props?: Record<string, unknown> }): PortSet => {
    const p = r.props as { protocol: string; port: number; endPort: number };
    return p.protocol === 'ANY' ? ANY : { ...EMPTY, [p.protocol]: [[p.port, p.endPort]] };
  };
  const out = new Map<string, PortSet>();
  const add = (k: string, s: PortSet) => out.set(k, union(out.get(k) ?? EMPTY, s));
  const egressHub = new Map<string, PortSet>();
  const ingressHub = new Map<string, PortSet>();
  const pairs = (sg: string, dg: string, set: PortSet) => {
    for (const s of podsOf.get(sg) ?? []) for (const d of podsOf.get(dg) ?? []) if (s !== d) add(`${s}|${d}`, set);
  };
  for (const r of batch.rels) {
    if (r.to.label === 'K8sCluster') egressHub.set(r.from.id, union(egressHub.get(r.from.id) ?? EMPTY, toSet(r)));
    else if (r.from.label === 'K8sCluster') ingressHub.set(r.to.id, union(ingressHub.get(r.to.id) ?? EMPTY, toSet(r)));
    else if (r.from.label !== 'IPBlock' && r.to.label !== 'IPBlock') pairs(r.from.id, r.to.id, toSet(r));
  }
  for (const [s, q] of egressHub) for (const [d, p] of ingressHub) pairs(s, d, intersect(q, p));
  return out;
}
