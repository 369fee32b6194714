/**
 * Reads an account through the AWS SDK: every page of GetAccountAuthorizationDetails, the OIDC
 * providers, and (on request) action-level last-accessed data. Credentials come from the SDK's
 * standard chain; `endpoint` points the client elsewhere (moto in tests).
 */
import {
  GenerateServiceLastAccessedDetailsCommand,
  GetAccountAuthorizationDetailsCommand,
  GetOpenIDConnectProviderCommand,
  GetServiceLastAccessedDetailsCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
} from '@aws-sdk/client-iam';
import { CollectorError } from '../../errors.js';
import { logger } from '../../log.js';
import { authDetailsSchema, mergeAuthDetails, type AuthDetails, type OidcProvider } from '../../identity/aws/index.js';
import { providerUrlFromArn } from './files.js';
import { lastAccessedResponseSchema, type LastAccessedResponse } from './last-accessed.js';

export interface ClientOptions {
  endpoint?: string;
  region?: string;
}

export function iamClient(opts: ClientOptions = {}): IAMClient {
  return new IAMClient({
    region: opts.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    maxAttempts: 5,
  });
}

function fail(what: string, e: unknown): CollectorError {
  const err = e as { name?: string; message?: string };
  return new CollectorError(`AWS IAM ${what}: ${err.name ?? 'Error'}: ${err.message ?? String(e)}`, { cause: e });
}

/** The marker of the next page, or undefined after the last; a marker seen before stops the read instead of looping. */
function nextMarker(page: { IsTruncated?: boolean; Marker?: string }, seen: Set<string>, api: string): string | undefined {
  const marker = page.IsTruncated ? page.Marker || undefined : undefined;
  if (marker === undefined) return undefined;
  if (seen.has(marker)) throw new CollectorError(`AWS IAM ${api}: marker ${marker.slice(0, 80)} repeated after ${seen.size + 1} pages; stopping instead of looping`);
  seen.add(marker);
  return marker;
}

/** Every page of GetAccountAuthorizationDetails, merged. */
export async function fetchAuthDetails(client: IAMClient): Promise<AuthDetails> {
  const pages: AuthDetails[] = [];
  const seen = new Set<string>();
  let marker: string | undefined;
  do {
    let out;
    try {
      out = await client.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1000, ...(marker ? { Marker: marker } : {}) }));
    } catch (e) {
      throw fail('GetAccountAuthorizationDetails', e);
    }
    const page = authDetailsSchema.safeParse(out);
    if (!page.success) {
      const i = page.error.issues[0]!;
      throw new CollectorError(`AWS IAM GetAccountAuthorizationDetails page ${pages.length + 1}: field \`${i.path.map(String).join('.')}\`: ${i.message}`);
    }
    pages.push(page.data);
    marker = nextMarker(out, seen, 'GetAccountAuthorizationDetails');
  } while (marker);
  logger.debug({ pages: pages.length }, 'read account authorization details');
  return mergeAuthDetails(pages);
}

/** OIDC providers with their issuer URL and client ids (audiences). */
export async function fetchOidcProviders(client: IAMClient): Promise<OidcProvider[]> {
  let list;
  try {
    list = await client.send(new ListOpenIDConnectProvidersCommand({}));
  } catch (e) {
    throw fail('ListOpenIDConnectProviders', e);
  }
  const out: OidcProvider[] = [];
  for (const p of list.OpenIDConnectProviderList ?? []) {
    if (!p.Arn) continue;
    try {
      const d = await client.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: p.Arn }));
      out.push({ arn: p.Arn, url: d.Url ?? providerUrlFromArn(p.Arn), clientIds: d.ClientIDList ?? [] });
    } catch (e) {
      logger.warn({ provider: p.Arn, err: (e as Error).message }, 'could not read OIDC provider; using the URL in its ARN');
      out.push({ arn: p.Arn, url: providerUrlFromArn(p.Arn), clientIds: [] });
    }
  }
  return out;
}


/**
 * Action-level last-accessed data for each ARN: start a job, poll until it completes, read every
 * page. A principal whose job fails is logged and skipped.
 */
export async function fetchLastAccessed(client: IAMClient, arns: string[], opts: { pollMs?: number; timeoutMs?: number } = {}): Promise<Map<string, LastAccessedResponse>> {
  const out = new Map<string, LastAccessedResponse>();
  for (const arn of arns) {
    try {
      const job = await client.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn, Granularity: 'ACTION_LEVEL' }));
      const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
      let merged: LastAccessedResponse | undefined;
      const seen = new Set<string>();
      let marker: string | undefined;
      for (;;) {
        const r = await client.send(new GetServiceLastAccessedDetailsCommand({ JobId: job.JobId!, ...(marker ? { Marker: marker } : {}) }));
        if (r.JobStatus === 'IN_PROGRESS') {
          if (Date.now() > deadline) throw new Error('job did not complete in time');
          await new Promise((res) => setTimeout(res, opts.pollMs ?? 1000));
          continue;
        }
        if (r.JobStatus === 'FAILED') throw new Error(r.Error?.Message ?? 'job failed');
        const page = lastAccessedResponseSchema.parse(r);
        merged = merged ? { ...merged, ServicesLastAccessed: [...merged.ServicesLastAccessed, ...page.ServicesLastAccessed] } : page;
        marker = nextMarker(r, seen, 'GetServiceLastAccessedDetails');
        if (!marker) break;
      }
      if (merged) out.set(arn, merged);
    } catch (e) {
      logger.warn({ arn, err: `${(e as Error).name}: ${(e as Error).message}` }, 'last-accessed data unavailable for principal; skipped');
    }
  }
  return out;
}
