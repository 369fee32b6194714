import { parseAuditPolicy, requestsLogged, type AuditPolicy, type RequestKind } from '../../../src/identity/kubernetes/audit-policy.js';
import { InputError } from '../../../src/errors.js';

const SA = { user: 'system:serviceaccount:app:worker', groups: ['system:serviceaccounts', 'system:serviceaccounts:app', 'system:authenticated'] };
const res = (verb: string, resource: string, namespace: string, apiGroup = ''): RequestKind => ({ kind: 'resource', ...SA, verb, apiGroup, resource, namespace });
const policy = (yaml: string): AuditPolicy => parseAuditPolicy(`apiVersion: audit.k8s.io/v1\nkind: Policy\n${yaml}`, 'policy.yaml');

describe('requestsLogged: the API server audit policy checker, for a kind of request', () => {
  test('given a catch-all Metadata rule, when asked about any grant, then all of it is logged', () => {
    const p = policy('rules:\n- level: Metadata\n');
    expect(requestsLogged(p, res('get', 'configmaps', 'app'))).toEqual({ logged: 'all' });
    expect(requestsLogged(p, res('*', '*', '*', '*'))).toEqual({ logged: 'all' });
    expect(requestsLogged(p, { kind: 'nonResource', ...SA, verb: 'get', path: '/metrics' })).toEqual({ logged: 'all' });
  });

  test('given rules in order, then the first match decides: secrets at None before a catch-all', () => {
    const p = policy('rules:\n- level: None\n  resources: [{group: "", resources: [secrets]}]\n- level: Metadata\n');
    expect(requestsLogged(p, res('get', 'secrets', 'app')).logged).toBe('none');
    expect(requestsLogged(p, res('get', 'secrets', 'app', 'apps')).logged).toBe('all'); // another API group
    expect(requestsLogged(p, res('get', 'configmaps', 'app')).logged).toBe('all');
    // A wildcard grant in the core group includes secrets: only some of it is logged.
    expect(requestsLogged(p, res('get', '*', 'app')).logged).toBe('some');
  });

  test('given no rule matching, then the level is None', () => {
    const p = policy('rules:\n- level: Metadata\n  users: [alice]\n');
    expect(requestsLogged(p, res('get', 'pods', 'app'))).toEqual({ logged: 'none', reason: expect.stringMatching(/no rule/) });
  });

  test('given a rule limited by userGroups, namespaces and verbs, then a matching service account grant is logged and a cluster-wide one only partly', () => {
    const p = policy('rules:\n- level: Request\n  userGroups: [system:serviceaccounts:app]\n  namespaces: [app]\n  verbs: [get, list]\n');
    expect(requestsLogged(p, res('get', 'pods', 'app')).logged).toBe('all');
    expect(requestsLogged(p, res('delete', 'pods', 'app')).logged).toBe('none');
    expect(requestsLogged(p, res('get', 'pods', '*')).logged).toBe('some');
    expect(requestsLogged(p, res('*', 'pods', 'app')).logged).toBe('some');
  });

  test('given a rule naming objects, then requests of the resource are logged only for those names', () => {
    const p = policy('rules:\n- level: Metadata\n  resources: [{group: "", resources: [configmaps], resourceNames: [settings]}]\n');
    expect(requestsLogged(p, res('get', 'configmaps', 'app')).logged).toBe('some');
  });

  test('given the ResponseComplete stage omitted, then nothing the collector counts is logged', () => {
    expect(requestsLogged(policy('omitStages: [ResponseComplete]\nrules:\n- level: Metadata\n'), res('get', 'pods', 'app')).logged).toBe('none');
    expect(requestsLogged(policy('rules:\n- level: Metadata\n  omitStages: [RequestReceived, ResponseComplete]\n'), res('get', 'pods', 'app')).logged).toBe('none');
  });

  test('given subresource and non-resource rules, then they match as the API server does', () => {
    const p = policy('rules:\n- level: None\n  resources: [{group: "", resources: ["*/status"]}]\n- level: None\n  nonResourceURLs: ["/healthz*"]\n- level: Metadata\n');
    expect(requestsLogged(p, res('get', 'pods/status', 'app')).logged).toBe('none');
    expect(requestsLogged(p, res('get', 'pods', 'app')).logged).toBe('all');
    expect(requestsLogged(p, { kind: 'nonResource', ...SA, verb: 'get', path: '/healthz/etcd' }).logged).toBe('none');
    expect(requestsLogged(p, { kind: 'nonResource', ...SA, verb: 'get', path: '/metrics' }).logged).toBe('all');
    expect(requestsLogged(p, { kind: 'nonResource', ...SA, verb: 'get', path: '*' }).logged).toBe('some');
  });

  test('given a file that is not an audit policy, then the error names the file and the field', () => {
    expect(() => parseAuditPolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Loud\n', 'p.yaml')).toThrow(InputError);
    expect(() => parseAuditPolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Loud\n', 'p.yaml')).toThrow(/p\.yaml: .*field `rules\.0\.level`/);
    expect(() => parseAuditPolicy('apiVersion: v1\nkind: ConfigMap\n', 'p.yaml')).toThrow(/p\.yaml: .*field `apiVersion`/);
  });
});
