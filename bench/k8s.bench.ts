// npm run bench:k8s: generates a Kubernetes estate (default 10,000 pods in 50 namespaces, 2,000
// NetworkPolicies, 5,000 role bindings, 1,000 service accounts) and prints
//   - evaluate: the transform alone (RBAC, attack edges, NetworkPolicy reachability, owner chains), pure CPU;
//   - collect from files: `collect kubernetes --from-dir` on `kubectl get -o json` dumps, into a fresh local Neo4j;
//   - collect from the API server: the estate created through a real kube-apiserver (the one the tests build,
//     skipped with the reason when its binaries are missing), then the collector's list + transform + load;
//   - watch latency: a service account created and deleted through the API server, until the collector's
//     watch has written each change to the graph.
// Own state folder and port (7693, .reachgraph/bench-k8s). BENCH_PODS, BENCH_POLICIES, BENCH_BINDINGS resize it;
// BENCH_K8S_API=0 skips the API server part; BENCH_K8S_DIR=DIR keeps the generated dumps there.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CoreV1Api, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import { collectFromDir, KubernetesCollector } from '../src/collectors/kubernetes/collect.js';
import { readManifestDir } from '../src/collectors/kubernetes/manifests.js';
import { snapshotToBatch } from '../src/collectors/kubernetes/transform.js';
import { buildNetpolModel } from '../src/identity/kubernetes/netpol/evaluate.js';
import { netpolBatch } from '../src/identity/kubernetes/netpol/graph.js';
import { groupOfPods, ownerChains } from '../src/identity/kubernetes/netpol/groups.js';
import { RbacIndex, serviceAccountPrincipal } from '../src/identity/kubernetes/rbac/engine.js';
import { rbacStateFrom } from '../src/identity/kubernetes/rbac/from-objects.js';
import { logger } from '../src/log.js';
import { kubeUnavailable, startKube } from '../test/helpers/kube.js';
import { benchEnv, openFreshGraph } from './fresh-graph.js';

const PODS = Number(process.env.BENCH_PODS ?? 10_000);
const POLICIES = Number(process.env.BENCH_POLICIES ?? 2_000);
const BINDINGS = Number(process.env.BENCH_BINDINGS ?? 5_000);
const NAMESPACES = Math.max(1, Math.round(PODS / 200));
const SA_PER_NS = 20;
const REPLICAS = 5;
const WITH_API = process.env.BENCH_K8S_API !== '0';

benchEnv('bench-k8s', 7693);
// Imports ran before the line above: set the level of the logger they created too.
logger.level = process.env.REACHGRAPH_LOG_LEVEL ?? 'warn';

let seed = 11;
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};

type Obj = KubernetesObject & Record<string, unknown>;
const objs: Record<string, Obj[]> = {};
const add = (file: string, o: Obj) => (objs[file] ??= []).push(o);
const meta = (name: string, namespace?: string, extra: Record<string, unknown> = {}) => ({ name, ...(namespace ? { namespace } : {}), ...extra });

// Namespaces, nodes, service accounts, secrets.
for (let n = 0; n < NAMESPACES; n++) {
  const ns = `ns-${n}`;
  add('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: meta(ns, undefined, { labels: { team: `t${n % 5}`, env: n % 2 ? 'prod' : 'dev' } }) });
  for (let s = 0; s < SA_PER_NS; s++) {
    const annotations = s % 10 === 0 ? { 'eks.amazonaws.com/role-arn': `arn:aws:iam::111122223333:role/${ns}-sa-${s}` } : {};
    add('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(`sa-${s}`, ns, { annotations }) });
    if (s % 2 === 0)
      add('secrets', { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: meta(`sa-${s}-token`, ns, { annotations: { 'kubernetes.io/service-account.name': `sa-${s}` } }) });
  }
  for (let s = 0; s < 10; s++) add('secrets', { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: meta(`app-secret-${s}`, ns), data: { k: Buffer.from(`v${s}`).toString('base64') } });
  for (let c = 0; c < 10; c++) add('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`settings-${c}`, ns), data: { k: 'v' } });
}
const NODES = Math.max(1, Math.round(PODS / 500));
for (let i = 0; i < NODES; i++) add('nodes', { apiVersion: 'v1', kind: 'Node', metadata: meta(`node-${i}`) });

// Deployments → ReplicaSets → Pods.
const deployments = Math.ceil(PODS / REPLICAS);
let pods = 0;
for (let d = 0; d < deployments; d++) {
  const ns = `ns-${d % NAMESPACES}`;
  const app = `app-${d}`;
  const labels = { app, tier: ['web', 'api', 'db', 'worker'][d % 4]! };
  const sa = `sa-${d % SA_PER_NS}`;
  const risky = d % 100 === 0;
  const podSpec = {
    serviceAccountName: sa,
    ...(d % 7 === 0 ? { automountServiceAccountToken: false } : {}),
    ...(risky ? { hostPID: true, volumes: [{ name: 'host', hostPath: { path: '/' } }] } : {}),
    containers: [
      {
        name: 'main',
        image: `registry.example/${app}:1`,
        ports: [{ name: 'http', containerPort: 8080 + (d % 3) }, ...(d % 5 === 0 ? [{ name: 'metrics', containerPort: 9090 }] : [])],
        ...(risky ? { securityContext: { privileged: true } } : {}),
      },
    ],
  };
  add('deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(app, ns, { labels }), spec: { replicas: REPLICAS, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } } });
  const rs = `${app}-5d4f`;
  add('replicasets', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta(rs, ns, { labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: `uid-${app}`, controller: true }] }),
    spec: { replicas: REPLICAS, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  });
  for (let r = 0; r < REPLICAS && pods < PODS; r++, pods++) {
    add('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta(`${rs}-${r}`, ns, { labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: `uid-${rs}`, controller: true }] }),
      spec: { ...podSpec, nodeName: `node-${pods % NODES}` },
    });
  }
}

// NetworkPolicies of every common shape: default deny, allow from a team's namespaces, app-to-app, egress.
for (let p = 0; p < POLICIES; p++) {
  const n = p % NAMESPACES;
  const ns = `ns-${n}`;
  const target = `app-${n + NAMESPACES * rnd(Math.max(1, Math.floor(deployments / NAMESPACES)))}`;
  const shape = p < NAMESPACES ? 'deny' : p % 4;
  let spec: Record<string, unknown>;
  if (shape === 'deny') spec = { podSelector: {}, policyTypes: ['Ingress'] };
  else if (shape === 0) spec = { podSelector: { matchLabels: { app: target } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: `t${rnd(5)}` } } }], ports: [{ port: 'http' }] }] };
  else if (shape === 1) spec = { podSelector: { matchLabels: { app: target } }, ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'web' } } }], ports: [{ port: 8080, endPort: 8090, protocol: 'TCP' }] }] };
  else if (shape === 2) spec = { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'prod' } }, podSelector: { matchLabels: { tier: 'api' } } }] }], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] };
  else spec = { podSelector: { matchLabels: { tier: 'worker' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 53, protocol: 'UDP' }] }, { to: [{ podSelector: { matchLabels: { app: target } } }] }] };
  add('networkpolicies', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(`np-${p}`, ns), spec });
}

// RBAC: roles per namespace, cluster roles (one aggregated), and bindings to service accounts, users and groups.
const ROLE_RULES = [
  [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] }],
  [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
  [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'update', 'patch'] }],
  [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }],
  [{ apiGroups: [''], resources: ['configmaps'], verbs: ['*'], resourceNames: ['settings-0'] }],
];
for (let n = 0; n < NAMESPACES; n++) for (let r = 0; r < ROLE_RULES.length; r++) add('roles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(`role-${r}`, `ns-${n}`), rules: ROLE_RULES[r] });
for (let c = 0; c < 20; c++)
  add('clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(`bench-cr-${c}`, undefined, { labels: c % 4 === 0 ? { 'bench/aggregate': 'true' } : {} }), rules: ROLE_RULES[c % ROLE_RULES.length] });
add('clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta('bench-aggregated'), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'bench/aggregate': 'true' } }] }, rules: [] });
const CLUSTER_BINDINGS = Math.round(BINDINGS / 25);
for (let b = 0; b < BINDINGS - CLUSTER_BINDINGS; b++) {
  const ns = `ns-${b % NAMESPACES}`;
  const k = rnd(10);
  const subject = k < 7 ? { kind: 'ServiceAccount', name: `sa-${rnd(SA_PER_NS)}`, namespace: `ns-${k < 6 ? b % NAMESPACES : rnd(NAMESPACES)}` } : k < 9 ? { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `user-${rnd(200)}` } : { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `group-${rnd(20)}` };
  const roleRef = rnd(4) === 0 ? { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `bench-cr-${rnd(20)}` } : { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `role-${rnd(ROLE_RULES.length)}` };
  add('rolebindings', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta(`rb-${b}`, ns), subjects: [subject], roleRef });
}
for (let b = 0; b < CLUSTER_BINDINGS; b++)
  add('clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: meta(`crb-${b}`),
    subjects: [b % 2 ? { kind: 'ServiceAccount', name: `sa-${rnd(SA_PER_NS)}`, namespace: `ns-${rnd(NAMESPACES)}` } : { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `group-${rnd(20)}` }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: b === 0 ? 'bench-aggregated' : `bench-cr-${rnd(20)}` },
  });

const total = Object.values(objs).reduce((a, xs) => a + xs.length, 0);
const counts = Object.entries(objs).map(([k, xs]) => `${xs.length.toLocaleString('en')} ${k}`).join(', ');
console.log(`bench:k8s — ${total.toLocaleString('en')} objects: ${counts}`);
const secs = (t0: number) => ((performance.now() - t0) / 1000).toFixed(2);
const mb = () => `${Math.round(process.memoryUsage().rss / 2 ** 20)} MB RSS`;

// The estate as `kubectl get -o json` dumps, one List per kind.
const keep = process.env.BENCH_K8S_DIR;
const dir = keep ? (fs.mkdirSync(keep, { recursive: true }), keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'rg-bench-k8s-'));
for (const [file, items] of Object.entries(objs)) fs.writeFileSync(path.join(dir, `${file}.json`), JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
const bytes = fs.readdirSync(dir).reduce((a, f) => a + fs.statSync(path.join(dir, f)).size, 0);

// Evaluate: the transform alone, on what the reader produced.
let t = performance.now();
const manifests = await readManifestDir(dir);
console.log(`read ${(bytes / 2 ** 20).toFixed(1)} MB of JSON dumps: ${secs(t)} s`);
const { other: _other, ...snapshot } = manifests;
t = performance.now();
const batch = snapshotToBatch('bench', snapshot);
const evalSecs = secs(t);
const byType = new Map<string, number>();
for (const r of batch.rels) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
console.log(`evaluate (owner chains, RBAC, attack edges, NetworkPolicy): ${evalSecs} s → ${batch.nodes.length.toLocaleString('en')} nodes, ${batch.rels.length.toLocaleString('en')} relationships (${[...byType].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${v.toLocaleString('en')} ${k}`).join(', ')}), ${mb()}`);
t = performance.now();
const npModel = buildNetpolModel({ namespaces: snapshot.namespaces, pods: snapshot.pods, networkPolicies: snapshot.networkPolicies });
const np = netpolBatch(npModel, { cluster: 'bench', groups: groupOfPods(npModel, ownerChains(snapshot, 'bench'), 'bench') });
console.log(`  of which NetworkPolicy reachability alone: ${secs(t)} s → ${np.rels.length.toLocaleString('en')} relationships on workloads (${npModel.pods.length.toLocaleString('en')} pods in ${new Set(npModel.pods.map((p) => p.cls)).size.toLocaleString('en')} classes)`);
t = performance.now();
const rbac = new RbacIndex(rbacStateFrom(snapshot));
console.log(`  RBAC index (aggregation, bindings by subject): ${secs(t)} s`);
const QUESTIONS = 100_000;
const verbs = ['get', 'list', 'create', 'delete'];
const resources = ['pods', 'secrets', 'deployments', 'configmaps'];
t = performance.now();
let allowed = 0;
for (let i = 0; i < QUESTIONS; i++) {
  const ns = `ns-${i % NAMESPACES}`;
  const d = rbac.authorize(serviceAccountPrincipal(ns, `sa-${i % SA_PER_NS}`), { kind: 'resource', verb: verbs[i % 4]!, apiGroup: i % 4 === 2 ? 'apps' : '', resource: resources[(i >> 2) % 4]!, subresource: '', namespace: ns, name: '' });
  if (d.allowed) allowed++;
}
const q = (performance.now() - t) / 1000;
console.log(`  RBAC can-i: ${QUESTIONS.toLocaleString('en')} questions in ${q.toFixed(2)} s = ${Math.round(QUESTIONS / q).toLocaleString('en')}/s (${allowed.toLocaleString('en')} allowed)`);

// Collect into the graph: from the files, then from a real API server.
const bench = await openFreshGraph();
const { graph } = bench;
try {
  t = performance.now();
  const fromDir = await collectFromDir(graph, dir, 'bench-files');
  console.log(`collect --from-dir (read, evaluate, load into Neo4j): ${secs(t)} s → ${fromDir.nodes.toLocaleString('en')} nodes, ${fromDir.rels.toLocaleString('en')} relationships written, ${mb()}`);

  const why = WITH_API ? kubeUnavailable() : 'BENCH_K8S_API=0';
  if (why) console.log(`collect from the API server: skipped (${why})`);
  else {
    const kube = await startKube({ name: 'bench' });
    try {
      const api = KubernetesObjectApi.makeApiClient(kube.kubeConfig);
      const order = ['namespaces', 'nodes', 'serviceaccounts', 'secrets', 'configmaps', 'clusterroles', 'roles', 'rolebindings', 'clusterrolebindings', 'networkpolicies', 'deployments', 'replicasets', 'pods'];
      // Owners first, so each owner reference carries the uid the API server gave its owner.
      const uids = new Map<string, string>();
      t = performance.now();
      for (const file of order) {
        const items = objs[file] ?? [];
        let next = 0;
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            while (next < items.length) {
              const o = items[next++]!;
              const m = { ...(o.metadata as Record<string, unknown>) };
              const refs = m.ownerReferences as { kind: string; name: string }[] | undefined;
              if (refs) m.ownerReferences = refs.map((r) => ({ ...r, uid: uids.get(`${r.kind}/${String(m.namespace)}/${r.name}`) }));
              // The client serializes through its typed models (`from` is `_from` there): hand it a typed object,
              // or it silently drops fields the models name differently.
              const typed = ObjectSerializer.deserialize({ ...o, metadata: m }, `V1${o.kind}`, '') as KubernetesObject;
              const made = await api.create(typed);
              if (made.metadata?.uid) uids.set(`${o.kind}/${String(m.namespace)}/${String(m.name)}`, made.metadata.uid);
            }
          }),
        );
      }
      const created = (performance.now() - t) / 1000;
      console.log(`created ${total.toLocaleString('en')} objects through kube-apiserver in ${created.toFixed(1)} s (${Math.round(total / created)}/s, 16 in flight)`);
      t = performance.now();
      let watchSynced: (() => void) | undefined;
      const collector = new KubernetesCollector(graph, { cluster: 'bench-api', kubeConfig: kube.kubeConfig, onSync: (s) => (s.trigger === 'watch' ? watchSynced?.() : undefined) });
      const first = await collector.start({ watch: true });
      console.log(`collect from the API server (list every kind in pages of 500, evaluate, load into Neo4j): ${secs(t)} s, ${collector.pagesRead} pages → ${first.nodes.toLocaleString('en')} nodes, ${first.rels.toLocaleString('en')} relationships, ${mb()}`);
      // Watch latency: from the API call to the collector's sync of that change being written (debounce included).
      try {
        const core = kube.kubeConfig.makeApiClient(CoreV1Api);
        const changes: [string, () => Promise<unknown>][] = [
          ['create', () => core.createNamespacedServiceAccount({ namespace: 'ns-0', body: { metadata: { name: 'bench-late' } } })],
          ['delete', () => core.deleteNamespacedServiceAccount({ namespace: 'ns-0', name: 'bench-late' })],
        ];
        const latency: string[] = [];
        for (const [what, change] of changes) {
          const synced = new Promise<void>((resolve, reject) => {
            watchSynced = resolve;
            setTimeout(() => reject(new Error(`watch latency: the ${what} did not reach the graph within 60 s`)), 60_000).unref();
          });
          t = performance.now();
          await change();
          await synced;
          latency.push(`${what} ${Math.round(performance.now() - t)} ms`);
        }
        console.log(`watch latency (API change → written to the graph, on this estate): ${latency.join(', ')}`);
      } finally {
        await collector.stop();
      }
      // Both collects saw the same estate: compare what they wrote, type by type.
      const rows = await graph.readText('MATCH ()-[r]->() WHERE r.source = $source AND r.scope IN $scopes RETURN r.scope AS scope, type(r) AS type, count(*) AS n', { source: 'kubernetes', scopes: ['bench-files', 'bench-api'] }, 'bench-k8s-compare');
      const cmp = new Map<string, [number, number]>();
      for (const r of rows) {
        const c = cmp.get(String(r.type)) ?? [0, 0];
        c[r.scope === 'bench-files' ? 0 : 1] = Number(r.n);
        cmp.set(String(r.type), c);
      }
      console.log(`relationships by type, files vs API server: ${[...cmp].sort().map(([k, [a, b]]) => `${k} ${a}/${b}`).join(', ')}`);
    } finally {
      await kube.stop();
    }
  }
} finally {
  await bench.close();
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
}
