/**
 * Demo estate, AWS part: account 111122223333 from a get-account-authorization-details export
 * (src/demo/data/aws/), with IAM last-accessed data. The EKS issuer maps to cluster "demo-eks", so
 * the support and research agents' service accounts get IRSA links; the research agent's role can
 * escalate to an administrator role through iam:PassRole + Lambda. A small resource inventory (saved CLI
 * outputs in inventory/) gives the grant patterns concrete buckets, secrets, a key and a function, and a
 * Bedrock agent (billing-assistant, no guardrail) whose action group invokes that function (executed as
 * the admin-capable lambda-admin role) and whose knowledge base ingests the agent-corpus bucket.
 */
import path from 'node:path';
import { collectAws } from '../../collectors/aws/collect.js';
import type { Graph } from '../../graph/driver.js';
import type { SyncSummary } from '../../graph/ingest.js';
import { projectRoot } from '../../paths.js';
import type { DemoPart } from '../estate.js';

export const DEMO_ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

export const part: DemoPart = {
  name: 'aws',
  async load(graph: Graph): Promise<SyncSummary[]> {
    const dir = path.join(projectRoot(), 'src', 'demo', 'data', 'aws');
    const r = await collectAws(graph, {
      fromFile: path.join(dir, 'account.json'),
      lastAccessedFile: path.join(dir, 'last-accessed.json'),
      clusters: new Map([[DEMO_ISSUER, 'demo-eks']]),
      syncId: 'demo-aws',
      fromDir: path.join(dir, 'inventory'),
      regions: ['eu-west-1'],
    });
    return [r.summary, ...(r.usage ? [r.usage] : []), ...(r.resources?.summaries ?? []), ...(r.resources?.links ? [r.resources.links] : [])];
  },
};
