/**
 * Demo estate, Kubernetes part: cluster "demo-eks" from manifests (src/demo/data/kubernetes/), collected
 * like `reachgraph collect kubernetes --from-dir`. Its service accounts link by IRSA to the AWS part's
 * roles (support-agent-role, research-agent-role), so paths run from Kubernetes RBAC into AWS:
 * ci-deployer may create a CronJob as research-agent and so assume research-agent-role; the privileged
 * node agent shares a node with the support agent and so reaches its token and IRSA role.
 */
import path from 'node:path';
import { collectFromDir } from '../../collectors/kubernetes/collect.js';
import type { Graph } from '../../graph/driver.js';
import type { SyncSummary } from '../../graph/ingest.js';
import { projectRoot } from '../../paths.js';
import type { DemoPart } from '../estate.js';

export const DEMO_CLUSTER = 'demo-eks';

export const part: DemoPart = {
  name: 'kubernetes',
  async load(graph: Graph): Promise<SyncSummary> {
    const { transform: _t, skipped: _s, ...summary } = await collectFromDir(graph, path.join(projectRoot(), 'src', 'demo', 'data', 'kubernetes'), DEMO_CLUSTER);
    return summary;
  },
};
