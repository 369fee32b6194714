/**
 * Demo estate, synthetic part: a small generated estate (`reachgraph demo generate --agents 3 --seed 1`)
 * with its planted answers: gen-1-agent-0 may escalate to the admin role, connects to a cache no
 * NetworkPolicy admits and lost sensor events (so its unused egress is "unknown"); every agent's role
 * holds s3:PutObject and secretsmanager:GetSecretValue it never used.
 */
import { generateEstate, loadEstate } from '../generate.js';
import type { Graph } from '../../graph/driver.js';
import type { DemoPart } from '../estate.js';

export const part: DemoPart = {
  name: 'synthetic',
  load: (graph: Graph) => loadEstate(graph, generateEstate({ agents: 3, seed: 1 })),
};
