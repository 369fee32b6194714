/**
 * `rbac can` against the real authorizer: a real kube-apiserver (RBAC mode) answers SubjectAccessReviews
 * for a few hundred generated questions; the engine, fed the RBAC objects listed from the same server,
 * must agree on every one.
 */
import { AuthorizationV1Api, CoreV1Api, RbacAuthorizationV1Api, type V1PolicyRule, type RbacV1Subject as V1Subject } from '@kubernetes/client-node';
import fc from 'fast-check';
import { rbacFromCluster } from '../../src/collectors/kubernetes/rbac-source.js';
import { RbacIndex } from '../../src/identity/kubernetes/rbac/engine.js';
import { parseSubject } from '../../src/identity/kubernetes/rbac/subject.js';
import { buildRequest } from '../../src/cli/verbs/rbac.js';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { aggregatorAvailable, kubeUnavailable, startKube, subjectAccessReview, type KubeCluster } from '../helpers/kube.js';

const why = kubeUnavailable();
if (why) process.stdout.write(`kubernetes-rbac.int: skipped: ${why}\n`);
const maybe = why ? describe.skip : describe;

const SA = (namespace: string, name: string): V1Subject => ({ kind: 'ServiceAccount', name, namespace });
const U = (name: string): V1Subject => ({ kind: 'User', name, apiGroup: 'rbac.authorization.k8s.io' });
const G = (name: string): V1Subject => ({ kind: 'Group', name, apiGroup: 'rbac.authorization.k8s.io' });
const rule = (verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): V1PolicyRule => ({ verbs, apiGroups, resources, ...(resourceNames ? { resourceNames } : {}) });

maybe('rbac can agrees with the API server (SubjectAccessReview)', () => {
  let kube: KubeCluster;
  beforeAll(async () => {
    kube = await startKube({ name: 'rbac' });
    const core = kube.kubeConfig.makeApiClient(CoreV1Api);
    const rbac = kube.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    for (const ns of ['a', 'b']) await core.createNamespace({ body: { metadata: { name: ns } } });
    const role = (namespace: string, name: string, rules: V1PolicyRule[]) => rbac.createNamespacedRole({ namespace, body: { metadata: { name, namespace }, rules } });
    const crole = (name: string, rules: V1PolicyRule[], labels?: Record<string, string>) => rbac.createClusterRole({ body: { metadata: { name, ...(labels ? { labels } : {}) }, rules } });
    const rb = (namespace: string, name: string, roleKind: 'Role' | 'ClusterRole', roleName: string, subjects: V1Subject[]) =>
      rbac.createNamespacedRoleBinding({ namespace, body: { metadata: { name, namespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName }, subjects } });
    const crb = (name: string, roleName: string, subjects: V1Subject[]) =>
      rbac.createClusterRoleBinding({ body: { metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName }, subjects } });

    await role('a', 'pod-reader', [
      rule(['get', 'list', 'watch'], [''], ['pods']),
      rule(['get'], [''], ['secrets'], ['s1']),
      rule(['create'], [''], ['pods/exec']),
      rule(['update'], ['apps'], ['deployments/scale']),
    ]);
    await role('a', 'wild', [rule(['get'], ['*'], ['*']), rule(['update', 'patch'], ['*'], ['*/status'])]);
    await crole('node-proxy', [rule(['get', 'create'], [''], ['nodes/proxy']), { verbs: ['get'], nonResourceURLs: ['/logs/*', '/metrics'] }]);
    await crole('impersonator', [rule(['impersonate'], [''], ['users'], ['alice']), rule(['impersonate'], [''], ['groups', 'serviceaccounts'])]);
    await crole('escalator', [rule(['escalate', 'bind'], ['rbac.authorization.k8s.io'], ['roles', 'clusterroles'], ['view']), rule(['create'], ['rbac.authorization.k8s.io'], ['rolebindings'])]);
    await crole('agg-part1', [rule(['list', 'watch'], [''], ['secrets'])], { 'rg/agg': 'x' });
    await crole('agg-part2', [rule(['create', 'delete'], ['apps'], ['deployments']), rule(['*'], ['batch'], ['jobs'])], { 'rg/agg': 'y' });
    await rbac.createClusterRole({
      body: { metadata: { name: 'agg-base' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rg/agg': 'x' } }, { matchExpressions: [{ key: 'rg/agg', operator: 'In', values: ['y'] }] }] }, rules: [] },
    });
    await rb('a', 'pr', 'Role', 'pod-reader', [SA('a', 'sa1'), SA('b', 'sa2'), U('bob'), G('devs')]);
    await rb('a', 'wild', 'Role', 'wild', [G('system:serviceaccounts:b')]);
    await rb('b', 'agg', 'ClusterRole', 'agg-base', [U('carol')]);
    await rb('b', 'dangling', 'Role', 'does-not-exist', [U('erin')]);
    await rb('a', 'nsless', 'ClusterRole', 'view', [{ kind: 'ServiceAccount', name: 'sa4' }]);
    await rb('b', 'viewers', 'ClusterRole', 'view', [G('viewers')]);
    await rb('a', 'frank-edit', 'ClusterRole', 'edit', [U('frank')]);
    await crb('ops-node-proxy', 'node-proxy', [G('ops')]);
    await crb('sa3-impersonate', 'impersonator', [SA('a', 'sa3')]);
    await crb('dave-escalate', 'escalator', [U('dave')]);
    await crb('everyone-config', 'agg-part1', [G('system:serviceaccounts')]);

    if (aggregatorAvailable()) {
      // Wait for the aggregation controller to fill agg-base, view and edit.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const roles = await Promise.all(['agg-base', 'view', 'edit'].map((name) => rbac.readClusterRole({ name })));
        if ((roles[0]!.rules?.length ?? 0) === 3 && roles.every((r) => (r.rules?.length ?? 0) > 0)) break;
        if (Date.now() > deadline) throw new Error('aggregated ClusterRoles not filled in 30 s');
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }, 120_000);
  afterAll(async () => {
    await kube?.stop();
  });

  test('a thousand generated questions: zero disagreement', async () => {
    const state = await rbacFromCluster(kube.kubeConfig);
    const index = new RbacIndex(state);
    const authz = kube.kubeConfig.makeApiClient(AuthorizationV1Api);

    const subjects = [
      'system:serviceaccount:a:sa1', 'system:serviceaccount:b:sa2', 'system:serviceaccount:a:sa3', 'system:serviceaccount:a:sa4',
      'system:serviceaccount:b:sa5', 'user:bob', 'user:carol', 'user:dave', 'user:erin', 'user:frank', 'user:alice', 'group:devs', 'group:ops', 'group:viewers',
    ];
    const groupSets: string[][] = [[], ['ops'], ['viewers'], ['devs', 'ops'], ['system:masters']];
    const verbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'impersonate', 'escalate', 'bind', '*'];
    const resources = ['pods', 'pods/exec', 'pods/log', 'pods/status', 'secrets', 'deployments', 'deployments.apps/scale', 'deployments/status', 'nodes', 'nodes/proxy', 'users', 'groups', 'serviceaccounts', 'roles', 'clusterroles', 'configmaps', '*', 'jobs', 'cronjobs.batch', 'rolebindings', '/logs/kube', '/metrics', '/healthz', '/api', '/logs'];
    const namespaces: Array<string | undefined> = ['a', 'b', 'c', undefined];
    const names = ['', 's1', 'alice', 'view', 'cluster-admin'];
    const question = fc.record({
      subject: fc.constantFrom(...subjects),
      groups: fc.constantFrom(...groupSets),
      verb: fc.constantFrom(...verbs),
      resource: fc.constantFrom(...resources),
      namespace: fc.constantFrom(...namespaces),
      all: fc.boolean(),
      name: fc.constantFrom(...names),
    });
    // Random questions over the whole space, plus an exhaustive grid over the bound subjects' key cases.
    const questions = fc.sample(question, { numRuns: 400, seed: 20261126 });
    for (const subject of ['system:serviceaccount:a:sa1', 'system:serviceaccount:b:sa5', 'user:bob', 'user:carol', 'user:dave', 'user:frank'])
      for (const verb of ['get', 'list', 'create', 'bind'])
        for (const resource of ['pods', 'pods/exec', 'secrets', 'deployments', 'deployments/status', 'roles'])
          for (const namespace of ['a', 'b'])
            for (const name of ['', 's1', 'view']) questions.push({ subject, groups: [], verb, resource, namespace, all: false, name });

    type Q = (typeof questions)[number];
    const toSar = subjectAccessReview;
    const disagreements: string[] = [];
    let allowed = 0;
    const ask = async (q: Q) => {
      const p = parseSubject(q.subject, q.groups);
      const nonResource = q.resource.startsWith('/');
      const { request } = buildRequest(q.verb, q.resource, { ...(q.namespace ? { namespace: q.namespace } : {}), allNamespaces: q.all && !q.namespace, ...(q.name && !nonResource ? { name: q.name } : {}) });
      const mine = index.authorize(p, request);
      const sar = await authz.createSubjectAccessReview({ body: toSar(p, request) });
      const theirs = sar.status?.allowed === true;
      if (theirs) allowed++;
      if (mine.allowed !== theirs) disagreements.push(`${JSON.stringify({ principal: p, request })}: engine ${mine.allowed}, API server ${theirs} (${sar.status?.reason ?? ''})`);
    };
    for (let i = 0; i < questions.length; i += 20) await Promise.all(questions.slice(i, i + 20).map(ask));

    expect(disagreements).toEqual([]);
    // The questions must exercise both answers, or agreement would prove little.
    expect(questions.length).toBeGreaterThan(1000);
    expect(allowed).toBeGreaterThan(100);
    expect(questions.length - allowed).toBeGreaterThan(100);
  }, 120_000);

  test('targeted cases: aggregated role, resourceNames, subresource wildcard, cross-namespace SA, non-resource URL', async () => {
    const index = new RbacIndex(await rbacFromCluster(kube.kubeConfig));
    const can = (subject: string, verb: string, resource: string, o: { namespace?: string; name?: string; groups?: string[] } = {}) =>
      index.authorize(parseSubject(subject, o.groups ?? []), buildRequest(verb, resource, o).request).allowed;
    expect(can('user:carol', 'create', 'deployments', { namespace: 'b' })).toBe(true); // via agg-base ← agg-part2
    expect(can('user:carol', 'list', 'secrets', { namespace: 'b' })).toBe(true); // via agg-base ← agg-part1
    expect(can('user:carol', 'list', 'secrets', { namespace: 'a' })).toBe(false);
    expect(can('user:bob', 'get', 'secrets', { namespace: 'a', name: 's1' })).toBe(true);
    expect(can('user:bob', 'get', 'secrets', { namespace: 'a', name: 's2' })).toBe(false);
    expect(can('user:bob', 'get', 'secrets', { namespace: 'a' })).toBe(false);
    expect(can('system:serviceaccount:b:sa2', 'create', 'pods/exec', { namespace: 'a' })).toBe(true); // SA from another namespace
    expect(can('system:serviceaccount:b:sa5', 'patch', 'deployments/status', { namespace: 'a' })).toBe(true); // */status via group
    expect(can('system:serviceaccount:b:sa5', 'patch', 'deployments', { namespace: 'a' })).toBe(false);
    expect(can('user:x', 'get', '/logs/kube-apiserver.log', { groups: ['ops'] })).toBe(true);
    expect(can('user:x', 'get', '/logs', { groups: ['ops'] })).toBe(false);
    expect(can('user:erin', 'get', 'pods', { namespace: 'b' })).toBe(false); // dangling roleRef grants nothing
  }, 60_000);

  // The built CLI (dist/, built by `npm test`'s pretest) reading RBAC from the live cluster through a kubeconfig.
  const cli = path.join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
  (fs.existsSync(cli) ? test : test.skip)('the CLI answers from the cluster of --kubeconfig with {allowed, reasons}', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'rbac', 'can', ...args, '--kubeconfig', kube.kubeconfigPath, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn' } });
    const yes = run('user:carol', 'create', 'deployments', '-n', 'b');
    expect(yes.status).toBe(0);
    const out = JSON.parse(yes.stdout) as { allowed: boolean; reasons: Array<{ binding: string; role: string }> };
    expect(out.allowed).toBe(true);
    expect(out.reasons[0]).toMatchObject({ binding: 'RoleBinding/b/agg', role: 'ClusterRole/agg-base' });
    const no = run('user:carol', 'create', 'deployments', '-n', 'a');
    expect(JSON.parse(no.stdout)).toEqual({ allowed: false, reasons: [] });
  }, 60_000);
});
