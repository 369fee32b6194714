/** Audit log evidence: which events count, who they are attributed to, what is never kept, and the Role built from them. */
import { aggregateAudit, auditRecords, auditSyncId } from '../../../src/collectors/kubernetes/audit.js';
import { InputError } from '../../../src/errors.js';
import { leastPrivilegeRbac, type RbacRow } from '../../../src/risk/least-privilege.js';

const event = (over: Record<string, unknown> = {}) => ({
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'RequestResponse',
  auditID: 'a1',
  stage: 'ResponseComplete',
  requestURI: '/api/v1/namespaces/shop/secrets/db?token=abc',
  verb: 'get',
  user: { username: 'system:serviceaccount:shop:api', groups: ['system:serviceaccounts'] },
  userAgent: 'kubectl',
  objectRef: { resource: 'secrets', namespace: 'shop', name: 'db', apiVersion: 'v1' },
  responseStatus: { code: 200 },
  responseObject: { kind: 'Secret', data: { password: 'c3VwZXItc2VjcmV0' } },
  requestReceivedTimestamp: '2026-11-26T10:00:00.000000Z',
  ...over,
});
const lines = (...vs: unknown[]) => vs.map((value, i) => ({ line: i + 1, value }));

describe('aggregateAudit', () => {
  test('given one request logged at two stages, then it counts once, at ResponseComplete', () => {
    const ev = aggregateAudit(lines(event({ stage: 'RequestReceived' }), event()), 'a.log');
    expect(ev.events).toBe(1);
    expect(ev.calls).toEqual([{ user: 'system:serviceaccount:shop:api', verb: 'get', apiGroup: '', resource: 'secrets', subresource: '', namespace: 'shop', path: '', allowed: true, count: 1, firstSeen: '2026-11-26T10:00:00.000Z', lastSeen: '2026-11-26T10:00:00.000Z' }]);
  });

  test('given an impersonated request, then it is the impersonated identity\'s (the one RBAC authorized)', () => {
    const ev = aggregateAudit(lines(event({ user: { username: 'admin' }, impersonatedUser: { username: 'system:serviceaccount:shop:web' } })), 'a.log');
    expect(ev.calls[0]!.user).toBe('system:serviceaccount:shop:web');
  });

  test('given a 403 and a non-resource request, then the first is not allowed and the second keeps only its path', () => {
    const ev = aggregateAudit(lines(event({ responseStatus: { code: 403 } }), event({ auditID: 'a2', verb: 'get', objectRef: null, requestURI: '/healthz?verbose=1' })), 'a.log');
    expect(ev.calls.map((c) => [c.allowed, c.resource, c.path])).toEqual([
      [false, 'secrets', ''],
      [true, '', '/healthz'],
    ]);
  });

  test('given a line that is not an audit event, then the error names the file, the line and the field', () => {
    expect(() => aggregateAudit(lines(event(), { kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: 'x', stage: 'ResponseComplete', user: {}, requestReceivedTimestamp: 'now' }), 'audit.log')).toThrow(InputError);
    expect(() => aggregateAudit(lines(event(), { kind: 'Pod' }), 'audit.log')).toThrow(/^audit\.log:2: not an audit\.k8s\.io Event: field `kind`/);
  });

  test('given a RequestResponse-level log with a secret in the body, then no body, query string or user agent reaches the records', () => {
    const ev = aggregateAudit(lines(event()), 'a.log');
    const text = JSON.stringify(auditRecords('c1', ev));
    expect(text).not.toContain('c3VwZXItc2VjcmV0');
    expect(text).not.toContain('token=abc');
    expect(text).not.toContain('kubectl');
    expect(text).not.toContain('"db"');
  });

  test('the sync id depends on the cluster and the first event only, so a grown log replaces its counts', () => {
    const a = aggregateAudit(lines(event()), 'a.log');
    const b = aggregateAudit(lines(event(), event({ auditID: 'a2' })), 'a.log');
    expect(auditSyncId('c1', a)).toBe(auditSyncId('c1', b));
    expect(auditSyncId('c2', a)).not.toBe(auditSyncId('c1', a));
  });
});

describe('leastPrivilegeRbac', () => {
  const req = (verb: string, resource: string, namespace: string, allowed = true) => ({ verb, apiGroup: '', resource, subresource: '', namespace, path: '', allowed, count: 1, lastSeen: null });
  const row = (over: Partial<RbacRow> = {}): RbacRow => ({
    serviceAccount: 'c1/shop/api',
    cluster: 'c1',
    namespace: 'shop',
    name: 'api',
    requests: [req('get', 'configmaps', 'shop'), req('get', 'configmaps', 'other')],
    windows: [{ from: '2026-11-26T00:00:00Z', to: '2026-11-27T00:00:00Z', events: 2 }],
    grants: [{ binding: 'c1/shop/rb', bindingKind: 'RoleBinding', bindingNamespace: 'shop', role: 'c1/shop/r', rules: JSON.stringify([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }]), via: 'api' }],
    ...over,
  });

  test('a RoleBinding\'s rule is used only by requests in its own namespace', () => {
    const [lp] = leastPrivilegeRbac([row()]);
    expect(lp!.diff.keep.map((k) => k.usedVerbs)).toEqual([['get']]);
    expect(lp!.diff.remove.map((r) => [r.verbs, r.status])).toEqual([[['list'], 'unused']]);
    expect(lp!.manifests.filter((m) => m.kind === 'Role').map((m) => (m.metadata as { namespace: string }).namespace)).toEqual(['other', 'shop']);
  });

  test('without an audit window, an unrequested verb is unknown, not unused', () => {
    const [lp] = leastPrivilegeRbac([row({ requests: [], windows: [] })]);
    expect(lp!.diff.remove.map((r) => r.status)).toEqual(['unknown']);
    expect(lp!.manifests).toEqual([]);
  });

  test('a rule limited to resourceNames counts as used when its verb and resource were (names are not in the evidence)', () => {
    const [lp] = leastPrivilegeRbac([row({ grants: [{ binding: 'b', bindingKind: 'ClusterRoleBinding', bindingNamespace: null, role: 'r', rules: JSON.stringify([{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['x'], verbs: ['get'] }]), via: 'api' }] })]);
    expect(lp!.diff.remove).toEqual([]);
  });
});
