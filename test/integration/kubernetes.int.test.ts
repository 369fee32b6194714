/**
 * The Kubernetes collector against a real kube-apiserver and the real Neo4j: objects created through the
 * API appear in the graph with owner chains, RBAC attack edges and cloud links; a change after the first sync
 * arrives through the watch (its latency printed, and measured by `npm run bench:k8s`); secret values never
 * reach the graph or the logs.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { AppsV1Api, BatchV1Api, CoreV1Api, DiscoveryV1Api, NetworkingV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { pino } from 'pino';
import { KubernetesCollector, SOURCE } from '../../src/collectors/kubernetes/collect.js';
import type { Graph } from '../../src/graph/driver.js';
import { kubeUnavailable, startKube, type KubeCluster } from '../helpers/kube.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';

const why = kubeUnavailable();
if (why) process.stdout.write(`kubernetes.int: skipped: ${why}\n`);
const maybe = why ? describe.skip : describe;

const PLANTED = `planted-${randomBytes(12).toString('hex')}`;

/**
 * Polls until `done` holds and returns how long it took since `since` (undefined when it never did).
 * The deadline is generous on purpose: the latency is printed and benchmarked, never asserted, since a
 * loaded 2-core machine says nothing about the code.
 */
async function waitUntil(done: () => Promise<boolean>, since = Date.now(), deadlineMs = 30_000): Promise<number | undefined> {
  while (Date.now() - since < deadlineMs) {
    if (await done()) return Date.now() - since;
    await new Promise((r) => setTimeout(r, 50));
  }
  return (await done()) ? Date.now() - since : undefined;
}
const IRSA = 'arn:aws:iam::123456789012:role/web-irsa';

interface Row {
  labels?: string[];
  id: string;
  props: Record<string, unknown>;
  type?: string;
  from?: string;
  to?: string;
}

maybe('Kubernetes collector on a real API server', () => {
  let kube: KubeCluster;
  let graph: Graph;
  let collector: KubernetesCollector;
  const cluster = uniqueScope('k8s');
  const logLines: string[] = [];
  const log = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, cb) => (logLines.push(String(chunk)), cb()) }));
  const syncs: number[] = [];

  const nodes = async () => (await graph.read('queries/kubernetes/scope-nodes', { source: SOURCE, scope: cluster })) as unknown as Row[];
  const rels = async () => (await graph.read('queries/kubernetes/scope-rels', { source: SOURCE, scope: cluster })) as unknown as Row[];
  const id = (...parts: string[]) => [cluster, ...parts].join('/');

  beforeAll(async () => {
    [kube, graph] = await Promise.all([startKube({ name: 'collect' }), testGraph()]);
    const kc = kube.kubeConfig;
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const batch = kc.makeApiClient(BatchV1Api);
    const disc = kc.makeApiClient(DiscoveryV1Api);
    const net = kc.makeApiClient(NetworkingV1Api);
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    const ns = 'shop';
    await core.createNamespace({ body: { metadata: { name: ns, labels: { team: 'payments' } } } });
    await core.createNode({ body: { metadata: { name: 'node-1' } } });
    for (const name of ['default', 'deployer', 'batch'])
      await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name } } });
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'web', annotations: { 'eks.amazonaws.com/role-arn': IRSA } } } });
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'gke', annotations: { 'iam.gke.io/gcp-service-account': 'reader@proj-1.iam.gserviceaccount.com' } } } });
    await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'db-pass' }, type: 'Opaque', stringData: { password: PLANTED }, data: { other: Buffer.from(PLANTED).toString('base64') } } });
    await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'web-token', annotations: { 'kubernetes.io/service-account.name': 'web' } }, type: 'kubernetes.io/service-account-token' } });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'settings' }, data: { key: PLANTED } } });

    const dep = await apps.createNamespacedDeployment({
      namespace: ns,
      body: { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { serviceAccountName: 'web', containers: [{ name: 'app', image: 'web:1' }] } } } },
    });
    const rs = await apps.createNamespacedReplicaSet({
      namespace: ns,
      body: {
        metadata: { name: 'web-5d4f', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: dep.metadata!.uid!, controller: true }] },
        spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { serviceAccountName: 'web', containers: [{ name: 'app', image: 'web:1' }] } } },
      },
    });
    await core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'web-5d4f-abcde', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d4f', uid: rs.metadata!.uid!, controller: true }] },
        spec: { nodeName: 'node-1', serviceAccountName: 'web', containers: [{ name: 'app', image: 'web:1', ports: [{ containerPort: 8080 }], env: [{ name: 'DB', valueFrom: { secretKeyRef: { name: 'db-pass', key: 'password' } } }] }] },
      },
    });
    await core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'debug' },
        spec: {
          nodeName: 'node-1',
          serviceAccountName: 'default',
          automountServiceAccountToken: false,
          hostPID: true,
          volumes: [{ name: 'root', hostPath: { path: '/' } }],
          containers: [{ name: 'sh', image: 'busybox', securityContext: { privileged: true }, volumeMounts: [{ name: 'root', mountPath: '/host' }] }],
        },
      },
    });
    const cj = await batch.createNamespacedCronJob({
      namespace: ns,
      body: { metadata: { name: 'nightly' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', serviceAccountName: 'batch', containers: [{ name: 'job', image: 'job:1' }] } } } } } },
    });
    const job = await batch.createNamespacedJob({
      namespace: ns,
      body: {
        metadata: { name: 'nightly-1', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: cj.metadata!.uid!, controller: true }] },
        spec: { template: { metadata: { labels: { 'batch.kubernetes.io/job-name': 'nightly-1' } }, spec: { restartPolicy: 'Never', serviceAccountName: 'batch', containers: [{ name: 'job', image: 'job:1' }] } } },
      },
    });
    await core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'nightly-1-xyz', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'nightly-1', uid: job.metadata!.uid!, controller: true }] },
        spec: { restartPolicy: 'Never', serviceAccountName: 'batch', containers: [{ name: 'job', image: 'job:1' }] },
      },
    });
    await core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } } });
    await disc.createNamespacedEndpointSlice({
      namespace: ns,
      body: { metadata: { name: 'web-abc', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.1.0.5'], targetRef: { kind: 'Pod', name: 'web-5d4f-abcde', namespace: ns } }], ports: [{ port: 8080 }] },
    });
    await net.createNamespacedNetworkPolicy({ namespace: ns, body: { metadata: { name: 'default-deny' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } } });

    await rbac.createNamespacedRole({ namespace: ns, body: { metadata: { name: 'deployer' }, rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'get'] }] } });
    await rbac.createNamespacedRoleBinding({ namespace: ns, body: { metadata: { name: 'deployer' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' }, subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: ns }] } });
    await rbac.createClusterRole({ body: { metadata: { name: 'secret-part', labels: { 'rg/aggregate': 'true' } }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] } });
    await rbac.createClusterRole({ body: { metadata: { name: 'secret-reader' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rg/aggregate': 'true' } }] } } });
    await rbac.createClusterRoleBinding({ body: { metadata: { name: 'alice-secrets' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'secret-reader' }, subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }] } });
    await rbac.createClusterRole({ body: { metadata: { name: 'pod-exec' }, rules: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }] } });
    await rbac.createNamespacedRoleBinding({ namespace: ns, body: { metadata: { name: 'oncall-exec' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'pod-exec' }, subjects: [{ kind: 'Group', name: 'oncall', apiGroup: 'rbac.authorization.k8s.io' }] } });

    collector = new KubernetesCollector(graph, { cluster, kubeConfig: kc, log, debounceMs: 100, onSync: () => syncs.push(Date.now()) });
    await collector.start({ watch: true, pageSize: 3 });
  }, 120_000);

  afterAll(async () => {
    await collector?.stop();
    await kube?.stop();
    await graph?.close();
  });

  test('lists every page (continue tokens) and writes the objects', async () => {
    expect(collector.pagesRead).toBeGreaterThan(19); // 19 kinds, several with more than 3 objects
    const ns = await nodes();
    const ids = new Set(ns.map((n) => n.id));
    for (const x of [id('shop'), id('shop', 'web-5d4f-abcde'), id('shop', 'Deployment', 'web'), id('shop', 'ReplicaSet', 'web-5d4f'), id('shop', 'CronJob', 'nightly'), id('shop', 'Job', 'nightly-1'), id('node-1'), id('shop', 'web'), id('shop', 'db-pass'), id('shop', 'settings'), id('shop', 'deployer'), id('secret-reader'), id('alice-secrets'), id('shop', 'default-deny'), id('shop', 'web-abc')]) {
      expect(ids).toContain(x);
    }
    const pod = ns.find((n) => n.id === id('shop', 'web-5d4f-abcde'))!;
    expect(pod.props.workload).toBe(id('shop', 'Deployment', 'web'));
    expect(ns.find((n) => n.id === id('shop', 'nightly-1-xyz'))!.props.workload).toBe(id('shop', 'CronJob', 'nightly'));
    // The aggregated ClusterRole carries the rules the aggregation selects.
    expect(JSON.parse(String(ns.find((n) => n.id === id('secret-reader'))!.props.rules))).toEqual([expect.objectContaining({ resources: ['secrets'], verbs: ['get', 'list'] })]);
  });

  test('structural edges: owner chain, service account, node, endpoints, cloud links', async () => {
    const rs = await rels();
    const has = (type: string, from: string, to: string) => rs.some((r) => r.type === type && r.from === from && r.to === to);
    expect(has('OWNED_BY', id('shop', 'web-5d4f-abcde'), id('shop', 'ReplicaSet', 'web-5d4f'))).toBe(true);
    expect(has('OWNED_BY', id('shop', 'ReplicaSet', 'web-5d4f'), id('shop', 'Deployment', 'web'))).toBe(true);
    expect(has('OWNED_BY', id('shop', 'Job', 'nightly-1'), id('shop', 'CronJob', 'nightly'))).toBe(true);
    expect(has('RUNS_AS', id('shop', 'web-5d4f-abcde'), id('shop', 'web'))).toBe(true);
    expect(has('SCHEDULED_ON', id('shop', 'debug'), id('node-1'))).toBe(true);
    expect(has('ROUTES_TO', id('shop', 'web-abc'), id('shop', 'web-5d4f-abcde'))).toBe(true);
    expect(has('LINKED_IDENTITY', id('shop', 'web'), IRSA)).toBe(true);
    expect(has('LINKED_IDENTITY', id('shop', 'gke'), 'gcp:reader@proj-1.iam.gserviceaccount.com')).toBe(true);
    expect(has('STORES_TOKEN_OF', id('shop', 'web-token'), id('shop', 'web'))).toBe(true);
    expect(has('MOUNTS', id('shop', 'web-5d4f-abcde'), id('shop', 'db-pass'))).toBe(true);
  });

  test('attack edges', async () => {
    const rs = await rels();
    const act = (from: string, to: string, method: string) => rs.some((r) => (r.type === 'MAY_ACT_AS' || r.type === 'MAY_ESCALATE_TO') && r.from === from && r.to === to && r.props.method === method);
    // create deployments.apps in shop → any SA of shop (and so the IRSA role of web).
    expect(act(id('shop', 'deployer'), id('shop', 'web'), 'create-workload')).toBe(true);
    expect(act(id('shop', 'deployer'), id('node-1'), 'create-privileged-pod')).toBe(true);
    // get/list secrets (through an aggregated role) → the token secret of web.
    expect(act(id('alice'), id('shop', 'web'), 'read-token-secret')).toBe(true);
    expect(rs.some((r) => r.type === 'MAY_ACCESS' && r.from === id('alice') && r.to === id('shop', 'db-pass'))).toBe(true);
    // privileged + hostPath / → node; the node holds web's token; exec into debug → node.
    expect(act(id('shop', 'debug'), id('node-1'), 'privileged-container')).toBe(true);
    expect(act(id('shop', 'debug'), id('node-1'), 'hostpath-write')).toBe(true);
    expect(act(id('node-1'), id('shop', 'web'), 'node-holds-pod-token')).toBe(true);
    expect(act(id('oncall'), id('shop', 'web'), 'pods-exec')).toBe(true);
    expect(act(id('oncall'), id('node-1'), 'pods-exec-escape')).toBe(true);
    // debug has no token mounted: no pod → default SA edge.
    expect(act(id('shop', 'debug'), id('shop', 'default'), 'mounted-token')).toBe(false);
    expect(act(id('shop', 'web-5d4f-abcde'), id('shop', 'web'), 'mounted-token')).toBe(true);
    // The IRSA role is reachable from the deployer SA.
    const reach = await graph.read('queries/kubernetes/cloud-identities-reachable', { id: id('shop', 'deployer'), maxHops: 3 });
    expect(reach.map((r) => r.identity)).toContain(IRSA);
  });

  test('a change after the first sync arrives through the watch', async () => {
    const core = kube.kubeConfig.makeApiClient(CoreV1Api);
    const late = async () => (await nodes()).some((n) => n.id === id('shop', 'late'));
    const t0 = Date.now();
    await core.createNamespacedServiceAccount({ namespace: 'shop', body: { metadata: { name: 'late' } } });
    const created = await waitUntil(late, t0);
    expect(created).toBeDefined();
    // A deletion is applied too (replace sync removes what disappeared).
    const t1 = Date.now();
    await core.deleteNamespacedServiceAccount({ namespace: 'shop', name: 'late' });
    const deleted = await waitUntil(async () => !(await late()), t1);
    expect(deleted).toBeDefined();
    process.stdout.write(`kubernetes.int: watch latency: create ${created} ms, delete ${deleted} ms (npm run bench:k8s measures it)\n`);
  });

  test('an RBAC change through the watch updates the derived attack edges', async () => {
    const rbac = kube.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    const edge = async () => (await rels()).some((r) => r.type === 'MAY_ACT_AS' && r.from === id('shop', 'deployer') && r.to === id('shop', 'web') && r.props.method === 'create-workload');
    expect(await edge()).toBe(true);
    await rbac.deleteNamespacedRoleBinding({ namespace: 'shop', name: 'deployer' });
    await waitUntil(async () => !(await edge()));
    expect(await edge()).toBe(false);
    // The binding node itself is gone too; the SA stays.
    const ids = new Set((await nodes()).map((n) => n.id));
    expect(ids.has(id('shop', 'deployer'))).toBe(true);
    expect((await nodes()).some((n) => n.labels?.includes('K8sRoleBinding') && n.id === id('shop', 'deployer'))).toBe(false);
  });

  test('no secret value reaches the graph or the logs', async () => {
    // Touch the secret so a watch event for it passes through the collector too.
    const core = kube.kubeConfig.makeApiClient(CoreV1Api);
    const before = syncs.length;
    await core.patchNamespacedSecret({ namespace: 'shop', name: 'db-pass', body: [{ op: 'add', path: '/metadata/labels', value: { touched: 'yes' } }] });
    await waitUntil(async () => syncs.length > before);
    expect(syncs.length).toBeGreaterThan(before);
    const everything = JSON.stringify([await nodes(), await rels()]);
    expect(everything).toContain('db-pass'); // the secret is there, by name
    expect(everything).not.toContain(PLANTED);
    expect(everything).not.toContain(Buffer.from(PLANTED).toString('base64'));
    const logs = logLines.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(PLANTED);
    expect(logs).not.toContain(Buffer.from(PLANTED).toString('base64'));
    expect(String(collector.lastError?.message ?? '')).not.toContain(PLANTED);
  });
});
