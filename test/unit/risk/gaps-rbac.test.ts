import { rbacGaps, type RbacGapRow } from '../../../src/risk/gaps-rbac.js';

const METADATA = JSON.stringify({ omitStages: [], rules: [{ level: 'Metadata', users: [], userGroups: [], verbs: [], resources: [], namespaces: [], nonResourceURLs: [], omitStages: [] }] });
const ONLY_APP = JSON.stringify({ omitStages: [], rules: [{ level: 'Metadata', users: [], userGroups: [], verbs: [], resources: [], namespaces: ['app'], nonResourceURLs: [], omitStages: [] }] });
const W1 = { id: 'k8s-audit:c:1', from: '2026-11-20T10:00:00.000Z', to: '2026-11-20T12:00:00.000Z', events: 10, policy: METADATA };
const req = (verb: string, resource: string, namespace: string, o: Partial<RbacGapRow['requests'][number]> = {}) => ({
  verb, apiGroup: '', resource, subresource: '', namespace, path: '', allowed: true, count: 1, firstSeen: '2026-11-20T11:00:00Z', lastSeen: '2026-11-20T11:00:00Z', ...o,
});
const row = (o: Partial<RbacGapRow>): RbacGapRow => ({ serviceAccount: 'c/app/worker', cluster: 'c', namespace: 'app', name: 'worker', requests: [], windows: [W1], grants: [], ...o });
const roleBinding = (rules: unknown[]) => ({ binding: 'c/app/rb', bindingKind: 'RoleBinding' as const, bindingNamespace: 'app', role: 'c/app/r', rules: JSON.stringify(rules) });
const clusterBinding = (rules: unknown[]) => ({ binding: 'c/crb', bindingKind: 'ClusterRoleBinding' as const, bindingNamespace: null, role: 'c/cr', rules: JSON.stringify(rules) });
const verdicts = (r: ReturnType<typeof rbacGaps>) => r.grantedUnused.map((g) => `${g.status} ${g.grant}`).sort();

describe('rbacGaps', () => {
  test('given a RoleBinding, when the only request is in another namespace, then its grant is unused and the request undeclared', () => {
    const r = rbacGaps([row({ grants: [roleBinding([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }])], requests: [req('get', 'configmaps', 'other')] })], undefined);
    expect(verdicts(r)).toEqual(['unused get configmaps in app']);
    expect(r.doneUndeclared.map((d) => d.observed)).toEqual(['get configmaps in other']);
    expect(r.completeness).toEqual({ complete: true });
  });

  test('given a grant limited by resourceNames, when the resource was requested (names are not in the evidence), then it counts as used', () => {
    const r = rbacGaps([row({ grants: [roleBinding([{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get', 'update'] }])], requests: [req('get', 'configmaps', 'app')] })], undefined);
    expect(verdicts(r)).toEqual(['unused update configmaps [settings] in app']);
  });

  test('given a policy logging only namespace app, then a ClusterRoleBinding grant everywhere is unknown while the RoleBinding one is unused', () => {
    const rules = [{ apiGroups: [''], resources: ['pods'], verbs: ['delete'] }];
    const r = rbacGaps([row({ windows: [{ ...W1, policy: ONLY_APP }], grants: [roleBinding(rules), clusterBinding(rules)] })], undefined);
    expect(verdicts(r)).toEqual(['unknown delete pods (all namespaces)', 'unused delete pods in app']);
    expect(r.grantedUnused.find((g) => g.status === 'unknown')!.reason).toMatch(/logs only some of them/);
    expect(r.completeness.complete).toBe(false);
  });

  test('given two logs of the window, when one was collected without its policy, then nothing is unused', () => {
    const W2 = { id: 'k8s-audit:c:2', from: '2026-11-20T12:00:00.000Z', to: '2026-11-20T14:00:00.000Z', events: 3, policy: null };
    const r = rbacGaps([row({ windows: [W1, W2], grants: [roleBinding([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])] })], undefined);
    expect(verdicts(r)).toEqual(['unknown get pods in app']);
    expect(r.window).toEqual({ from: W1.from, to: W2.to });
    expect(r.grantedUnused[0]!.reason).toMatch(/k8s-audit:c:2 is not known/);
  });

  test('given requests outside the evidence window, then they neither use a grant nor count as undeclared', () => {
    const r = rbacGaps(
      [row({ grants: [roleBinding([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])], requests: [req('get', 'pods', 'app', { firstSeen: '2026-11-19T08:00:00Z', lastSeen: '2026-11-19T09:00:00Z' }), req('list', 'pods', 'app', { allowed: false, firstSeen: '2026-11-19T08:00:00Z', lastSeen: '2026-11-19T09:00:00Z' })] })],
      { from: '2026-11-20T10:00:00.000Z', to: '2026-11-20T12:00:00.000Z' },
    );
    expect(verdicts(r)).toEqual(['unused get pods in app']);
    expect(r.doneUndeclared).toEqual([]);
  });

  test('given no service account, then the domain says so and lists nothing', () => {
    expect(rbacGaps([], undefined)).toEqual({ window: undefined, completeness: { complete: false, reason: 'the subject has no Kubernetes service account' }, grantedUnused: [], doneUndeclared: [] });
  });
});
