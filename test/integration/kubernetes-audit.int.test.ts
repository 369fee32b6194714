/**
 * Kubernetes least privilege from the API server's own audit log: a real kube-apiserver logs at
 * Metadata level, a service account (with a real TokenRequest token) makes some of the requests its
 * Role allows and one it does not, `collect k8s-audit` loads the log, and `least-privilege --kind rbac`
 * must give exactly the Role the requests need, and call every other granted verb unused.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { register as registerAudit } from '../../src/cli/verbs/collect-k8s-audit.js';
import { KubernetesCollector } from '../../src/collectors/kubernetes/collect.js';
import type { Graph } from '../../src/graph/driver.js';
import { gaps, leastPrivilege, resolveSubject, subjectAnchors } from '../../src/risk/run.js';
import type { RbacLeastPrivilege, RbacRow } from '../../src/risk/least-privilege.js';
import { kubeUnavailable, startKube, type KubeCluster } from '../helpers/kube.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';
import { runVerb } from '../helpers/run-verb.js';

const why = kubeUnavailable();
if (why) process.stdout.write(`kubernetes-audit.int: skipped: ${why}\n`);
const maybe = why ? describe.skip : describe;

const API_GROUP = 'rbac.authorization.k8s.io';

maybe('least privilege for a service account from a real API server\'s audit log', () => {
  let kube: KubeCluster;
  let graph: Graph;
  const cluster = uniqueScope('audit');
  const ns = `lp-${randomBytes(4).toString('hex')}`;
  let result: RbacLeastPrivilege;
  let collected: { events: number; calls: number; rels: number };
  let again: { rels: number };

  beforeAll(async () => {
    [kube, graph] = await Promise.all([startKube({ name: 'audit', audit: true }), testGraph()]);
    const core = kube.kubeConfig.makeApiClient(CoreV1Api);
    const rbac = kube.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'worker' } } });
    await rbac.createNamespacedRole({
      namespace: ns,
      body: {
        metadata: { name: 'worker-role' },
        rules: [
          { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
          { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({ namespace: ns, body: { metadata: { name: 'worker-binding' }, roleRef: { apiGroup: API_GROUP, kind: 'Role', name: 'worker-role' }, subjects: [{ kind: 'ServiceAccount', name: 'worker', namespace: ns }] } });
    await rbac.createClusterRole({ body: { metadata: { name: `${ns}-nodes` }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }] } });
    await rbac.createClusterRoleBinding({ body: { metadata: { name: `${ns}-nodes` }, roleRef: { apiGroup: API_GROUP, kind: 'ClusterRole', name: `${ns}-nodes` }, subjects: [{ kind: 'ServiceAccount', name: 'worker', namespace: ns }] } });

    // The service account's own credentials: a bound token from the TokenRequest API.
    const tr = await core.createNamespacedServiceAccountToken({ name: 'worker', namespace: ns, body: { spec: { audiences: [], expirationSeconds: 600 } } });
    const cfg = JSON.parse(readFileSync(kube.kubeconfigPath, 'utf8')) as { users: { user: { token: string } }[] };
    cfg.users[0]!.user.token = tr.status!.token;
    const asWorker = new KubeConfig();
    asWorker.loadFromString(JSON.stringify(cfg));
    const w = asWorker.makeApiClient(CoreV1Api);
    await w.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'settings' }, data: { mode: 'fast' } } });
    await w.readNamespacedConfigMap({ name: 'settings', namespace: ns });
    await w.listNamespacedConfigMap({ namespace: ns });
    await w.listNamespacedConfigMap({ namespace: ns });
    await expect(w.listNamespacedPod({ namespace: ns })).rejects.toThrow(/403|forbidden/i);

    const c = new KubernetesCollector(graph, { cluster, kubeConfig: kube.kubeConfig });
    await c.start({ watch: false });
    await c.stop();

    // The log backend writes after the response: wait until the refused request is in the file.
    const auditLog = kube.auditLog!;
    for (let i = 0; i < 200 && !readFileSync(auditLog, 'utf8').includes(`"/api/v1/namespaces/${ns}/pods`); i++) await new Promise((r) => setTimeout(r, 50));
    collected = JSON.parse(await runVerb(registerAudit, ['collect', 'k8s-audit', auditLog, '--cluster', cluster, '--format', 'json'])) as typeof collected;
    again = JSON.parse(await runVerb(registerAudit, ['collect', 'k8s-audit', auditLog, '--cluster', cluster, '--format', 'json'])) as typeof again;
    const out = (await leastPrivilege(graph, await resolveSubject(graph, `system:serviceaccount:${ns}:worker`), 'rbac')) as { serviceAccounts: RbacLeastPrivilege[] };
    expect(out.serviceAccounts).toHaveLength(1);
    result = out.serviceAccounts[0]!;
  }, 180_000);

  afterAll(async () => {
    await kube?.stop();
    await graph?.close();
  });

  test('the generated Role allows exactly what the service account did, in its namespace, bound to it', () => {
    expect(result.serviceAccount).toBe(`${cluster}/${ns}/worker`);
    expect(result.windows).toHaveLength(1);
    const role = result.manifests.find((m) => m.kind === 'Role') as { metadata: { namespace: string }; rules: unknown[] };
    expect(role.metadata.namespace).toBe(ns);
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'list'] }]);
    const binding = result.manifests.find((m) => m.kind === 'RoleBinding') as { subjects: unknown[] };
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'worker', namespace: ns }]);
    expect(result.manifests.filter((m) => m.kind === 'ClusterRole')).toEqual([]);
  });

  test('granted verbs never requested are unused (the log is the evidence); the refused request is for review, not granted', () => {
    const removed = result.diff.remove.map((r) => ({ role: r.role.split('/').slice(1).join('/'), resources: r.rule.resources, verbs: [...r.verbs].sort(), status: r.status }));
    expect(removed).toEqual(
      expect.arrayContaining([
        { role: `${ns}/worker-role`, resources: ['configmaps'], verbs: ['delete', 'watch'], status: 'unused' },
        { role: `${ns}/worker-role`, resources: ['secrets'], verbs: ['get'], status: 'unused' },
        { role: `${ns}-nodes`, resources: ['nodes'], verbs: ['get', 'list'], status: 'unused' },
      ]),
    );
    expect(result.diff.keep.map((k) => k.usedVerbs)).toEqual([['create', 'get', 'list']]);
    expect(result.diff.review.map((r) => r.request)).toEqual([`list pods in ${ns}`]);
  });

  test('collecting the same log twice leaves the counts as they were', async () => {
    expect(collected.events).toBeGreaterThan(0);
    expect(again.rels).toBe(collected.rels);
    const anchors = (await subjectAnchors(graph, await resolveSubject(graph, `system:serviceaccount:${ns}:worker`))).map((a) => a.anchor);
    const [row] = (await graph.read('queries/risk/least-privilege-rbac', { anchors })) as unknown as RbacRow[];
    const list = row!.requests.find((r) => r.verb === 'list' && r.resource === 'configmaps');
    expect(list).toMatchObject({ namespace: ns, allowed: true, count: 2 });
  });

  test('gaps: with the server\'s own audit policy, the grants its log shows unrequested are unused and the refused request attempted', async () => {
    await runVerb(registerAudit, ['collect', 'k8s-audit', kube.auditLog!, '--cluster', cluster, '--policy', path.join(kube.dir, 'audit-policy.yaml'), '--format', 'json']);
    const g = await gaps(graph, await resolveSubject(graph, `${cluster}/${ns}/worker`));
    expect(g.completeness.rbac).toEqual({ complete: true });
    // The bootstrap roles bound to its groups (system:discovery, system:basic-user …) are its grants too; these are the test's own.
    const own = g.grantedUnused.filter((x) => x.domain === 'rbac' && /worker-role|-nodes$|-nodes\)/.test(x.reason)).map((x) => `${x.status} ${x.grant}`);
    expect(own.sort()).toEqual([`unused delete configmaps in ${ns}`, `unused get nodes (all namespaces)`, `unused get secrets in ${ns}`, `unused list nodes (all namespaces)`, `unused watch configmaps in ${ns}`].sort());
    expect(g.doneUndeclared.filter((x) => x.domain === 'rbac').map((x) => `${x.observed}: ${x.detail}`)).toEqual([`list pods in ${ns}: attempted: the API server refused it (403)`]);
  }, 60_000);
});
