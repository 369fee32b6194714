/**
 * `reachgraph demo load DIR`: a raw estate (generate-raw.ts) through the real collectors, in the order
 * the joins need: Kubernetes manifests first (pods, service accounts and their IRSA annotations), then
 * the IAM export with last-accessed data (IRSA trust resolved against the cluster's issuer), the AI-BOM
 * scan, the agents' deployment joins, and the sensor recordings. Equivalent to:
 *
 *   reachgraph collect kubernetes --from-dir DIR/kubernetes --cluster CLUSTER
 *   reachgraph collect aws --from-file DIR/aws/account-authorization-details.json \
 *     --last-accessed DIR/aws/last-accessed.json --cluster ISSUER=CLUSTER
 *   reachgraph collect aibom DIR/aibom --scope AIBOM_SCOPE [--connect]
 *   reachgraph ingest DIR/aibom-deployments.jsonl
 *   reachgraph ingest DIR/sensor/<file>.jsonl   (each recording)
 *
 * with CLUSTER, ISSUER and AIBOM_SCOPE from DIR/estate.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { collectAibom } from '../collectors/aibom/collect.js';
import { collectAws } from '../collectors/aws/collect.js';
import { readJsonFile } from '../collectors/aws/files.js';
import { collectFromDir } from '../collectors/kubernetes/collect.js';
import type { Graph } from '../graph/driver.js';
import { ingestFile } from '../graph/ingest-file.js';
import type { SyncSummary } from '../graph/ingest.js';
import { InputError } from '../errors.js';
import type { RawEstateManifest } from './generate-raw.js';

const manifestSchema = z.object({
  format: z.literal('reachgraph-raw-estate'),
  version: z.literal(1),
  seed: z.number().int(),
  agents: z.number().int(),
  cluster: z.string().min(1),
  account: z.string().regex(/^\d{12}$/),
  issuer: z.string().min(1),
  region: z.string().min(1),
  aibomScope: z.string().min(1),
}) satisfies z.ZodType<RawEstateManifest>;

/** Reads DIR/estate.json; a missing or malformed one names the file and field. */
export function readRawManifest(dir: string): RawEstateManifest {
  const file = path.join(dir, 'estate.json');
  if (!fs.existsSync(file)) throw new InputError(`${file}: not found: ${dir} is not a raw estate (write one with \`reachgraph demo generate --format raw --out ${dir}\`)`);
  const r = manifestSchema.safeParse(readJsonFile(file));
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new InputError(`${file}: field \`${i.path.join('.') || '(top level)'}\`: ${i.message}`);
  }
  return r.data;
}

export interface LoadRawResult {
  manifest: RawEstateManifest;
  syncs: SyncSummary[];
  /** Collector-reported problems (policies skipped, AI-BOM files unreadable, MCP servers not listed). */
  problems: string[];
}

/** Loads a raw estate directory through the collectors; `connect` also lists the agents' MCP servers' tools. */
export async function loadRawEstate(graph: Graph, dir: string, opts: { connect?: boolean } = {}): Promise<LoadRawResult> {
  const m = readRawManifest(dir);
  const syncs: SyncSummary[] = [];
  const problems: string[] = [];
  const { transform: _t, skipped: _s, ...k8s } = await collectFromDir(graph, path.join(dir, 'kubernetes'), m.cluster);
  syncs.push(k8s);
  const aws = await collectAws(graph, { fromFile: path.join(dir, 'aws', 'account-authorization-details.json'), lastAccessedFile: path.join(dir, 'aws', 'last-accessed.json'), clusters: new Map([[m.issuer, m.cluster]]) });
  syncs.push(aws.summary, ...(aws.usage ? [aws.usage] : []));
  problems.push(...aws.problems.map((p) => `aws policy ${p.name}: ${p.message}`));
  const aibom = await collectAibom(graph, path.join(dir, 'aibom'), { scope: m.aibomScope, connect: opts.connect === true });
  syncs.push(...aibom.summaries);
  problems.push(...aibom.scan.errors.map((x) => `aibom ${x.file}: ${x.message}`), ...aibom.inventory.filter((i) => !i.ok).map((i) => `MCP server ${i.serverId} not listed: ${i.error ?? ''}`));
  syncs.push(await ingestFile(graph, path.join(dir, 'aibom-deployments.jsonl'), { progress: false }));
  const sensorDir = path.join(dir, 'sensor');
  for (const f of fs.readdirSync(sensorDir).filter((x) => x.endsWith('.jsonl')).sort()) syncs.push(await ingestFile(graph, path.join(sensorDir, f), { progress: false }));
  return { manifest: m, syncs, problems };
}
