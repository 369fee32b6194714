/** Pod facts, node-escape findings and workload-identity annotations. */
import type { V1Pod } from '@kubernetes/client-node';
import { cloudLinks } from '../../../src/identity/kubernetes/attack/cloud-links.js';
import { nodeEscapes, podFacts } from '../../../src/identity/kubernetes/attack/facts.js';

const pod = (spec: Record<string, unknown>): V1Pod => ({ metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } }) as V1Pod;
const methods = (spec: Record<string, unknown>) => nodeEscapes(podFacts(pod(spec), undefined)).map((e) => e.method).sort();

describe('token mounted', () => {
  test.each([
    [{}, undefined, true],
    [{ automountServiceAccountToken: false }, undefined, false],
    [{}, false, false],
    [{ automountServiceAccountToken: true }, false, true],
    [{ automountServiceAccountToken: false, volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token', audience: 'sts.amazonaws.com' } }] } }] }, undefined, true],
  ])('pod %j with SA automount %s → %s', (spec, saAutomount, expected) => {
    const f = podFacts(pod(spec), saAutomount === undefined ? undefined : { automountServiceAccountToken: saAutomount });
    expect(f.tokenMounted).toBe(expected);
  });
  test('projected audiences are recorded', () => {
    const f = podFacts(pod({ volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token', audience: 'sts.amazonaws.com' } }] } }] }), undefined);
    expect(f.projectedAudiences).toEqual(['sts.amazonaws.com']);
  });
});

describe('node escapes', () => {
  const mount = (path: string, readOnly = false) => ({
    volumes: [{ name: 'h', hostPath: { path } }],
    containers: [{ name: 'c', image: 'i', volumeMounts: [{ name: 'h', mountPath: '/h', readOnly }] }],
  });
  test.each([
    ['a plain pod', {}, []],
    ['privileged', { containers: [{ name: 'c', image: 'i', securityContext: { privileged: true } }] }, ['privileged-container']],
    ['CAP_SYS_ADMIN (prefix and case normalised)', { containers: [{ name: 'c', image: 'i', securityContext: { capabilities: { add: ['cap_sys_admin'] } } }] }, ['dangerous-capability']],
    ['SYS_PTRACE alone', { containers: [{ name: 'c', image: 'i', securityContext: { capabilities: { add: ['SYS_PTRACE'] } } }] }, []],
    ['SYS_PTRACE with hostPID', { hostPID: true, containers: [{ name: 'c', image: 'i', securityContext: { capabilities: { add: ['SYS_PTRACE'] } } }] }, ['host-pid', 'ptrace-host-processes']],
    ['hostPath / writable', mount('/'), ['hostpath-write', 'runtime-socket']],
    ['hostPath /etc read-only', mount('/etc', true), ['hostpath-read']],
    ['hostPath /var/lib/kubelet/pods read-only', mount('/var/lib/kubelet/pods', true), ['hostpath-read']],
    ['hostPath /tmp/cache writable (safe-list)', mount('/tmp/cache'), []],
    ['hostPath /opt/data read-only', mount('/opt/data', true), []],
    ['containerd socket read-only', mount('/run/containerd/containerd.sock', true), ['runtime-socket']],
    ['hostNetwork', { hostNetwork: true }, ['host-network']],
  ])('%s', (_name, spec, expected) => {
    expect(methods(spec)).toEqual([...expected].sort());
  });
});

describe('cloud links', () => {
  test('IRSA, GKE and Azure annotations', () => {
    const r = cloudLinks({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/path/app',
      'iam.gke.io/gcp-service-account': 'app-reader@my-project.iam.gserviceaccount.com',
      'azure.workload.identity/client-id': '0b3c1e9a-5e1f-4a47-9a41-8a4d8c2f0f11',
    });
    expect(r.problems).toEqual([]);
    expect(r.links).toEqual([
      { provider: 'aws', roleArn: 'arn:aws:iam::123456789012:role/path/app', annotation: 'eks.amazonaws.com/role-arn' },
      { provider: 'gcp', identity: 'gcp:app-reader@my-project.iam.gserviceaccount.com', annotation: 'iam.gke.io/gcp-service-account' },
      { provider: 'azure', identity: 'azure:0b3c1e9a-5e1f-4a47-9a41-8a4d8c2f0f11', annotation: 'azure.workload.identity/client-id' },
    ]);
  });
  test.each([
    ['eks.amazonaws.com/role-arn', 'arn:aws:iam::123456789012:user/bob'],
    ['eks.amazonaws.com/role-arn', 'arn:aws:iam::12345:role/x'],
    ['iam.gke.io/gcp-service-account', 'not-an-email'],
    ['azure.workload.identity/client-id', 'abc'],
  ])('%s=%s is reported, not linked', (k, v) => {
    const r = cloudLinks({ [k]: v });
    expect(r.links).toEqual([]);
    expect(r.problems).toHaveLength(1);
  });
});
