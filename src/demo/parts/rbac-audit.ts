/**
 * Demo estate, Kubernetes API audit part: a day of demo-eks's audit log (src/demo/data/kubernetes-audit/),
 * loaded like `reachgraph collect k8s-audit`. The CI deployer only ever read and patched its Deployment,
 * so `least-privilege system:serviceaccount:research:ci-deployer --kind rbac` calls its Job and CronJob
 * grants unused: the very grants the attack path to research-agent-role runs through. The log's audit
 * policy is loaded with it (like `--policy`), so `gaps demo-eks/research/ci-deployer` calls them unused too.
 */
import path from 'node:path';
import { auditRecords, auditSyncId, AUDIT_SOURCE, readAuditLog } from '../../collectors/kubernetes/audit.js';
import type { Graph } from '../../graph/driver.js';
import { readAuditPolicy } from '../../identity/kubernetes/audit-policy.js';
import { runSync, type SyncSummary } from '../../graph/ingest.js';
import { projectRoot } from '../../paths.js';
import type { DemoPart } from '../estate.js';
import { DEMO_CLUSTER } from './kubernetes.js';

export const part: DemoPart = {
  name: 'kubernetes-audit',
  async load(graph: Graph): Promise<SyncSummary> {
    const dir = path.join(projectRoot(), 'src', 'demo', 'data', 'kubernetes-audit');
    const ev = await readAuditLog(path.join(dir, 'demo-eks-audit.jsonl'));
    const policy = readAuditPolicy(path.join(dir, 'audit-policy.yaml'));
    return runSync(graph, { source: AUDIT_SOURCE, scope: DEMO_CLUSTER, syncId: auditSyncId(DEMO_CLUSTER, ev), mode: 'append', progress: false }, async (sink) => {
      await sink.write(auditRecords(DEMO_CLUSTER, ev, policy));
    });
  },
};
