/** The observed-to-declared network join: pod IPs, Service ClusterIPs and EndpointSlice addresses become ADDRESS_OF edges from the sensor's NetEndpoint ids. */
import type { V1EndpointSlice, V1Pod, V1Service } from '@kubernetes/client-node';
import { endpointOf, snapshotToBatch } from '../../../src/collectors/kubernetes/transform.js';
import { emptyManifests } from '../../../src/collectors/kubernetes/manifests.js';
import { endpointId } from '../../../src/sensor/observations.js';

const pod = (name: string, ip: string | undefined, extra: Partial<V1Pod['spec']> = {}): V1Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'data' },
  spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 5432 }] }], ...extra },
  ...(ip ? { status: { podIP: ip, podIPs: [{ ip }] } } : {}),
});

test('given pods, a Service and an EndpointSlice, then each address joins the pod or Service behind it', () => {
  const svc: V1Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'data' }, spec: { clusterIP: '172.20.0.10', ports: [{ port: 5432, protocol: 'TCP' }] } };
  const headless: V1Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db-hl', namespace: 'data' }, spec: { clusterIP: 'None', ports: [{ port: 5432 }] } };
  const es: V1EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'db-abc', namespace: 'data', labels: { 'kubernetes.io/service-name': 'db' } },
    addressType: 'IPv4',
    ports: [{ port: 5432, protocol: 'TCP' }],
    endpoints: [{ addresses: ['10.1.0.5'], targetRef: { kind: 'Pod', name: 'db-0', namespace: 'data' } }, { addresses: ['192.0.2.9'] }],
  };
  const b = snapshotToBatch('c1', { ...emptyManifests(), pods: [pod('db-0', '10.1.0.5'), pod('pending', undefined), pod('hostnet', '10.0.0.2', { hostNetwork: true })], services: [svc, headless], endpointSlices: [es] });
  const joins = b.rels.filter((r) => r.type === 'ADDRESS_OF').map((r) => `${r.from.id} -> ${r.to.label} ${r.to.id}`).sort();
  expect(joins).toEqual([
    '10.1.0.5 -> K8sPod c1/data/db-0',
    '10.1.0.5:5432 -> K8sPod c1/data/db-0',
    '172.20.0.10:5432 -> K8sService c1/data/db',
    '192.0.2.9:5432 -> K8sEndpointSlice c1/data/db-abc',
  ]);
  expect(b.rels.filter((r) => r.type === 'ADDRESS_OF').every((r) => r.from.label === 'NetEndpoint')).toBe(true);
});

test('endpoint ids are the sensor\'s, for IPv4 and IPv6', () => {
  expect(endpointOf('10.1.0.5', 5432)).toBe(endpointId('10.1.0.5', 4, 5432));
  expect(endpointOf('fd00::5', 443)).toBe(endpointId('fd00::5', 6, 443));
  expect(endpointOf('fd00::5')).toBe(endpointId('fd00::5', 6));
});
