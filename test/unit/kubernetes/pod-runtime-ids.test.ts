/** K8sPod nodes carry what the sensor's attribution joins on: the pod UID and its container ids. */
import type { V1Pod } from '@kubernetes/client-node';
import { snapshotToBatch } from '../../../src/collectors/kubernetes/transform.js';
import { emptyManifests } from '../../../src/collectors/kubernetes/manifests.js';

test('given a pod with container statuses, then its node has uid and prefix-free containerIds', () => {
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'agent-0', namespace: 'agents', uid: '7d0f6a2e-1111-4c5d-9e8f-0123456789ab' },
    spec: { containers: [{ name: 'agent', image: 'agent:1' }, { name: 'sidecar', image: 'proxy:1' }] },
    status: {
      containerStatuses: [
        { name: 'agent', image: 'agent:1', imageID: '', ready: true, restartCount: 0, containerID: 'containerd://4f1c0a9b8e7d' },
        { name: 'sidecar', image: 'proxy:1', imageID: '', ready: true, restartCount: 0, containerID: 'cri-o://9a8b7c6d5e4f' },
      ],
    },
  };
  const batch = snapshotToBatch('c1', { ...emptyManifests(), pods: [pod] });
  const n = batch.nodes.find((x) => x.label === 'K8sPod');
  expect(n?.props).toMatchObject({ uid: '7d0f6a2e-1111-4c5d-9e8f-0123456789ab', containerIds: ['4f1c0a9b8e7d', '9a8b7c6d5e4f'] });
});
