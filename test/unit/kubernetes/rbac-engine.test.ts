/** The RBAC engine: rule matching tables and the laws of the authorizer (fast-check). */
import fc from 'fast-check';
import { aggregateClusterRoles, RbacIndex, ruleAllows, serviceAccountPrincipal } from '../../../src/identity/kubernetes/rbac/engine.js';
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

  test('an aggregated ClusterRole allows exactly what one of the roles it selects allows', () => {
    fc.assert(
      fc.property(arbState, arbRequest, (state, r) => {
        const agg = state.clusterRoles.filter((c) => c.aggregationRule);
        const eff = aggregateClusterRoles(state.clusterRoles);
        return agg.every((a) => {
          const viaAgg = (eff.get(a.metadata.name) ?? []).some((rule) => ruleAllows(rule, r));
          const selected = state.clusterRoles.filter((c) => c.metadata.name !== a.metadata.name && a.aggregationRule!.clusterRoleSelectors!.some((s) => c.metadata.labels?.tier === s.matchLabels?.tier));
          const viaParts = selected.some((c) => (eff.get(c.metadata.name) ?? []).some((rule) => ruleAllows(rule, r)));
          return viaAgg === viaParts;
        });
      }),
      { numRuns: 300 },
    );
  });
});
