/**
 * RBAC gaps against Kubernetes audit evidence, in the real Neo4j: a service account's Role and
 * ClusterRole (collected from manifests) against a planted API-server audit log (collected with
 * `collect k8s-audit`), with exact expected sets. A grant is unused only when the log covers the whole
 * window and its audit policy logs such requests; a log with a hole in it, a log whose policy is not
 * known, and a policy that drops a resource all answer unknown.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { register as registerAudit } from '../../src/cli/verbs/collect-k8s-audit.js';
import { collectFromDir } from '../../src/collectors/kubernetes/collect.js';
import type { Graph } from '../../src/graph/driver.js';
import { gaps, resolveSubject, type GapsResult } from '../../src/risk/run.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';
import { runVerb } from '../helpers/run-verb.js';

const MANIFESTS = `apiVersion: v1
kind: Namespace
metadata: {name: app}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: worker, namespace: app}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: worker-role, namespace: app}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [get, list, delete]}
- {apiGroups: [""], resources: [secrets], verbs: [get]}
- {apiGroups: [apps], resources: [deployments], verbs: [get, patch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: worker, namespace: app}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: worker-role}
subjects: [{kind: ServiceAccount, name: worker, namespace: app}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: worker-reader}
rules:
- {apiGroups: [""], resources: [nodes], verbs: [get, list]}
- {nonResourceURLs: [/metrics], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: worker-reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: worker-reader}
subjects: [{kind: ServiceAccount, name: worker, namespace: app}]
`;

// Secrets are never logged (a common policy: their bodies must stay out of the log, and here even
// their metadata does), everything else at Metadata.
const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: None
  resources: [{group: "", resources: [secrets]}]
- level: Metadata
`;

const WORKER = 'system:serviceaccount:app:worker';
let seq = 0;
function event(at: string, user: string, verb: string, ref: { resource?: string; namespace?: string; apiGroup?: string; path?: string }, code = 200): string {
  seq++;
  const uri = ref.path ?? `/api/v1/${ref.namespace ? `namespaces/${ref.namespace}/` : ''}${ref.resource}`;
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `00000000-0000-0000-0000-${String(seq).padStart(12, '0')}`,
    stage: 'ResponseComplete',
    requestURI: uri,
    verb,
    user: { username: user, groups: ['system:authenticated'] },
    ...(ref.resource ? { objectRef: { resource: ref.resource, namespace: ref.namespace, apiGroup: ref.apiGroup, apiVersion: 'v1' } } : {}),
    responseStatus: { metadata: {}, code },
    requestReceivedTimestamp: `2026-11-20T${at}:00.000000Z`,
    stageTimestamp: `2026-11-20T${at}:00.100000Z`,
  });
}
const other = (at: string) => event(at, 'system:kube-controller-manager', 'list', { resource: 'pods', namespace: 'kube-system' });

/** The worker's day: reads and lists configmaps, patches its deployment, lists nodes, scrapes /metrics, tries pods, and writes where no grant lets it. */
const FULL_DAY = [
  other('10:00'),
  event('10:05', WORKER, 'get', { resource: 'configmaps', namespace: 'app' }),
  event('10:30', WORKER, 'list', { resource: 'configmaps', namespace: 'app' }),
  event('10:31', WORKER, 'list', { resource: 'configmaps', namespace: 'app' }),
  event('11:00', WORKER, 'patch', { resource: 'deployments', namespace: 'app', apiGroup: 'apps' }),
  event('11:10', WORKER, 'list', { resource: 'nodes' }),
  event('11:20', WORKER, 'list', { resource: 'pods', namespace: 'app' }, 403),
  event('11:30', WORKER, 'get', { path: '/metrics' }),
  event('11:40', WORKER, 'create', { resource: 'configmaps', namespace: 'other' }),
  other('12:00'),
];

let graph: Graph;
let dir: string;
beforeAll(async () => {
  graph = await testGraph();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-rbac-gaps-'));
  fs.mkdirSync(path.join(dir, 'manifests'));
  fs.writeFileSync(path.join(dir, 'manifests', 'worker.yaml'), MANIFESTS);
  fs.writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
});
afterAll(async () => {
  await graph.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A cluster with the worker's RBAC, and the given audit logs collected (each with the policy unless told otherwise). */
async function estate(logs: string[][], withPolicy = true): Promise<{ cluster: string }> {
  const cluster = uniqueScope('rbacgaps');
  const s = await collectFromDir(graph, path.join(dir, 'manifests'), cluster);
  expect(s.status).toBe('succeeded');
  for (const [i, lines] of logs.entries()) {
    const file = path.join(dir, `${cluster}-${i}.jsonl`);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    await runVerb(registerAudit, ['collect', 'k8s-audit', file, '--cluster', cluster, ...(withPolicy ? ['--policy', path.join(dir, 'policy.yaml')] : []), '--format', 'json']);
  }
  return { cluster };
}

const rbacUnused = (r: GapsResult) => r.grantedUnused.filter((g) => g.domain === 'rbac').map((g) => `${g.status} ${g.grant}`);
const rbacUndeclared = (r: GapsResult) => r.doneUndeclared.filter((g) => g.domain === 'rbac').map((g) => `${g.observed}: ${g.detail.split(':')[0]}`);

// The same service account exists in every cluster of this file: subjects resolve by cluster-qualified id.
async function gapsOf(subject: string, o: { since?: string; until?: string } = {}): Promise<GapsResult> {
  return gaps(graph, await resolveSubject(graph, subject), o);
}

describe('a log covering the whole window under a known policy', () => {
  let cluster: string;
  let result: GapsResult;
  beforeAll(async () => {
    ({ cluster } = await estate([FULL_DAY]));
    result = await gapsOf(`${cluster}/app/worker`);
  }, 60_000);

  test('granted verbs no request used are unused; the secret read the policy never logs is unknown', () => {
    expect(result.window).toEqual({ from: '2026-11-20T10:00:00.000Z', to: '2026-11-20T12:00:00.000Z' });
    expect(rbacUnused(result).sort()).toEqual(['unknown get secrets in app', 'unused delete configmaps in app', 'unused get apps/deployments in app', 'unused get nodes (all namespaces)'].sort());
    const secret = result.grantedUnused.find((g) => g.grant === 'get secrets in app')!;
    expect(secret.reason).toMatch(/rule 1 logs them at level None/);
    expect(secret.subject).toBe(`${cluster}/app/worker`);
    expect(result.grantedUnused.find((g) => g.grant === 'delete configmaps in app')!.reason).toMatch(/RoleBinding .*worker -> .*worker-role/);
    expect(result.completeness.rbac.complete).toBe(false);
    expect(result.completeness.rbac.reason).toMatch(/get secrets in app/);
  });

  test('a refused request is attempted, an allowed one no grant covers is undeclared', () => {
    expect(rbacUndeclared(result).sort()).toEqual(['create configmaps in other: allowed by the API server, but no binding of this service account grants it today (a grant since removed, or another authorizer)', 'list pods in app: attempted'].sort());
    const attempt = result.doneUndeclared.find((d) => d.observed === 'list pods in app')!;
    expect(attempt).toMatchObject({ domain: 'rbac', subject: `${cluster}/app/worker`, count: 1 });
    expect(Date.parse(attempt.lastSeen!)).toBe(Date.parse('2026-11-20T11:20:00Z'));
  });

  test('a window reaching before the log makes every grant not seen unknown, not unused', async () => {
    const r = await gapsOf(`${cluster}/app/worker`, { since: '2026-11-20T09:00:00.000Z', until: '2026-11-20T12:00:00.000Z' });
    expect(rbacUnused(r).sort()).toEqual(['unknown delete configmaps in app', 'unknown get apps/deployments in app', 'unknown get nodes (all namespaces)', 'unknown get secrets in app'].sort());
    expect(r.grantedUnused.find((g) => g.grant === 'get nodes (all namespaces)')!.reason).toMatch(/does not cover the whole window/);
  });
});

test('a log with a hole (a rotated file never collected) answers unknown for every grant not seen', async () => {
  const morning = FULL_DAY.slice(0, 4); // 10:00 .. 10:31
  const afternoon = [other('13:00'), event('13:10', WORKER, 'patch', { resource: 'deployments', namespace: 'app', apiGroup: 'apps' }), other('14:00')];
  const { cluster } = await estate([morning, afternoon]);
  const r = await gapsOf(`${cluster}/app/worker`);
  expect(r.window).toEqual({ from: '2026-11-20T10:00:00.000Z', to: '2026-11-20T14:00:00.000Z' });
  // Used in either half: get/list configmaps, patch deployments. The rest cannot be called unused.
  expect(rbacUnused(r).sort()).toEqual(['unknown delete configmaps in app', 'unknown get /metrics', 'unknown get apps/deployments in app', 'unknown get nodes (all namespaces)', 'unknown get secrets in app', 'unknown list nodes (all namespaces)'].sort());
  expect(r.completeness.rbac).toEqual({ complete: false, reason: expect.stringMatching(/does not cover the whole window/) });
  expect(rbacUndeclared(r)).toEqual([]);
}, 60_000);

test('a log collected without its audit policy answers unknown: not logged and not done look the same', async () => {
  const { cluster } = await estate([FULL_DAY], false);
  const r = await gapsOf(`${cluster}/app/worker`);
  expect(rbacUnused(r).sort()).toEqual(['unknown delete configmaps in app', 'unknown get apps/deployments in app', 'unknown get nodes (all namespaces)', 'unknown get secrets in app'].sort());
  expect(r.grantedUnused.find((g) => g.grant === 'delete configmaps in app')!.reason).toMatch(/audit policy .* is not known \(collect k8s-audit --policy FILE\)/);
  // What the log shows is evidence all the same.
  expect(rbacUndeclared(r)).toHaveLength(2);
}, 60_000);

test('without any audit log the RBAC grants are unknown', async () => {
  const { cluster } = await estate([]);
  const r = await gapsOf(`${cluster}/app/worker`);
  expect(r.grantedUnused.filter((g) => g.domain === 'rbac').every((g) => g.status === 'unknown' && /no Kubernetes audit log/.test(g.reason))).toBe(true);
  expect(rbacUnused(r)).toHaveLength(9);
}, 60_000);

test('the demo estate: the CI deployer\'s Job and CronJob grants, the first hop of its attack path, are unused', async () => {
  const { part: kubernetes } = await import('../../src/demo/parts/kubernetes.js');
  const { part: audit } = await import('../../src/demo/parts/rbac-audit.js');
  await kubernetes.load(graph);
  await audit.load(graph);
  const r = await gapsOf('demo-eks/research/ci-deployer');
  expect(r.window).toEqual({ from: '2026-11-26T09:00:01.000Z', to: '2026-11-26T16:00:03.000Z' });
  expect(r.completeness.rbac).toEqual({ complete: true });
  expect(rbacUnused(r).sort()).toEqual(
    ['create apps/deployments', 'get batch/jobs', 'list batch/jobs', 'create batch/jobs', 'get batch/cronjobs', 'list batch/cronjobs', 'create batch/cronjobs'].map((g) => `unused ${g} in research`).sort(),
  );
  expect(rbacUndeclared(r)).toEqual(['list secrets in research: attempted']);
}, 120_000);
