/**
 * `rbac can` against the API server's own authorizer, for the three departures of issue 17 and a seeded property
 * test over generated estates. Every answer is checked against a real kube-apiserver (RBAC mode) with the upstream
 * clusterrole-aggregation controller running: SubjectAccessReview for the verdict, and for the implicit groups real
 * requests made under impersonation or with no credentials at all. `rbac can` is asked twice: reading the live
 * cluster (stored rules) and reading the same objects as files (`--from-dir`: the controller's behaviour replayed).
 */
import https from 'node:https';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuthorizationV1Api, CoreV1Api, RbacAuthorizationV1Api, type V1ClusterRole, type V1PolicyRule, type RbacV1Subject as V1Subject } from '@kubernetes/client-node';
import fc from 'fast-check';
import { buildRequest } from '../../src/cli/verbs/rbac.js';
import { rbacFromCluster, rbacFromDir } from '../../src/collectors/kubernetes/rbac-source.js';
import { aggregateClusterRoles, RbacIndex } from '../../src/identity/kubernetes/rbac/engine.js';
import { rbacStateFrom } from '../../src/identity/kubernetes/rbac/from-objects.js';
import { selectorMatches } from '../../src/identity/kubernetes/rbac/selector.js';
import { parseSubject } from '../../src/identity/kubernetes/rbac/subject.js';
import type { AccessRequest, PolicyRule, Principal } from '../../src/identity/kubernetes/rbac/types.js';
import { aggregatorAvailable, kubeUnavailable, startKube, subjectAccessReview, type KubeCluster } from '../helpers/kube.js';

const why = kubeUnavailable() ?? (aggregatorAvailable() ? undefined : 'the clusterrole-aggregator binary is missing: run scripts/setup/30-kubernetes.sh');
if (why) process.stdout.write(`kubernetes-rbac-server.int: skipped: ${why}\n`);
const maybe = why ? describe.skip : describe;

const API_GROUP = 'rbac.authorization.k8s.io';
const AGGREGATOR = 'clusterrole-aggregation-controller';
type Obj = Record<string, unknown> & { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };

const rule = (verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): V1PolicyRule => ({ verbs, apiGroups, resources, ...(resourceNames ? { resourceNames } : {}) });
const urls = (verbs: string[], nonResourceURLs: string[]): V1PolicyRule => ({ verbs, nonResourceURLs });
const G = (name: string): V1Subject => ({ kind: 'Group', name, apiGroup: API_GROUP });
const U = (name: string): V1Subject => ({ kind: 'User', name, apiGroup: API_GROUP });

function clusterRole(name: string, o: { rules?: V1PolicyRule[]; labels?: Record<string, string>; select?: Array<Record<string, string>> }): Obj {
  return {
    apiVersion: `${API_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: { name, ...(o.labels ? { labels: o.labels } : {}) },
    rules: o.rules ?? [],
    ...(o.select ? { aggregationRule: { clusterRoleSelectors: o.select.map((matchLabels) => ({ matchLabels })) } } : {}),
  };
}
function crb(name: string, role: string, subjects: V1Subject[]): Obj {
  return { apiVersion: `${API_GROUP}/v1`, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: API_GROUP, kind: 'ClusterRole', name: role }, subjects };
}

maybe('rbac can against the API server: issue 17 departures and generated estates', () => {
  let kube: KubeCluster;
  let rbac: RbacAuthorizationV1Api;
  let authz: AuthorizationV1Api;
  let token: string;
  let ca: Buffer;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rg-rbac-server-'));

  beforeAll(async () => {
    kube = await startKube({ name: 'rbac-server' });
    rbac = kube.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    authz = kube.kubeConfig.makeApiClient(AuthorizationV1Api);
    const cfg = JSON.parse(readFileSync(kube.kubeconfigPath, 'utf8')) as { users: Array<{ user: { token: string } }>; clusters: Array<{ cluster: { 'certificate-authority-data': string } }> };
    token = cfg.users[0]!.user.token;
    ca = Buffer.from(cfg.clusters[0]!.cluster['certificate-authority-data'], 'base64');
    await waitSettled();
  }, 180_000);
  afterAll(async () => {
    await kube?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** Creates objects (ClusterRoles first, so bindings never dangle by accident), many at once. */
  async function create(objs: readonly Obj[]): Promise<void> {
    const core = kube.kubeConfig.makeApiClient(CoreV1Api);
    const namespaces = [...new Set(objs.map((o) => o.metadata.namespace).filter((n): n is string => !!n))];
    await Promise.all(namespaces.map((name) => core.createNamespace({ body: { metadata: { name } } })));
    const one = (o: Obj) => {
      const body = o as never;
      const ns = o.metadata.namespace ?? '';
      switch (o.kind) {
        case 'ClusterRole':
          return rbac.createClusterRole({ body });
        case 'ClusterRoleBinding':
          return rbac.createClusterRoleBinding({ body });
        case 'Role':
          return rbac.createNamespacedRole({ namespace: ns, body });
        default:
          return rbac.createNamespacedRoleBinding({ namespace: ns, body });
      }
    };
    for (const kinds of [['ClusterRole', 'Role'], ['ClusterRoleBinding', 'RoleBinding']]) {
      const batch = objs.filter((o) => kinds.includes(o.kind));
      for (let i = 0; i < batch.length; i += 25) await Promise.all(batch.slice(i, i + 25).map(one));
    }
  }

  /**
   * Waits until the aggregation controller has nothing left to do: every aggregated ClusterRole holds exactly what its
   * selectors give from the stored rules, or the selection is empty and the role holds rules the controller does not
   * own (it would clear rules it owns). Must hold on two reads in a row.
   */
  async function waitSettled(): Promise<void> {
    const started = Date.now();
    const deadline = started + 60_000;
    let streak = 0;
    for (;;) {
      const items = (await rbac.listClusterRole()).items;
      streak = unsettled(items).length === 0 ? streak + 1 : 0;
      if (streak >= 2) {
        process.stdout.write(`aggregation settled after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        return;
      }
      if (Date.now() > deadline) throw new Error(`aggregation not settled in 60 s: ${unsettled(items).join(', ')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  function unsettled(items: V1ClusterRole[]): string[] {
    const key = (r: V1PolicyRule) => JSON.stringify([r.verbs ?? [], r.apiGroups ?? [], r.resources ?? [], r.resourceNames ?? [], r.nonResourceURLs ?? []]);
    const sorted = [...items].sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
    const out: string[] = [];
    for (const cr of sorted) {
      if (!cr.aggregationRule) continue;
      const selected: string[] = [];
      for (const sel of cr.aggregationRule.clusterRoleSelectors ?? []) {
        for (const other of sorted) {
          if (other.metadata!.name === cr.metadata!.name || !selectorMatches(sel as never, other.metadata!.labels)) continue;
          for (const r of other.rules ?? []) if (!selected.includes(key(r))) selected.push(key(r));
        }
      }
      const stored = (cr.rules ?? []).map(key);
      const owned = (cr.metadata!.managedFields ?? []).some((m) => m.manager === AGGREGATOR && JSON.stringify(m.fieldsV1 ?? {}).includes('"f:rules"'));
      const ok = selected.length > 0 ? JSON.stringify(selected) === JSON.stringify(stored) : !owned || stored.length === 0;
      if (!ok) out.push(cr.metadata!.name!);
    }
    return out;
  }

  /** The same objects as manifest files, read the way `rbac can --from-dir` reads them. */
  async function fromFiles(objs: readonly object[], name: string): Promise<RbacIndex> {
    const dir = path.join(tmp, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'rbac.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
    return new RbacIndex(await rbacFromDir(dir));
  }
  const live = async () => new RbacIndex(await rbacFromCluster(kube.kubeConfig));

  const sar = async (p: Principal, req: AccessRequest) => (await authz.createSubjectAccessReview({ body: subjectAccessReview(p, req) })).status?.allowed === true;

  interface Question {
    subject: string;
    groups?: string[];
    verb: string;
    resource: string;
    namespace?: string;
    name?: string;
  }
  const request = (q: Question) => buildRequest(q.verb, q.resource, { ...(q.namespace ? { namespace: q.namespace } : { allNamespaces: true }), ...(q.name ? { name: q.name } : {}) }).request;
  /** [server, live, files] for one question. */
  async function ask(q: Question, files: RbacIndex, liveIndex: RbacIndex): Promise<[boolean, boolean, boolean]> {
    const p = parseSubject(q.subject, q.groups ?? []);
    const r = request(q);
    return [await sar(p, r), liveIndex.authorize(p, r).allowed, files.authorize(p, r).allowed];
  }

  // ---- departure 1: aggregated ClusterRoles keep their own rules when the selection yields none ----
  test('departure 1: an aggregated ClusterRole whose selectors yield no rules keeps its own rules; a selection with rules replaces them', async () => {
    const del = rule(['delete'], [''], ['pods']);
    const get = rule(['get'], [''], ['pods']);
    const objs: Obj[] = [
      clusterRole('d1-none', { rules: [del], select: [{ 'd1/none': 'x' }] }), // selects nothing
      clusterRole('d1-empty-only', { rules: [del], select: [{ 'd1/empty': 'x' }] }), // selects only rules: []
      clusterRole('d1-empty-part', { labels: { 'd1/empty': 'x' } }),
      clusterRole('d1-replaced', { rules: [del], select: [{ 'd1/part': 'x' }] }), // counter-case: selection with rules
      clusterRole('d1-part', { labels: { 'd1/part': 'x' }, rules: [get] }),
      // Kept rules travel on: an aggregated role with its own rules, labelled into another aggregation.
      clusterRole('d1-view', { select: [{ 'd1/aggregate-to-view': 'true' }] }),
      clusterRole('d1-inner', { labels: { 'd1/aggregate-to-view': 'true' }, rules: [del], select: [{ 'd1/none': 'x' }] }),
      // The real case: the built-in view role picks up the kept rules through its aggregate-to-view label.
      clusterRole('d1-to-view', { labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }, rules: [rule(['delete'], [''], ['configmaps'])], select: [{ 'd1/none': 'x' }] }),
      ...['d1-none', 'd1-empty-only', 'd1-replaced', 'd1-view'].map((r) => crb(r, r, [G(`${r}-members`)])),
      crb('d1-viewers', 'view', [G('d1-viewers')]),
    ];
    await create(objs);
    await waitSettled();
    const files = await fromFiles(objs, 'd1');
    const liveIndex = await live();
    const cases: Array<[Question, boolean]> = [
      [{ subject: 'user:m', groups: ['d1-none-members'], verb: 'delete', resource: 'pods', namespace: 'default' }, true],
      [{ subject: 'user:m', groups: ['d1-empty-only-members'], verb: 'delete', resource: 'pods', namespace: 'default' }, true],
      [{ subject: 'user:m', groups: ['d1-replaced-members'], verb: 'delete', resource: 'pods', namespace: 'default' }, false],
      [{ subject: 'user:m', groups: ['d1-replaced-members'], verb: 'get', resource: 'pods', namespace: 'default' }, true],
      [{ subject: 'user:m', groups: ['d1-view-members'], verb: 'delete', resource: 'pods', namespace: 'default' }, true],
      [{ subject: 'user:m', groups: ['d1-view-members'], verb: 'get', resource: 'pods', namespace: 'default' }, false],
      [{ subject: 'user:m', groups: ['d1-none-members'], verb: 'get', resource: 'pods', namespace: 'default' }, false],
    ];
    for (const [q, expected] of cases) expect([q, await ask(q, files, liveIndex)]).toEqual([q, [expected, expected, expected]]);
    // Through the built-in view role (live only: the files hold no bootstrap roles).
    const viaView: Question = { subject: 'user:m', groups: ['d1-viewers'], verb: 'delete', resource: 'configmaps', namespace: 'default' };
    const [server, liveAnswer] = await ask(viaView, files, liveIndex);
    expect([server, liveAnswer]).toEqual([true, true]);
  }, 120_000);

  test('departure 1, live: an empty selection clears rules the controller wrote; the answer follows the stored rules', async () => {
    const objs: Obj[] = [
      clusterRole('d1b-agg', { select: [{ 'd1b/part': 'x' }] }),
      clusterRole('d1b-part', { labels: { 'd1b/part': 'x' }, rules: [rule(['list'], [''], ['secrets'])] }),
      crb('d1b-agg', 'd1b-agg', [U('d1b-user')]),
    ];
    await create(objs);
    await waitSettled();
    const q: Question = { subject: 'user:d1b-user', verb: 'list', resource: 'secrets', namespace: 'default' };
    expect(await ask(q, await fromFiles(objs, 'd1b'), await live())).toEqual([true, true, true]);
    // The part loses its label: the controller, owning the rules now, clears them.
    await rbac.patchClusterRole({ name: 'd1b-part', body: [{ op: 'remove', path: '/metadata/labels' }] });
    await waitSettled();
    const stored = await rbac.readClusterRole({ name: 'd1b-agg' });
    expect(stored.rules ?? []).toEqual([]);
    const [server, liveAnswer] = await ask(q, await fromFiles(objs, 'd1b'), await live());
    expect([server, liveAnswer]).toEqual([false, false]);
  }, 120_000);

  // ---- departure 2: non-resource URLs with several trailing `*` ----
  test('departure 2: "**" and "/logs**" match as the server does (every trailing * stripped)', async () => {
    const objs: Obj[] = [
      clusterRole('d2-all', { rules: [urls(['get'], ['**'])] }),
      clusterRole('d2-logs', { rules: [urls(['get'], ['/logs**'])] }),
      clusterRole('d2-dir', { rules: [urls(['get'], ['/metrics/***'])] }),
      crb('d2-all', 'd2-all', [G('d2-all')]),
      crb('d2-logs', 'd2-logs', [G('d2-logs')]),
      crb('d2-dir', 'd2-dir', [G('d2-dir')]),
    ];
    await create(objs);
    const files = await fromFiles(objs, 'd2');
    const liveIndex = await live();
    const cases: Array<[string, string, boolean]> = [
      ['d2-all', '/version/', true],
      ['d2-all', '/healthz', true],
      ['d2-all', '/', true],
      ['d2-logs', '/logs', true],
      ['d2-logs', '/logs/kube.log', true],
      ['d2-logs', '/logsfoo', true],
      ['d2-logs', '/log', false],
      ['d2-logs', '/metrics', false],
      ['d2-dir', '/metrics/', true],
      ['d2-dir', '/metrics/x', true],
      ['d2-dir', '/metrics', false],
    ];
    for (const [group, p, expected] of cases) {
      const q: Question = { subject: `group:${group}`, verb: 'get', resource: p };
      expect([group, p, await ask(q, files, liveIndex)]).toEqual([group, p, [expected, expected, expected]]);
    }
    // Another verb than the rule's: no.
    expect(await ask({ subject: 'group:d2-all', verb: 'post', resource: '/healthz' }, files, liveIndex)).toEqual([false, false, false]);
  }, 120_000);

  // ---- departure 3: anonymous and unauthenticated subjects ----
  /** A real GET as `as` (impersonated through the admin token), or with no credentials at all: status code. */
  function get(urlPath: string, as?: { user: string; groups: string[] }): Promise<number> {
    const headers: Record<string, string | string[]> = {};
    if (as) {
      headers['Authorization'] = `Bearer ${token}`;
      headers['Impersonate-User'] = as.user;
      if (as.groups.length) headers['Impersonate-Group'] = as.groups;
    }
    return new Promise((resolve, reject) => {
      const req = https.get(`${kube.server}${urlPath}`, { ca, headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
    });
  }
  test('departure 3: anonymous and unauthenticated subjects get the groups the server gives them', async () => {
    const liveIndex = await live();
    const can = (subject: string, verb: string, resource: string, groups: string[] = []) => liveIndex.authorize(parseSubject(subject, groups), request({ subject, groups, verb, resource })).allowed;
    // A request without credentials is system:anonymous in system:unauthenticated: public-info-viewer, not discovery.
    for (const [p, expected] of [['/healthz', true], ['/version', true], ['/api', false], ['/apis', false]] as const) {
      expect([p, (await get(p)) === 200]).toEqual([p, expected]);
      expect([p, can('user:system:anonymous', 'get', p)]).toEqual([p, expected]);
      expect([p, await sar(parseSubject('user:system:anonymous'), request({ subject: '', verb: 'get', resource: p }))]).toEqual([p, expected]);
    }
    // The same through impersonation (what `kubectl auth can-i --as` sends), for users, groups and service accounts.
    const subjects: Array<[string, string[]]> = [
      ['user:system:anonymous', []],
      ['user:d3-bob', []],
      ['user:d3-bob', ['system:unauthenticated']],
      ['user:d3-bob', ['d3-devs']],
      ['system:serviceaccount:default:d3-sa', []],
      ['system:serviceaccount:default:d3-sa', ['system:unauthenticated']],
    ];
    for (const [subject, groups] of subjects) {
      const p = parseSubject(subject, groups);
      const user = subject.startsWith('user:') ? subject.slice(5) : subject;
      for (const urlPath of ['/healthz', '/version', '/api', '/apis']) {
        const server = (await get(urlPath, { user, groups })) === 200;
        expect([subject, groups, urlPath, can(subject, 'get', urlPath, groups)]).toEqual([subject, groups, urlPath, server]);
        expect(await sar(p, request({ subject, groups, verb: 'get', resource: urlPath }))).toBe(server);
      }
    }
    // The examples, spelled out.
    expect(can('user:system:anonymous', 'get', '/healthz')).toBe(true);
    expect(can('user:system:anonymous', 'get', '/version')).toBe(true);
    expect(can('user:d3-bob', 'get', '/api', ['system:unauthenticated'])).toBe(false);
    expect(can('user:d3-bob', 'get', '/api')).toBe(true);
  }, 120_000);

  test('departure 3: the groups rbac can computes are the groups the server reports (SelfSubjectReview under impersonation)', async () => {
    const review = (user: string, groups: string[]) =>
      new Promise<string[]>((resolve, reject) => {
        const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
        const req = https.request(
          `${kube.server}/apis/authentication.k8s.io/v1/selfsubjectreviews`,
          { method: 'POST', ca, headers: { Authorization: `Bearer ${token}`, 'Impersonate-User': user, ...(groups.length ? { 'Impersonate-Group': groups } : {}), 'Content-Type': 'application/json' } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => (res.statusCode === 201 ? resolve((JSON.parse(text) as { status: { userInfo: { groups?: string[] } } }).status.userInfo.groups ?? []) : reject(new Error(`HTTP ${res.statusCode}`))));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    // Authenticated identities only: an unauthenticated one may not create a SelfSubjectReview.
    for (const [subject, groups] of [['user:d3-bob', []], ['user:d3-bob', ['d3-devs']], ['user:d3-bob', ['system:authenticated', 'd3-devs']], ['system:serviceaccount:d3:builder', []], ['system:serviceaccount:d3:builder', ['d3-devs']]] as Array<[string, string[]]>) {
      const p = parseSubject(subject, groups);
      expect([subject, groups, [...p.groups].sort()]).toEqual([subject, groups, [...(await review(p.user, groups))].sort()]);
    }
  }, 60_000);

  // ---- property: generated estates, random questions ----
  test('generated estates: rbac can (live and from files) agrees with SubjectAccessReview on random questions', async () => {
    const seed = Number(process.env.RBAC_PROPERTY_SEED ?? Date.now() % 2 ** 31);
    const estates = Number(process.env.RBAC_PROPERTY_ESTATES ?? 10);
    const perEstate = Number(process.env.RBAC_PROPERTY_QUESTIONS ?? 50);
    process.stdout.write(`rbac property: seed ${seed} (RBAC_PROPERTY_SEED=${seed} repeats this run), ${estates} estates × ${perEstate} questions\n`);
    const generated = fc.sample(arbEstate, { numRuns: estates, seed }).map((e, i) => materialize(e, `p${i}`));
    await create(generated.flatMap((e) => e.objects));
    await waitSettled();

    const listed = await rbacFromCluster(kube.kubeConfig);
    const liveIndex = new RbacIndex(listed);
    // Files: the estates as written (own rules) plus every other object as the cluster lists it (the bootstrap policy).
    const ours = new Set(generated.flatMap((e) => e.objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)));
    const mine = (kind: string, o: { metadata: { name: string; namespace?: string | null } }) => ours.has(`${kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    const bootstrap = [
      ...listed.clusterRoles.filter((o) => !mine('ClusterRole', o)).map((o) => ({ ...o, apiVersion: `${API_GROUP}/v1` })),
      ...listed.clusterRoleBindings.filter((o) => !mine('ClusterRoleBinding', o)).map((o) => ({ ...o, apiVersion: `${API_GROUP}/v1` })),
      ...listed.roles.filter((o) => !mine('Role', o)).map((o) => ({ ...o, apiVersion: `${API_GROUP}/v1` })),
      ...listed.roleBindings.filter((o) => !mine('RoleBinding', o)).map((o) => ({ ...o, apiVersion: `${API_GROUP}/v1` })),
    ];
    const files = await fromFiles([...bootstrap, ...generated.flatMap((e) => e.objects)], 'property');
    // Where aggregation cycles between roles with own rules make the controller's result depend on its processing
    // order, the files' answer is one order's; such estates are counted, and only the live answer is held to the server.
    const predicted = aggregateClusterRoles(rbacStateFrom({ roles: [], roleBindings: [], clusterRoleBindings: [], clusterRoles: [...bootstrap, ...generated.flatMap((e) => e.objects.filter((o) => o.kind === 'ClusterRole'))] }).clusterRoles);
    const ruleKey = (r: PolicyRule) => JSON.stringify([r.verbs, r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs]);
    const storedRules = new Map(listed.clusterRoles.map((c) => [c.metadata.name, c.rules.map(ruleKey).join('|')] as const));
    const differs = (o: Obj) => o.kind === 'ClusterRole' && (predicted.get(o.metadata.name) ?? []).map(ruleKey).join('|') !== storedRules.get(o.metadata.name);
    const orderDependent = new Set(generated.filter((e) => e.objects.some(differs)).map((e) => e.prefix));
    for (const e of generated.filter((x) => orderDependent.has(x.prefix))) {
      const roles = e.objects.filter((o) => o.kind === 'ClusterRole');
      process.stdout.write(`rbac property: estate ${e.prefix}: replayed aggregation differs from the controller's for ${roles.filter(differs).map((o) => o.metadata.name).join(', ')}; ClusterRoles: ${JSON.stringify(roles)}; stored: ${JSON.stringify(roles.map((o) => [o.metadata.name, storedRules.get(o.metadata.name)]))}\n`);
    }

    const questions = generated.flatMap((e, i) => fc.sample(arbQuestion(e.prefix), { numRuns: perEstate, seed: seed + i + 1 }).map((q) => ({ estate: e, q })));
    const disagreements: string[] = [];
    let allowed = 0;
    const one = async ({ estate, q }: (typeof questions)[number]) => {
      const [server, liveAnswer, fileAnswer] = await ask(q, files, liveIndex);
      if (server) allowed++;
      const filesCount = !orderDependent.has(estate.prefix);
      if (liveAnswer !== server || (filesCount && fileAnswer !== server)) {
        disagreements.push(
          `seed ${seed}, estate ${estate.prefix}: ${JSON.stringify(q)}: server ${server}, live ${liveAnswer}, files ${fileAnswer}\n` +
            `  objects: ${JSON.stringify(minimalObjects(estate.objects, parseSubject(q.subject, q.groups ?? [])))}`,
        );
      }
    };
    for (let i = 0; i < questions.length; i += 25) await Promise.all(questions.slice(i, i + 25).map(one));
    process.stdout.write(`rbac property: ${questions.length} questions, ${allowed} allowed by the server, ${orderDependent.size} order-dependent estates (files not compared)\n`);

    expect(disagreements).toEqual([]);
    expect(questions.length).toBeGreaterThanOrEqual(300);
    // Both answers must be exercised, or agreement would prove little.
    expect(allowed).toBeGreaterThan(questions.length / 50);
    expect(questions.length - allowed).toBeGreaterThan(questions.length / 50);
  }, 300_000);
});

// ---- the estate generator ----
const VERBS = ['get', 'list', 'create', 'delete', 'patch', '*'];
const GROUPS = ['', 'apps', '*'];
const RESOURCES = ['pods', 'pods/exec', 'pods/log', 'secrets', 'deployments', '*', '*/status'];
const URLS = ['/healthz', '/logs*', '/logs**', '**', '/api/*', '/version', '*', '/metrics'];
const TAGS = ['x', 'y', 'z'];

const arbRule = fc.oneof(
  { weight: 4, arbitrary: fc.record({ verbs: fc.subarray(VERBS, { minLength: 1, maxLength: 3 }), apiGroups: fc.subarray(GROUPS, { minLength: 1, maxLength: 2 }), resources: fc.subarray(RESOURCES, { minLength: 1, maxLength: 3 }), names: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ verbs: fc.subarray(['get', 'post', '*'], { minLength: 1, maxLength: 2 }), urls: fc.subarray(URLS, { minLength: 1, maxLength: 2 }) }) },
);
const arbRules = fc.array(arbRule, { maxLength: 2 });
const arbSubject = fc.oneof(
  fc.record({ kind: fc.constant('User' as const), name: fc.constantFrom('alice', 'bob') }),
  fc.record({ kind: fc.constant('Group' as const), name: fc.constantFrom('devs', 'ops', 'sa-a') }),
  fc.record({ kind: fc.constant('ServiceAccount' as const), name: fc.constantFrom('sa1', 'sa2'), ns: fc.constantFrom('a', 'b', '') }),
);
const arbEstate = fc.record({
  clusterRoles: fc.array(
    fc.record({
      rules: arbRules,
      tag: fc.option(fc.constantFrom(...TAGS), { nil: undefined }),
      selects: fc.option(fc.subarray(TAGS, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    }),
    { minLength: 2, maxLength: 5 },
  ),
  roles: fc.array(fc.record({ ns: fc.constantFrom('a', 'b'), rules: arbRules }), { maxLength: 2 }),
  roleBindings: fc.array(fc.record({ ns: fc.constantFrom('a', 'b'), ref: fc.nat(8), toRole: fc.boolean(), subjects: fc.array(arbSubject, { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 3 }),
  clusterRoleBindings: fc.array(fc.record({ ref: fc.nat(8), subjects: fc.array(arbSubject, { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 3 }),
});
type Estate = typeof arbEstate extends fc.Arbitrary<infer T> ? T : never;

interface Materialized {
  prefix: string;
  objects: Obj[];
}

/** An estate as Kubernetes objects, every name, label and subject under `prefix`, so estates never touch each other. */
function materialize(e: Estate, prefix: string): Materialized {
  const toRule = (r: (typeof e.clusterRoles)[number]['rules'][number]): V1PolicyRule =>
    'urls' in r ? { verbs: r.verbs, nonResourceURLs: r.urls } : { verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources, ...(r.names ? { resourceNames: ['n1'] } : {}) };
  const label = `${prefix}/tier`;
  const objects: Obj[] = [];
  // Aggregation without cycles: a tagged role selects only tags before its own (x < y < z), so no two roles
  // select each other. In a cycle (c1 tagged x selects y, c2 tagged y selects x) the controller copies each
  // role's rules into the other, and the rules it reads are the ones it wrote a moment before: the stored
  // rules need never reach a fixed point (seed 687779709 never settled). Two roles tagged x that both
  // select x are such a cycle too. Chains stay (admin selects edit, which is aggregated itself).
  const selectsOf = (c: (typeof e.clusterRoles)[number]): string[] | undefined => {
    const allowed = c.selects?.filter((t) => !c.tag || TAGS.indexOf(t) < TAGS.indexOf(c.tag));
    return allowed?.length ? allowed : undefined;
  };
  e.clusterRoles.forEach((c, i) => {
    const selects = selectsOf(c);
    objects.push({
      apiVersion: `${API_GROUP}/v1`,
      kind: 'ClusterRole',
      metadata: { name: `${prefix}-c${i}`, ...(c.tag ? { labels: { [label]: c.tag } } : {}) },
      rules: c.rules.map(toRule),
      ...(selects ? { aggregationRule: { clusterRoleSelectors: selects.map((t, j) => (j === 0 ? { matchLabels: { [label]: t } } : { matchExpressions: [{ key: label, operator: 'In', values: [t] }] })) } } : {}),
    });
  });
  // The API server refuses non-resource URLs in a namespaced Role.
  e.roles.forEach((r, i) => objects.push({ apiVersion: `${API_GROUP}/v1`, kind: 'Role', metadata: { name: `${prefix}-r${i}`, namespace: `${prefix}-${r.ns}` }, rules: r.rules.filter((x) => !('urls' in x)).map(toRule) }));
  const subject = (s: (typeof e.roleBindings)[number]['subjects'][number], clusterScoped: boolean): V1Subject => {
    if (s.kind === 'ServiceAccount') return { kind: 'ServiceAccount', name: s.name, ...(s.ns || clusterScoped ? { namespace: `${prefix}-${s.ns || 'a'}` } : {}) };
    if (s.kind === 'Group') return G(s.name === 'sa-a' ? `system:serviceaccounts:${prefix}-a` : `${prefix}-${s.name}`);
    return U(`${prefix}-${s.name}`);
  };
  // A reference past the generated roles names a role that does not exist: such a binding grants nothing.
  e.roleBindings.forEach((b, i) => {
    const roleKind = b.toRole ? 'Role' : 'ClusterRole';
    const name = b.toRole ? `${prefix}-r${b.ref % 3}` : `${prefix}-c${b.ref % 6}`;
    objects.push({ apiVersion: `${API_GROUP}/v1`, kind: 'RoleBinding', metadata: { name: `${prefix}-rb${i}`, namespace: `${prefix}-${b.ns}` }, roleRef: { apiGroup: API_GROUP, kind: roleKind, name }, subjects: b.subjects.map((s) => subject(s, false)) });
  });
  e.clusterRoleBindings.forEach((b, i) => objects.push(crb(`${prefix}-crb${i}`, `${prefix}-c${b.ref % 6}`, b.subjects.map((s) => subject(s, true)))));
  return { prefix, objects };
}

function arbQuestion(prefix: string) {
  return fc.record({
    subject: fc.constantFrom(`user:${prefix}-alice`, `user:${prefix}-bob`, `group:${prefix}-ops`, `system:serviceaccount:${prefix}-a:sa1`, `system:serviceaccount:${prefix}-b:sa2`, `system:serviceaccount:${prefix}-a:sa2`),
    groups: fc.constantFrom<string[]>([], [`${prefix}-devs`], [`${prefix}-ops`, `${prefix}-devs`]),
    verb: fc.constantFrom('get', 'list', 'create', 'delete', 'patch', 'post'),
    resource: fc.constantFrom('pods', 'pods/exec', 'pods/log', 'secrets', 'deployments', 'deployments/status', 'nodes', '/healthz', '/logs', '/logs/x', '/logsfoo', '/api/v1', '/version', '/metrics'),
    namespace: fc.constantFrom<string | undefined>(`${prefix}-a`, `${prefix}-b`, undefined),
    name: fc.constantFrom<string | undefined>(undefined, 'n1', 'n2'),
  }).map((q) => (q.resource.startsWith('/') ? { subject: q.subject, groups: q.groups, verb: q.verb, resource: q.resource } : q)) as fc.Arbitrary<{ subject: string; groups: string[]; verb: string; resource: string; namespace?: string; name?: string }>;
}

/** The objects a question can depend on: the bindings naming the principal, the roles they reference, and every ClusterRole (aggregation parts). */
function minimalObjects(objects: readonly Obj[], p: Principal): Obj[] {
  const names = (o: Obj) => ((o['subjects'] as V1Subject[] | undefined) ?? []).some((s) => (s.kind === 'Group' ? p.groups.includes(s.name) : s.kind === 'User' ? s.name === p.user : p.user === `system:serviceaccount:${s.namespace ?? o.metadata.namespace}:${s.name}`));
  const bindings = objects.filter((o) => o.kind.endsWith('Binding') && names(o));
  const refs = new Set(bindings.map((b) => (b['roleRef'] as { name: string }).name));
  return [...bindings, ...objects.filter((o) => (o.kind === 'Role' && refs.has(o.metadata.name)) || o.kind === 'ClusterRole')];
}
