/**
 * `collect aws`: get (SDK or file) → evaluate and transform → load through runSync → cross-check.
 * Declared data syncs as source `aws` (replace mode, scope = account id); IAM's last-accessed data
 * as source `aws-usage` (append mode), so a sync without usage data never erases observations.
 */
import type { Graph } from '../../graph/driver.js';
import { runSync, type SyncSummary } from '../../graph/ingest.js';
import { logger } from '../../log.js';
import { buildAccountModel, loadActionCatalog, providerUrlFromTrust, type AccountModel, type NamedPolicy, type Problem, type ServiceAccountRef } from '../../identity/aws/index.js';
import { fetchAuthDetails, fetchLastAccessed, fetchOidcProviders, iamClient } from './fetch.js';
import { readAuthDetailsFile, readLastAccessedFile } from './files.js';
import { lastAccessedRecords, type LastAccessedResponse } from './last-accessed.js';
import { transformAccount, type PodIdentityAssociation, type TransformResult } from './transform.js';
import { collectAwsResources, linkPatterns, type CollectResourcesResult } from './inventory.js';
import type { ResourceFamily } from './inventory-types.js';

export interface AwsSource {
  endpoint?: string;
  region?: string;
  fromFile?: string;
}

/** Load the account model from a file or the live API. */
export async function loadAccount(src: AwsSource): Promise<AccountModel> {
  if (src.fromFile) {
    const f = readAuthDetailsFile(src.fromFile);
    const model = buildAccountModel(f.details, { oidcProviders: f.oidcProviders });
    addProvidersFromTrust(model);
    return model;
  }
  const client = iamClient({ ...(src.endpoint ? { endpoint: src.endpoint } : {}), ...(src.region ? { region: src.region } : {}) });
  try {
    const details = await fetchAuthDetails(client);
    const providers = await fetchOidcProviders(client);
    const model = buildAccountModel(details, { oidcProviders: providers });
    addProvidersFromTrust(model);
    return model;
  } finally {
    client.destroy();
  }
}

/** Trust policies may name providers the file did not list: the provider ARN carries the issuer. */
function addProvidersFromTrust(model: AccountModel): void {
  for (const p of model.principals.values()) {
    for (const url of providerUrlFromTrust(p)) if (!model.oidcProviders.some((o) => o.arn === url.arn)) model.oidcProviders.push({ arn: url.arn, url: url.url, clientIds: [] });
  }
}

export interface CollectAwsOptions extends AwsSource {
  /** Saved last-accessed responses (offline). */
  lastAccessedFile?: string;
  /** Ask the live API for last-accessed data of every principal (slow: one job per principal). */
  lastAccessedLive?: boolean;
  /** OIDC issuer host → Kubernetes cluster name, for IRSA links. */
  clusters?: Map<string, string>;
  podIdentity?: PodIdentityAssociation[];
  scps?: NamedPolicy[][];
  syncId?: string;
  /** Also collect the resource inventory (S3, Secrets Manager, KMS, DynamoDB, Lambda, ECR, SageMaker, Bedrock). */
  resources?: boolean;
  /** Only these inventory families (default: all of RESOURCE_FAMILIES). */
  families?: ResourceFamily[];
  regions?: string[];
  /** Saved `aws` CLI outputs for the inventory (offline). */
  fromDir?: string;
  /** Names or tags marking a data store a crown jewel (default: crown-jewels.ts DEFAULT_SENSITIVE). */
  sensitive?: RegExp;
}

export interface IrsaFinding {
  serviceAccount: string;
  annotatedRole: string;
  problem: string;
}

export interface CollectAwsResult {
  accountId: string;
  summary: SyncSummary;
  usage?: SyncSummary;
  problems: Problem[];
  stats: TransformResult['stats'];
  findings: IrsaFinding[];
  resources?: CollectResourcesResult;
}

function clusterOf(id: string): { cluster: string; ref: ServiceAccountRef } | undefined {
  const parts = id.split('/');
  if (parts.length < 3) return undefined;
  const name = parts.pop()!;
  const namespace = parts.pop()!;
  return { cluster: parts.join('/'), ref: { namespace, name } };
}

export async function collectAws(graph: Graph, opts: CollectAwsOptions): Promise<CollectAwsResult> {
  const [catalog, model] = await Promise.all([loadActionCatalog(), loadAccount(opts)]);
  for (const p of model.problems) logger.warn({ policy: p.name, problem: p.message }, 'policy skipped');
  for (const w of model.warnings ?? []) logger.warn({ policy: w.name, warning: w.message }, 'policy loaded with a warning');

  // Service accounts the graph knows, for wildcard `sub` conditions.
  const clusters = opts.clusters ?? new Map<string, string>();
  const serviceAccounts = new Map<string, ServiceAccountRef[]>();
  for (const cluster of new Set(clusters.values())) {
    const rows = await graph.read('queries/aws/list-service-accounts', { cluster });
    serviceAccounts.set(
      cluster,
      rows.map((r) => clusterOf(String(r.id))).filter((x): x is NonNullable<typeof x> => x !== undefined && x.cluster === cluster).map((x) => x.ref),
    );
  }

  const t = transformAccount(model, catalog, {
    irsa: { clusterForIssuer: (issuer) => clusters.get(issuer), serviceAccounts },
    ...(opts.podIdentity ? { podIdentity: opts.podIdentity } : {}),
    ...(opts.scps ? { scps: opts.scps } : {}),
  });
  const summary = await runSync(graph, { source: 'aws', scope: model.accountId, mode: 'replace', ...(opts.syncId ? { syncId: opts.syncId } : {}) }, async (sink) => {
    await sink.write(t.batch);
  });

  let usageData: Map<string, LastAccessedResponse> | undefined;
  if (opts.lastAccessedFile) usageData = readLastAccessedFile(opts.lastAccessedFile);
  else if (opts.lastAccessedLive && !opts.fromFile) {
    const client = iamClient({ ...(opts.endpoint ? { endpoint: opts.endpoint } : {}), ...(opts.region ? { region: opts.region } : {}) });
    try {
      usageData = await fetchLastAccessed(client, [...model.principals.keys()]);
    } finally {
      client.destroy();
    }
  }
  let usage: SyncSummary | undefined;
  if (usageData && usageData.size > 0) {
    usage = await runSync(graph, { source: 'aws-usage', scope: model.accountId, mode: 'append' }, async (sink) => {
      for (const [arn, resp] of usageData) await sink.write(lastAccessedRecords(arn, resp, catalog));
    });
  }

  const findings = (await graph.read('queries/aws/irsa-annotation-mismatch', { accountId: model.accountId })).map((r) => ({
    serviceAccount: String(r.serviceAccount),
    annotatedRole: String(r.annotatedRole),
    problem: String(r.problem),
  }));
  for (const f of findings) logger.warn(f, 'IRSA annotation does not match the role trust');
  // Grants changed: relink their patterns to the resources the inventory knows (the inventory relinks itself).
  const resources =
    opts.resources || opts.fromDir
      ? await collectAwsResources(graph, {
          accountId: model.accountId,
          ...(opts.regions ? { regions: opts.regions } : {}),
          ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
          ...(opts.fromDir ? { fromDir: opts.fromDir } : {}),
          ...(opts.sensitive ? { sensitive: opts.sensitive } : {}),
          ...(opts.families ? { families: opts.families } : {}),
        })
      : (await linkPatterns(graph, model.accountId, { onlyIfResources: true }), undefined);
  return { accountId: model.accountId, summary, ...(usage ? { usage } : {}), problems: model.problems, stats: t.stats, findings, ...(resources ? { resources } : {}) };
}
