import { groupOfPods, ownerChains } from '../../../../src/identity/kubernetes/netpol/groups.js';
import { modelOf, nsObject, podObject } from './estate.js';

const owned = (p: object, kind: string, name: string) => ({ ...p, metadata: { ...(p as { metadata: object }).metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind, name, uid: 'u', controller: true }] } });
const wl = (_kind: string, ns: string, name: string, owner?: [string, string]) => ({
  metadata: { name, namespace: ns, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner[0], name: owner[1], uid: 'u', controller: true }] } : {}) },
});

describe('workload groups for NetworkPolicy edges', () => {
  const pods = [
    owned(podObject({ ns: 'x', name: 'web-1-a', labels: { app: 'web' }, ports: [{ port: 80 }] }), 'ReplicaSet', 'web-1'),
    owned(podObject({ ns: 'x', name: 'web-1-b', labels: { app: 'web' }, ports: [{ port: 80 }] }), 'ReplicaSet', 'web-1'),
    // A second ReplicaSet of the same Deployment with a changed template (mid-rollout)
    owned(podObject({ ns: 'x', name: 'web-2-a', labels: { app: 'web', v: '2' }, ports: [{ port: 80 }] }), 'ReplicaSet', 'web-2'),
    owned(podObject({ ns: 'x', name: 'job-a', labels: { app: 'job' } }), 'Job', 'nightly-123'),
    // Owned by a ReplicaSet nobody collected: grouped under the reference (the collector's OWNED_BY points there)
    owned(podObject({ ns: 'x', name: 'orphan', labels: { app: 'web' }, ports: [{ port: 80 }] }), 'ReplicaSet', 'gone'),
    podObject({ ns: 'x', name: 'bare', labels: { app: 'bare' } }),
  ];
  // As API list items come: no kind on the objects, the bucket says it.
  const workloads = {
    deployments: [wl('Deployment', 'x', 'web')],
    replicaSets: [wl('ReplicaSet', 'x', 'web-1', ['Deployment', 'web']), wl('ReplicaSet', 'x', 'web-2', ['Deployment', 'web'])],
    cronJobs: [wl('CronJob', 'x', 'nightly')],
    jobs: [wl('Job', 'x', 'nightly-123', ['CronJob', 'nightly'])],
  };

  it('follows controller owner references up to the top workload, and stops at an owner it does not have', () => {
    const chains = ownerChains({ pods: pods as never[], ...workloads }, 'c');
    expect(chains.get('x/web-1-a')).toEqual(['c/x/ReplicaSet/web-1', 'c/x/Deployment/web']);
    expect(chains.get('x/job-a')).toEqual(['c/x/Job/nightly-123', 'c/x/CronJob/nightly']);
    expect(chains.get('x/orphan')).toEqual(['c/x/ReplicaSet/gone']);
    expect(chains.get('x/bare')).toEqual([]);
  });

  it('groups under the topmost uniform owner, else the immediate one, else the pod', () => {
    // (a Deployment's two ReplicaSets with different templates make the Deployment non-uniform)
    const model = modelOf([nsObject('x'), ...pods]);
    const groups = groupOfPods(model, ownerChains({ pods: pods as never[], ...workloads }, 'c'), 'c');
    const byPod = Object.fromEntries(model.pods.map((p, i) => [p.key, groups[i]!.id]));
    // The Deployment spans two templates (two classes): its ReplicaSets are the groups
    expect(byPod['x/web-1-a']).toBe('c/x/ReplicaSet/web-1');
    expect(byPod['x/web-1-b']).toBe('c/x/ReplicaSet/web-1');
    expect(byPod['x/web-2-a']).toBe('c/x/ReplicaSet/web-2');
    expect(byPod['x/job-a']).toBe('c/x/CronJob/nightly');
    expect(byPod['x/orphan']).toBe('c/x/ReplicaSet/gone');
    expect(byPod['x/bare']).toBe('c/x/bare');
  });
});
