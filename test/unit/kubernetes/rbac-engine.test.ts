/** The RBAC engine: rule matching tables and the laws of the authorizer (fast-check). */
import fc from 'fast-check';
import { aggregateClusterRoles, aggregationDrift, RbacIndex, ruleAllows, serviceAccountPrincipal } from '../../../src/identity/kubernetes/rbac/engine.js';
import { rbacStateFrom } from '../../../src/identity/kubernetes/rbac/from-objects.js';
import { resolveResource } from '../../../src/identity/kubernetes/rbac/resources.js';
import { parseSubject } from '../../../src/identity/kubernetes/rbac/subject.js';
import type { PolicyRule, Principal, RbacState, ResourceRequest } from '../../../src/identity/kubernetes/rbac/types.js';

const R = (p: Partial<PolicyRule>): PolicyRule => ({ verbs: [], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [], ...p });
const req = (p: Partial<ResourceRequest>): ResourceRequest => ({ kind: 'resource', verb: 'get', apiGroup: '', resource: 'pods', subresource: '', namespace: 'default', name: '', ...p });

describe('rule matching', () => {
  test.each([
    ['* resource matches a subresource', R({ verbs: ['get'], apiGroups: [''], resources: ['*'] }), req({ subresource: 'log' }), true],
    ['pods/* is not a wildcard', R({ verbs: ['create'], apiGroups: [''], resources: ['pods/*'] }), req({ verb: 'create', subresource: 'exec' }), false],
    ['*/exec matches pods/exec', R({ verbs: ['create'], apiGroups: [''], resources: ['*/exec'] }), req({ verb: 'create', subresource: 'exec' }), true],
    ['*/exec does not match pods', R({ verbs: ['create'], apiGroups: [''], resources: ['*/exec'] }), req({ verb: 'create' }), false],
    ['pods does not match pods/exec', R({ verbs: ['create'], apiGroups: [''], resources: ['pods'] }), req({ verb: 'create', subresource: 'exec' }), false],
    ['group must match', R({ verbs: ['get'], apiGroups: ['apps'], resources: ['pods'] }), req({}), false],
    ['* group', R({ verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] }), req({ apiGroup: 'apps', resource: 'deployments' }), true],
    ['* verb', R({ verbs: ['*'], apiGroups: [''], resources: ['pods'] }), req({ verb: 'escalate' }), true],
    ['verb * asked literally needs *', R({ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }), req({ verb: '*' }), false],
    ['resourceNames need a name', R({ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }), req({}), false],
    ['resourceNames match the name', R({ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }), req({ name: 'a' }), true],
    ['resourceNames other name', R({ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }), req({ name: 'b' }), false],
    ['no resources: a non-resource rule never matches a resource request', R({ verbs: ['get'], nonResourceURLs: ['*'] }), req({}), false],
  ])('%s', (_name, rule, request, expected) => {
    expect(ruleAllows(rule, request)).toBe(expected);
  });

  test.each([
    ['/healthz', '/healthz', true],
    ['/healthz/*', '/healthz/etcd', true],
    ['/healthz/*', '/healthz', false],
    ['/logs*', '/logs', true],
    ['*', '/anything', true],
    ['/api', '/apis', false],
    // The API server strips every trailing `*` (strings.TrimRight), not one (issue 17, departure 2).
    ['**', '/version/', true],
    ['**', '/healthz', true],
    ['**', '/', true],
    ['/logs**', '/logs', true],
    ['/logs**', '/logs/kube.log', true],
    ['/logs**', '/logsfoo', true],
    ['/logs**', '/log', false],
    ['/logs/***', '/logs', false],
    ['/logs/***', '/logs/', true],
    ['/*/x', '/a/x', false],
  ])('non-resource URL %s vs %s', (pattern, path, expected) => {
    expect(ruleAllows(R({ verbs: ['get'], nonResourceURLs: [pattern] }), { kind: 'nonResource', verb: 'get', path })).toBe(expected);
  });
});

describe('resource names as kubectl resolves them', () => {
  test.each([
    ['pods', '', 'pods', ''],
    ['pods/exec', '', 'pods', 'exec'],
    ['deployments', 'apps', 'deployments', ''],
    ['deploy', 'apps', 'deployments', ''],
    ['deployment', 'apps', 'deployments', ''],
    ['deployments.apps/scale', 'apps', 'deployments', 'scale'],
    ['deployments.v1.apps', 'apps', 'deployments', ''],
    ['jobs', 'batch', 'jobs', ''],
    ['cronjobs.batch', 'batch', 'cronjobs', ''],
    ['events', '', 'events', ''],
    ['events.events.k8s.io', 'events.k8s.io', 'events', ''],
    ['ingresses', 'networking.k8s.io', 'ingresses', ''],
    ['netpol', 'networking.k8s.io', 'networkpolicies', ''],
    ['clusterroles', 'rbac.authorization.k8s.io', 'clusterroles', ''],
    ['sa', '', 'serviceaccounts', ''],
    ['serviceaccounts/token', '', 'serviceaccounts', 'token'],
    ['*', '', '*', ''],
    ['widgets.example.com', 'example.com', 'widgets', ''],
  ])('%s → group %s resource %s sub %s', (arg, group, resource, sub) => {
    const r = resolveResource(arg);
    expect([r.apiGroup, r.resource, r.subresource]).toEqual([group, resource, sub]);
  });
  test('an unknown bare name is asked in the core group, with the kubectl warning', () => {
    const r = resolveResource('widgets');
    expect([r.apiGroup, r.resource]).toEqual(['', 'widgets']);
    expect(r.warning).toMatch(/doesn't have a resource type 'widgets'/);
  });
});

describe('subjects', () => {
  test('a service account gets its implicit groups', () => {
    expect(parseSubject('system:serviceaccount:ns1:builder')).toEqual({ user: 'system:serviceaccount:ns1:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated'] });
  });
  test('a user gets --group values plus system:authenticated', () => {
    expect(parseSubject('user:alice', ['devs'])).toEqual({ user: 'alice', groups: ['devs', 'system:authenticated'] });
  });
  // issue 17, departure 3: the implicit groups of impersonation.go / the anonymous authenticator.
  test('system:anonymous gets system:unauthenticated, never system:authenticated', () => {
    expect(parseSubject('user:system:anonymous')).toEqual({ user: 'system:anonymous', groups: ['system:unauthenticated'] });
    expect(parseSubject('user:system:anonymous', ['x'])).toEqual({ user: 'system:anonymous', groups: ['x', 'system:unauthenticated'] });
  });
  test('an explicit system:unauthenticated (or system:authenticated) group stops the system:authenticated default', () => {
    expect(parseSubject('user:bob', ['system:unauthenticated'])).toEqual({ user: 'bob', groups: ['system:unauthenticated'] });
    expect(parseSubject('user:bob', ['system:authenticated', 'devs'])).toEqual({ user: 'bob', groups: ['system:authenticated', 'devs'] });
  });
  test('--group replaces a service account\'s own groups, as --as-group does', () => {
    expect(parseSubject('system:serviceaccount:ns1:builder', ['ops'])).toEqual({ user: 'system:serviceaccount:ns1:builder', groups: ['ops', 'system:authenticated'] });
  });
  test('a group is asked alone', () => {
    expect(parseSubject('group:ops')).toEqual({ user: '', groups: ['ops'] });
  });
  test.each(['alice', 'system:serviceaccount:ns', 'user:', 'group:'])('bad subject %s names the input', (s) => {
    expect(() => parseSubject(s)).toThrow(/SUBJECT/);
  });
});

// ---- property-based laws ----
const verbs = ['get', 'list', 'create', 'delete', 'impersonate', '*'];
const groups = ['', 'apps', '*'];
const resources = ['pods', 'pods/exec', 'secrets', 'deployments', '*', '*/status'];
const namespaces = ['a', 'b'];
const arbRule = fc.record({
  verbs: fc.subarray(verbs, { minLength: 1 }),
  apiGroups: fc.subarray(groups, { minLength: 1 }),
  resources: fc.subarray(resources, { minLength: 1 }),
  resourceNames: fc.oneof(fc.constant([] as string[]), fc.subarray(['x', 'y'], { minLength: 1 })),
  nonResourceURLs: fc.constant([] as string[]),
});
const arbSubject = fc.oneof(
  fc.record({ kind: fc.constant('User'), name: fc.constantFrom('alice', 'bob') }),
  fc.record({ kind: fc.constant('Group'), name: fc.constantFrom('devs', 'system:serviceaccounts', 'system:authenticated') }),
  fc.record({ kind: fc.constant('ServiceAccount'), name: fc.constantFrom('sa1', 'sa2'), namespace: fc.constantFrom(...namespaces) }),
);
const arbState: fc.Arbitrary<RbacState> = fc
  .record({
    roles: fc.array(fc.record({ ns: fc.constantFrom(...namespaces), name: fc.constantFrom('r1', 'r2'), rules: fc.array(arbRule, { maxLength: 3 }) }), { maxLength: 3 }),
    clusterRoles: fc.array(fc.record({ name: fc.constantFrom('c1', 'c2', 'c3'), label: fc.constantFrom('x', 'y'), rules: fc.array(arbRule, { maxLength: 3 }), aggregate: fc.option(fc.constantFrom('x', 'y')) }), { maxLength: 3 }),
    roleBindings: fc.array(fc.record({ ns: fc.constantFrom(...namespaces), roleKind: fc.constantFrom('Role', 'ClusterRole'), role: fc.constantFrom('r1', 'r2', 'c1', 'c2', 'c3'), subjects: fc.array(arbSubject, { minLength: 1, maxLength: 3 }) }), { maxLength: 4 }),
    clusterRoleBindings: fc.array(fc.record({ role: fc.constantFrom('c1', 'c2', 'c3'), subjects: fc.array(arbSubject, { minLength: 1, maxLength: 3 }) }), { maxLength: 3 }),
  })
  .map((s) =>
    rbacStateFrom({
      roles: s.roles.map((r) => ({ metadata: { name: r.name, namespace: r.ns }, rules: r.rules })),
      clusterRoles: dedupeBy(s.clusterRoles, (c) => c.name).map((c) => ({
        metadata: { name: c.name, labels: { tier: c.label } },
        rules: c.rules,
        ...(c.aggregate ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { tier: c.aggregate } }] } } : {}),
      })),
      roleBindings: s.roleBindings.map((b, i) => ({ metadata: { name: `rb${i}`, namespace: b.ns }, roleRef: { kind: b.roleKind, name: b.role }, subjects: b.subjects })),
      clusterRoleBindings: s.clusterRoleBindings.map((b, i) => ({ metadata: { name: `crb${i}` }, roleRef: { kind: 'ClusterRole', name: b.role }, subjects: b.subjects })),
    }),
  );
function dedupeBy<T>(xs: T[], k: (x: T) => string): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => (seen.has(k(x)) ? false : (seen.add(k(x)), true)));
}
const arbPrincipal: fc.Arbitrary<Principal> = fc.oneof(
  fc.record({ ns: fc.constantFrom(...namespaces), name: fc.constantFrom('sa1', 'sa2') }).map(({ ns, name }) => serviceAccountPrincipal(ns, name)),
  fc.record({ user: fc.constantFrom('alice', 'bob'), groups: fc.subarray(['devs', 'system:authenticated']) }),
);
const arbRequest: fc.Arbitrary<ResourceRequest> = fc.record({
  kind: fc.constant('resource' as const),
  verb: fc.constantFrom(...verbs),
  apiGroup: fc.constantFrom('', 'apps'),
  resource: fc.constantFrom('pods', 'secrets', 'deployments'),
  subresource: fc.constantFrom('', 'exec', 'status'),
  namespace: fc.constantFrom('a', 'b', ''),
  name: fc.constantFrom('', 'x', 'z'),
});

describe('laws', () => {
  test('adding a binding never takes a permission away', () => {
    fc.assert(
      fc.property(arbState, arbSubject, fc.constantFrom('c1', 'c2', 'r1'), fc.constantFrom('a', 'b', ''), arbPrincipal, arbRequest, (state, subject, role, ns, p, r) => {
        const before = new RbacIndex(state).authorize(p, r).allowed;
        const extra = rbacStateFrom({
          roles: [],
          clusterRoles: [],
          roleBindings: ns ? [{ metadata: { name: 'extra', namespace: ns }, roleRef: { kind: role.startsWith('c') ? 'ClusterRole' : 'Role', name: role }, subjects: [subject] }] : [],
          clusterRoleBindings: ns ? [] : [{ metadata: { name: 'extra' }, roleRef: { kind: 'ClusterRole', name: role.startsWith('c') ? role : 'c1' }, subjects: [subject] }],
        });
        const after = new RbacIndex({ ...state, roleBindings: [...state.roleBindings, ...extra.roleBindings], clusterRoleBindings: [...state.clusterRoleBindings, ...extra.clusterRoleBindings] }).authorize(p, r).allowed;
        return !before || after;
      }),
      { numRuns: 300 },
    );
  });

  test('without bindings nothing is allowed (but system:masters is)', () => {
    fc.assert(
      fc.property(arbState, arbPrincipal, arbRequest, (state, p, r) => {
        const bare = new RbacIndex({ ...state, roleBindings: [], clusterRoleBindings: [] });
        return !bare.authorize(p, r).allowed && bare.authorize({ ...p, groups: [...p.groups, 'system:masters'] }, r).allowed;
      }),
      { numRuns: 200 },
    );
  });

  test('a RoleBinding never grants outside its namespace', () => {
    fc.assert(
      fc.property(arbState, arbPrincipal, arbRequest, (state, p, r) => {
        const onlyRb = new RbacIndex({ ...state, clusterRoleBindings: [] });
        const d = onlyRb.authorize(p, r);
        if (!d.allowed) return true;
        return r.namespace !== '' && d.reasons.every((x) => x.binding.startsWith(`RoleBinding/${r.namespace}/`));
      }),
      { numRuns: 300 },
    );
  });

  test('every reason names a rule that allows the request, and allowed ⇔ some reason', () => {
    fc.assert(
      fc.property(arbState, arbPrincipal, arbRequest, (state, p, r) => {
        const d = new RbacIndex(state).authorize(p, r);
        const rules = d.reasons.map((x) => R({ verbs: x.rule.verbs, apiGroups: x.rule.apiGroups ?? [], resources: x.rule.resources ?? [], resourceNames: x.rule.resourceNames ?? [] }));
        return d.allowed === d.reasons.length > 0 && rules.every((rule) => ruleAllows(rule, r));
      }),
      { numRuns: 300 },
    );
  });

  test('an aggregated ClusterRole allows what the roles it selects allow; with nothing selected it keeps its own rules (or none, once written)', () => {
    fc.assert(
      fc.property(arbState, arbRequest, (state, r) => {
        const agg = state.clusterRoles.filter((c) => c.aggregationRule);
        const eff = aggregateClusterRoles(state.clusterRoles);
        return agg.every((a) => {
          const mine = eff.get(a.metadata.name) ?? [];
          const viaAgg = mine.some((rule) => ruleAllows(rule, r));
          const selected = state.clusterRoles.filter((c) => c.metadata.name !== a.metadata.name && a.aggregationRule!.clusterRoleSelectors!.some((s) => c.metadata.labels?.tier === s.matchLabels?.tier));
          const partRules = selected.flatMap((c) => eff.get(c.metadata.name) ?? []);
          if (partRules.length === 0) return mine.length === 0 || mine === a.rules;
          return viaAgg === partRules.some((rule) => ruleAllows(rule, r));
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('aggregated ClusterRoles (issue 17, departure 1)', () => {
  const cr = (name: string, o: { labels?: Record<string, string>; rules?: PolicyRule[]; select?: Record<string, string>[] } = {}) => ({
    metadata: { name, ...(o.labels ? { labels: o.labels } : {}) },
    rules: o.rules ?? [],
    ...(o.select ? { aggregationRule: { clusterRoleSelectors: o.select.map((matchLabels) => ({ matchLabels })) } } : {}),
  });
  const del = R({ verbs: ['delete'], apiGroups: [''], resources: ['pods'] });
  const get = R({ verbs: ['get'], apiGroups: [''], resources: ['pods'] });
  const state = (clusterRoles: object[], aggregation?: 'stored' | 'controller') =>
    rbacStateFrom({ roles: [], roleBindings: [], clusterRoles, clusterRoleBindings: [{ metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'agg' }, subjects: [{ kind: 'Group', name: 'g' }] }] }, undefined, aggregation);
  const canDelete = (s: RbacState) => new RbacIndex(s).authorize({ user: 'u', groups: ['g'] }, req({ verb: 'delete' })).allowed;

  test('selectors matching no ClusterRole: the role keeps its own rules', () => {
    expect(canDelete(state([cr('agg', { rules: [del], select: [{ none: 'x' }] })]))).toBe(true);
  });
  test('selectors matching only roles with rules: []: the role keeps its own rules', () => {
    expect(canDelete(state([cr('agg', { rules: [del], select: [{ a: 'x' }] }), cr('empty', { labels: { a: 'x' } })]))).toBe(true);
  });
  test('counter-case: a selection with rules replaces the own rules', () => {
    expect(canDelete(state([cr('agg', { rules: [del], select: [{ a: 'x' }] }), cr('part', { labels: { a: 'x' }, rules: [get] })]))).toBe(false);
  });
  test('kept rules travel on: an aggregated role with its own rules, selected by another aggregated role', () => {
    const s = state([cr('agg', { select: [{ up: 'view' }] }), cr('inner', { labels: { up: 'view' }, rules: [del], select: [{ none: 'x' }] })]);
    expect(canDelete(s)).toBe(true);
    expect(aggregateClusterRoles(s.clusterRoles).get('inner')).toEqual([del]);
  });
  test('from a live cluster: the stored rules, whatever the selectors give', () => {
    const roles = [cr('agg', { rules: [del], select: [{ a: 'x' }] }), cr('part', { labels: { a: 'x' }, rules: [get] })];
    expect(canDelete(state(roles, 'stored'))).toBe(true);
    expect(aggregationDrift(state(roles, 'stored').clusterRoles)).toEqual([{ name: 'agg', stored: 1, selected: 1 }]);
    expect(aggregationDrift(state([cr('agg', { rules: [del], select: [{ none: 'x' }] })]).clusterRoles)).toEqual([]);
  });
});

describe('the collector reads a live cluster by its stored rules (issue 17, departure 1)', () => {
  test('snapshotToBatch stores and evaluates the stored rules when told the objects come from a live cluster, the replayed ones from files', async () => {
    const { snapshotToBatch } = await import('../../../src/collectors/kubernetes/transform.js');
    const { emptySnapshot } = await import('../../../src/collectors/kubernetes/collect.js');
    const snapshot = {
      ...emptySnapshot(),
      clusterRoles: [
        // Stored as the controller left it: own rules kept (a live read), though the selector now matches a role with rules.
        { kind: 'ClusterRole', metadata: { name: 'agg' }, rules: [{ verbs: ['delete'], apiGroups: [''], resources: ['pods'] }], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'x' } }] } },
        { kind: 'ClusterRole', metadata: { name: 'part', labels: { a: 'x' } }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] },
      ],
    } as never;
    const rulesOf = (b: { nodes: Array<{ label: string; props?: Record<string, unknown> }> }) => JSON.parse(String(b.nodes.find((n) => n.label === 'K8sClusterRole' && n.props?.name === 'agg')!.props!.rules)) as Array<{ verbs: string[] }>;
    expect(rulesOf(snapshotToBatch('c', snapshot, { aggregation: 'stored' })).map((r) => r.verbs)).toEqual([['delete']]);
    expect(rulesOf(snapshotToBatch('c', snapshot)).map((r) => r.verbs)).toEqual([['get']]);
  });
});
