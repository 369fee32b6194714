/**
 * Demo estate, raw synthetic part: a small generated estate written as the collectors' own inputs
 * (`reachgraph demo generate --format raw --agents 3 --seed 2`) and loaded through them like
 * `reachgraph demo load` (Kubernetes manifests, IAM export and last-accessed data, AI-BOM scan, sensor
 * recording). Its plants, found by the engines rather than written as edges: gen-2-agent-0's role may
 * escalate to gen-2-admin through iam:PassRole + Lambda, connects to its namespace's cache that no
 * NetworkPolicy admits, and lost sensor events (its unused egress is "unknown"); every agent's role holds
 * s3:PutObject and secretsmanager:GetSecretValue it never used.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Graph } from '../../graph/driver.js';
import type { SyncSummary } from '../../graph/ingest.js';
import { writeRawEstate } from '../generate-raw.js';
import { loadRawEstate } from '../load-raw.js';
import type { DemoPart } from '../estate.js';

export const part: DemoPart = {
  name: 'synthetic-raw',
  async load(graph: Graph): Promise<SyncSummary[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachgraph-demo-raw-'));
    try {
      writeRawEstate(dir, { agents: 3, seed: 2 });
      return (await loadRawEstate(graph, dir)).syncs;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
