/**
 * Attribution joined with the Kubernetes collector through the real Neo4j (no root needed):
 * a container's cgroup path names a pod UID and container id; the pod is found by K8sPod.uid
 * or K8sPod.containerIds, and the observation's workload becomes that pod.
 */
import crypto from 'node:crypto';
import type { Graph } from '../../src/graph/driver.js';
import { runSync } from '../../src/graph/ingest.js';
import { node } from '../../src/graph/records.js';
import { Attributor } from '../../src/sensor/attribution.js';
import { graphPodLookup } from '../../src/sensor/run.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';

describe('pod attribution through the graph', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await testGraph();
  });
  afterAll(async () => {
    await graph?.close();
  });

  test('given pods known by UID and by container id, when containers are attributed, then each maps to its pod and unknown ones stay containers', async () => {
    // Given
    const cluster = uniqueScope('attr');
    const uid = crypto.randomUUID();
    const [cidA, cidB, cidC] = [1, 2, 3].map(() => crypto.randomBytes(32).toString('hex')) as [string, string, string];
    await runSync(graph, { source: 'test', scope: cluster, progress: false }, (s) =>
      s.write({
        nodes: [
          node('K8sPod', `${cluster}/agents/support-0`, { name: 'support-0', uid }),
          node('K8sPod', `${cluster}/agents/worker-0`, { name: 'worker-0', containerIds: [cidB] }),
        ],
        rels: [],
      }),
    );
    const paths = new Map([
      ['10', `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${uid.replace(/-/g, '_')}.slice/cri-containerd-${cidA}.scope`],
      ['11', `/system.slice/docker-${cidB}.scope`],
      ['12', `/system.slice/docker-${cidC}.scope`],
    ]);
    const a = new Attributor({ host: 'n1', cgroups: { pathOf: (id) => paths.get(id) }, podLookup: graphPodLookup(graph) });

    // When
    await a.prepare(['10', '11', '12']);

    // Then
    expect(a.workload('10', 0)).toMatchObject({ kind: 'pod', podId: `${cluster}/agents/support-0`, id: `n1/pod/${cluster}/agents/support-0` });
    expect(a.workload('11', 0)).toMatchObject({ kind: 'pod', podId: `${cluster}/agents/worker-0` });
    expect(a.workload('12', 0)).toMatchObject({ kind: 'container', id: `n1/container/${cidC.slice(0, 12)}` });
  });
});
