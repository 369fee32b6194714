/**
 * `collect aws --resources`: the resource inventory (get → transform → load), one ingest source per
 * service family (`aws-s3`, `aws-kms`, …; replace mode), scope = account id for S3 (bucket listing is
 * global) and `<account>/<region>` for the rest, so each family and region settles on its own and a
 * failed read deletes nothing. Afterwards the grant patterns are linked to the resources they reach.
 */
import type { Graph } from '../../graph/driver.js';
import { runSync, type SyncSummary } from '../../graph/ingest.js';
import { node, rel, type RelRecord } from '../../graph/records.js';
import { logger } from '../../log.js';
import { notResourceReach, patternReach, arnService } from '../../identity/aws/index.js';
import type { CrownJewelOptions } from './crown-jewels.js';
import { dirApi, sdkApi, type InventoryApi } from './inventory-api.js';
import { readFamily } from './inventory-read.js';
import { artifactBucketsOf, transformInventory, type InventoryProblem } from './inventory-transform.js';
import { RESOURCE_FAMILIES, type ResourceFamily } from './inventory-types.js';

export interface CollectResourcesOptions extends CrownJewelOptions {
  accountId: string;
  /** Regions to read; default: the client's region (AWS_REGION, else us-east-1). */
  regions?: string[];
  endpoint?: string;
  /** Saved `aws` CLI outputs instead of the live API (layout: inventory-api.ts). */
  fromDir?: string;
  families?: ResourceFamily[];
  /** Test hook: a ready API (still live or saved outputs, never a stand-in). */
  api?: InventoryApi;
}

export interface CollectResourcesResult {
  summaries: SyncSummary[];
  failed: { source: string; scope: string; error: string }[];
  problems: InventoryProblem[];
  stats: { resources: number; grants: number; denies: number; public: number; crownJewels: number };
  links?: SyncSummary;
}

/** Collect every family in every region, then relink patterns. Failures are reported, not thrown. */
export async function collectAwsResources(graph: Graph, opts: CollectResourcesOptions): Promise<CollectResourcesResult> {
  const regions = opts.regions && opts.regions.length > 0 ? opts.regions : [process.env.AWS_REGION ?? 'us-east-1'];
  const api = opts.api ?? (opts.fromDir ? dirApi(opts.fromDir) : sdkApi(opts.endpoint ? { endpoint: opts.endpoint } : {}));
  const out: CollectResourcesResult = { summaries: [], failed: [], problems: [], stats: { resources: 0, grants: 0, denies: 0, public: 0, crownJewels: 0 } };
  const artifactBuckets = new Set<string>();
  try {
    for (const family of opts.families ?? RESOURCE_FAMILIES) {
      for (const region of family === 's3' ? [regions[0]!] : regions) {
        const source = `aws-${family}`;
        const scope = family === 's3' ? opts.accountId : `${opts.accountId}/${region}`;
        try {
          // Read before the sync starts: a failed read never reaches the graph, so nothing is removed.
          const inv = await readFamily(api, family, opts.accountId, region, family === 's3' ? regions : undefined);
          // Offline data without this family is not a sync of it.
          if (!inv) continue;
          for (const b of artifactBucketsOf(inv)) artifactBuckets.add(b);
          const t = transformInventory(inv, { ...(opts.sensitive ? { sensitive: opts.sensitive } : {}), artifactBuckets });
          out.problems.push(...t.problems);
          for (const k of Object.keys(t.stats) as (keyof typeof t.stats)[]) out.stats[k] += t.stats[k];
          out.summaries.push(await runSync(graph, { source, scope, mode: 'replace' }, (sink) => sink.write(t.batch)));
        } catch (e) {
          const error = `${(e as Error).name}: ${(e as Error).message}`;
          logger.warn({ source, scope, err: error }, 'AWS inventory sync failed; its earlier data is kept');
          out.failed.push({ source, scope, error });
        }
      }
    }
  } finally {
    api.close();
  }
  for (const p of out.problems) logger.warn(p, 'resource policy skipped');
  const links = await linkPatterns(graph, opts.accountId);
  if (links) out.links = links;
  return out;
}

/**
 * Links the account's grant patterns to the concrete resources they reach (`MATCHES_RESOURCE`),
 * as source `aws-links` (replace mode, scope = account): run after either side changes, it adds
 * new links and removes those whose pattern or resource went away.
 */
export async function linkPatterns(graph: Graph, accountId: string, opts: { onlyIfResources?: boolean } = {}): Promise<SyncSummary | undefined> {
  const resources = await graph.read('queries/aws/list-inventory-resources', {});
  // After an IAM-only sync in a graph without inventory there is nothing to link (and nothing stale).
  if (opts.onlyIfResources && resources.length === 0) return undefined;
  const patterns = await graph.read('queries/aws/list-grant-patterns', { accountId });
  // Index resources by service: the service segment of a pattern is never a wildcard in practice.
  const byService = new Map<string, { id: string; label: string }[]>();
  for (const r of resources) {
    const id = String(r.id);
    const svc = arnService(id) ?? '';
    byService.set(svc, [...(byService.get(svc) ?? []), { id, label: String(r.label) }]);
  }
  const all = [...byService.values()].flat();
  const rels: RelRecord[] = [];
  for (const p of patterns) {
    const pattern = String(p.pattern);
    if (Array.isArray(p.notResource)) {
      // "Everything except": every resource is a candidate; the link says it came from an exclusion list.
      const excluded = p.notResource.map(String);
      for (const r of all) {
        const reach = notResourceReach(excluded, r.id);
        if (reach) rels.push(rel('MATCHES_RESOURCE', { label: 'AWSResource', id: String(p.id) }, { label: r.label, id: r.id }, { props: { reach, notResource: true } }));
      }
      continue;
    }
    // A NotResource node written before its exclusions were stored as a list: linked after the next IAM sync.
    if (pattern.startsWith('NOT ')) continue;
    const svc = arnService(pattern);
    const candidates = pattern === '*' || svc === undefined || /[*?]/.test(svc) ? all : (byService.get(svc) ?? []);
    for (const r of candidates) {
      const reach = patternReach(pattern, r.id);
      if (reach) rels.push(rel('MATCHES_RESOURCE', { label: 'AWSResource', id: String(p.id) }, { label: r.label, id: r.id }, { props: { reach } }));
    }
  }
  return runSync(graph, { source: 'aws-links', scope: accountId, mode: 'replace' }, async (sink) => {
    await sink.write({ nodes: [node('AWSAccount', accountId, { accountId })], rels });
  });
}
