// npm run bench:netpol: evaluates NetworkPolicy reachability over a generated estate (default 1,000
// pods in 20 namespaces, deployments of 5 replicas, ~120 policies of every shape) and prints pods,
// classes, pairs evaluated per second for the CLI's full pair × port listing, and how many graph
// edges the batch needs compared with one edge per allowed pod pair. Pure CPU: no Neo4j.
// BENCH_PODS=10000 BENCH_POLICIES=2000 for the large estate.
import { buildNetpolModel, forEachAllowedConnection } from '../src/identity/kubernetes/netpol/evaluate.js';
import { netpolBatch } from '../src/identity/kubernetes/netpol/graph.js';
import { groupOfPods, ownerChains } from '../src/identity/kubernetes/netpol/groups.js';
import type { V1Namespace, V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';

const PODS = Number(process.env.BENCH_PODS ?? 1000);
const REPLICAS = 5;
const NAMESPACES = Math.max(1, Math.round(PODS / 50));
const POLICIES = Number(process.env.BENCH_POLICIES ?? Math.round(PODS / 8));

// Deterministic pseudo-random numbers, so every run measures the same estate.
let seed = 42;
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};

const namespaces: V1Namespace[] = [];
const pods: V1Pod[] = [];
const replicaSets: Array<{ metadata: { name: string; namespace: string } }> = [];
for (let n = 0; n < NAMESPACES; n++) {
  const ns = `ns${n}`;
  namespaces.push({ metadata: { name: ns, labels: { team: `t${n % 5}`, env: n % 2 ? 'prod' : 'dev' } } });
}
for (let i = 0; pods.length < PODS; i++) {
  const ns = `ns${i % NAMESPACES}`;
  const app = `app${Math.floor(i / NAMESPACES)}`;
  replicaSets.push({ metadata: { name: `${app}-rs`, namespace: ns } });
  for (let r = 0; r < REPLICAS && pods.length < PODS; r++) {
    pods.push({
      metadata: { name: `${app}-rs-${r}`, namespace: ns, labels: { app, tier: ['web', 'api', 'db'][i % 3]! }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-rs`, uid: 'u', controller: true }] },
      spec: { containers: [{ name: 'c', ports: [{ containerPort: 8080 + (i % 3), name: 'http' }, { containerPort: 9090, name: 'metrics' }] }] },
      status: { podIP: `10.${Math.floor(pods.length / 250)}.${pods.length % 250}.1` },
    });
  }
}
const policies: V1NetworkPolicy[] = [];
for (let p = 0; p < POLICIES; p++) {
  const ns = `ns${p % NAMESPACES}`;
  const shape = p % 6;
  const app = `app${rnd(Math.ceil(PODS / REPLICAS / NAMESPACES))}`;
  const spec: V1NetworkPolicy['spec'] =
    shape === 0
      ? { podSelector: {}, policyTypes: ['Ingress'] } // default deny
      : shape === 1
        ? { podSelector: { matchLabels: { app } }, ingress: [{ _from: [{ podSelector: { matchLabels: { tier: 'web' } } }], ports: [{ port: 'http' }] }] }
        : shape === 2
          ? { podSelector: { matchLabels: { tier: 'db' } }, ingress: [{ _from: [{ namespaceSelector: { matchLabels: { team: `t${rnd(5)}` } }, podSelector: { matchLabels: { tier: 'api' } } }] }] }
          : shape === 3
            ? { podSelector: { matchLabels: { app } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { env: 'prod' } } }], ports: [{ port: 8080, endPort: 8082 }] }, { ports: [{ port: 53, protocol: 'UDP' }] }] }
            : shape === 4
              ? { podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, ingress: [{ _from: [{ namespaceSelector: {} }], ports: [{ port: 'metrics' }] }] }
              : { podSelector: { matchLabels: { app } }, ingress: [{ _from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] };
  policies.push({ metadata: { name: `np${p}`, namespace: ns }, spec });
}

const t0 = performance.now();
const model = buildNetpolModel({ namespaces, pods, networkPolicies: policies });
const t1 = performance.now();
let rows = 0;
forEachAllowedConnection(model, () => rows++);
const t2 = performance.now();
const groups = groupOfPods(model, ownerChains({ pods, replicaSets }, 'bench'), 'bench');
const batch = netpolBatch(model, { cluster: 'bench', groups });
const t3 = performance.now();
const pairs = model.pods.length * (model.pods.length - 1);
// Allowed pod pairs (any port), counted per class pair: members × members, minus a pod with itself.
let allowedPairs = 0;
for (let s = 0; s < model.classes.length; s++) {
  const row = model.allowedRow(s);
  for (let d = 0; d < model.classes.length; d++) {
    const set = row[d]!;
    if (!set.any && set.TCP.length === 0 && set.UDP.length === 0 && set.SCTP.length === 0) continue;
    const ns = model.classes[s]!.members.length;
    allowedPairs += ns * model.classes[d]!.members.length - (s === d ? ns : 0);
  }
}
const f = (n: number) => Math.round(n).toLocaleString('en-US');

console.log(`netpol bench: ${f(model.pods.length)} pods, ${f(namespaces.length)} namespaces, ${f(policies.length)} policies, ${f(model.classes.length)} evaluator classes`);
console.log(`  compile:            ${(t1 - t0).toFixed(0)} ms`);
console.log(`  all pairs × ports:  ${(t2 - t1).toFixed(0)} ms for ${f(pairs)} ordered pairs = ${f(pairs / ((t2 - t1) / 1000))} pairs/s (${f(rows)} allowed rows)`);
console.log(`  graph batch:        ${(t3 - t2).toFixed(0)} ms, ${f(batch.rels.length)} MAY_CONNECT edges (hub ${f(batch.stats.hubEdges)}, direct ${f(batch.stats.directEdges)}, ipBlock ${f(batch.stats.ipEdges)}) for ${f(allowedPairs)} allowed pod pairs`);
