/**
 * One way to call the read APIs the inventory needs, live (SDK v3 clients) or offline (saved
 * `aws` CLI outputs in a directory). Both return the service's JSON output shape (the CLI prints
 * exactly what the API returns), so the inventory code is the same for both.
 *
 * Offline layout: `<dir>/<region>/<service>/<operation>.json` for list calls and
 * `<dir>/<region>/<service>/<operation>/<resource name>.json` for per-resource calls, operation in
 * the CLI's kebab-case (`list-secrets`, `get-key-policy/<key id>.json`); S3 uses `<dir>/s3/…`
 * (bucket listing is global). A missing per-resource file means "none" (no policy); a missing
 * list file means the service was not exported for that region.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CollectorError, InputError } from '../../errors.js';
import type { ResourceFamily } from './inventory-types.js';

export type Output = Record<string, unknown>;

export interface InventoryApi {
  /** One call; `undefined` when the resource has no such thing (no policy, no tags). */
  call(family: ResourceFamily, region: string, op: string, input: Output, resourceName?: string): Promise<Output | undefined>;
  /** Every page of a list call, concatenated on `itemsKey`; `undefined` when offline data lacks it. */
  list(family: ResourceFamily, region: string, op: string, itemsKey: string, input?: Output): Promise<unknown[] | undefined>;
  close(): void;
}

/** Pagination tokens per list operation: request field, response field. */
const TOKENS: Record<string, [string, string]> = {
  ListBuckets: ['ContinuationToken', 'ContinuationToken'],
  ListSecrets: ['NextToken', 'NextToken'],
  ListKeys: ['Marker', 'NextMarker'],
  ListAliases: ['Marker', 'NextMarker'],
  ListGrants: ['Marker', 'NextMarker'],
  ListResourceTags: ['Marker', 'NextMarker'],
  ListTables: ['ExclusiveStartTableName', 'LastEvaluatedTableName'],
  ListFunctions: ['Marker', 'NextMarker'],
  DescribeRepositories: ['nextToken', 'nextToken'],
  ListModels: ['NextToken', 'NextToken'],
  ListEndpoints: ['NextToken', 'NextToken'],
  ListCustomModels: ['nextToken', 'nextToken'],
  ListImportedModels: ['nextToken', 'nextToken'],
  ListGuardrails: ['nextToken', 'nextToken'],
  ListAgents: ['nextToken', 'nextToken'],
  ListAgentActionGroups: ['nextToken', 'nextToken'],
  ListAgentKnowledgeBases: ['nextToken', 'nextToken'],
  ListKnowledgeBases: ['nextToken', 'nextToken'],
  ListDataSources: ['nextToken', 'nextToken'],
};

/** Error names meaning "this resource has none of that" rather than a failure. */
const NONE_ERRORS = new Set([
  'NoSuchBucketPolicy',
  'NoSuchPublicAccessBlockConfiguration',
  'ServerSideEncryptionConfigurationNotFoundError',
  'NoSuchTagSet',
  'NoSuchTagSetError',
  'ResourceNotFoundException',
  'RepositoryPolicyNotFoundException',
]);

const kebab = (op: string): string => op.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

// The SDK modules load only for live collection: offline runs and the CLI's start never pay for them.
type Sdk = { client: { send(c: unknown): Promise<unknown>; destroy(): void }; command(op: string, input: Output): unknown };
async function sdkFor(family: ResourceFamily, region: string, endpoint: string | undefined): Promise<Sdk> {
  const common = { region, maxAttempts: 5, ...(endpoint ? { endpoint } : {}) };
  const make = (mod: Record<string, unknown>, clientName: string, extra: Output = {}): Sdk => {
    const Client = mod[clientName] as new (cfg: Output) => Sdk['client'];
    return {
      client: new Client({ ...common, ...extra }),
      command: (op, input) => {
        const C = mod[`${op}Command`] as (new (i: Output) => unknown) | undefined;
        if (!C) throw new CollectorError(`AWS ${family}: the SDK has no ${op}Command`);
        return new C(input);
      },
    };
  };
  switch (family) {
    case 's3':
      // Path-style addressing: endpoints other than AWS's own (moto, S3-compatible proxies) need it.
      return make((await import('@aws-sdk/client-s3')) as never, 'S3Client', endpoint ? { forcePathStyle: true } : {});
    case 'secretsmanager':
      return make((await import('@aws-sdk/client-secrets-manager')) as never, 'SecretsManagerClient');
    case 'kms':
      return make((await import('@aws-sdk/client-kms')) as never, 'KMSClient');
    case 'dynamodb':
      return make((await import('@aws-sdk/client-dynamodb')) as never, 'DynamoDBClient');
    case 'lambda':
      return make((await import('@aws-sdk/client-lambda')) as never, 'LambdaClient');
    case 'ecr':
      return make((await import('@aws-sdk/client-ecr')) as never, 'ECRClient');
    case 'sagemaker':
      return make((await import('@aws-sdk/client-sagemaker')) as never, 'SageMakerClient');
    case 'bedrock':
      return make((await import('@aws-sdk/client-bedrock')) as never, 'BedrockClient');
    case 'bedrock-agent':
      return make((await import('@aws-sdk/client-bedrock-agent')) as never, 'BedrockAgentClient');
  }
}

/** Drops SDK metadata so both modes hand over the same shape. */
function plain(out: unknown): Output {
  const { $metadata: _m, ...rest } = (out ?? {}) as Output;
  return rest;
}

/** Live: one SDK client per service and region, created on first use. */
export function sdkApi(opts: { endpoint?: string } = {}): InventoryApi {
  const clients = new Map<string, Promise<Sdk>>();
  const sdk = (family: ResourceFamily, region: string): Promise<Sdk> => {
    const k = `${family}/${region}`;
    let c = clients.get(k);
    if (!c) clients.set(k, (c = sdkFor(family, region, opts.endpoint)));
    return c;
  };
  const send = async (family: ResourceFamily, region: string, op: string, input: Output, what: string): Promise<Output | undefined> => {
    const s = await sdk(family, region);
    try {
      return plain(await s.client.send(s.command(op, input)));
    } catch (e) {
      const err = e as { name?: string; Code?: string; message?: string };
      if (NONE_ERRORS.has(err.name ?? '') || NONE_ERRORS.has(err.Code ?? '')) return undefined;
      throw new CollectorError(`AWS ${family} ${op} (${region}${what ? `, ${what}` : ''}): ${err.name ?? 'Error'}: ${err.message ?? String(e)}`, { cause: e });
    }
  };
  return {
    call: (family, region, op, input, name) => send(family, region, op, input, name ?? ''),
    async list(family, region, op, itemsKey, input = {}) {
      const [tin, tout] = TOKENS[op] ?? ['NextToken', 'NextToken'];
      const items: unknown[] = [];
      const seen = new Set<string>();
      let token: string | undefined;
      do {
        const out = await send(family, region, op, { ...input, ...(token ? { [tin]: token } : {}) }, '');
        if (!out) return items;
        items.push(...((out[itemsKey] as unknown[] | undefined) ?? []));
        token = typeof out[tout] === 'string' && out[tout] !== '' ? (out[tout] as string) : undefined;
        if (token !== undefined) {
          if (seen.has(token)) throw new CollectorError(`AWS ${family} ${op} (${region}): page token repeated after ${seen.size + 1} pages; stopping instead of looping`);
          seen.add(token);
        }
      } while (token);
      return items;
    },
    close() {
      for (const c of clients.values()) void c.then((s) => s.client.destroy());
    },
  };
}

/** Offline: saved CLI outputs under `dir` (layout in the header comment). */
export function dirApi(dir: string): InventoryApi {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new InputError(`--from-dir ${dir}: not a directory`);
  const fileOf = (family: ResourceFamily, region: string, op: string, name?: string): string => {
    const base = family === 's3' ? path.join(dir, 's3') : path.join(dir, region, family);
    // Names may hold characters a path cannot (`/` in secret names): they are URI-encoded in file names.
    return name === undefined ? path.join(base, `${kebab(op)}.json`) : path.join(base, kebab(op), `${encodeURIComponent(name)}.json`);
  };
  const read = (file: string): Output | undefined => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new InputError(`${file}: ${(e as Error).message}`);
    }
    try {
      const v: unknown = JSON.parse(text);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('expected a JSON object (the output of the aws CLI)');
      return v as Output;
    } catch (e) {
      throw new InputError(`${file}: ${(e as Error).message}`);
    }
  };
  return {
    call: async (family, region, op, _input, name) => read(fileOf(family, region, op, name)),
    async list(family, region, op, itemsKey, input) {
      // Per-resource lists (grants of one key) are stored under the resource's name.
      const name = (input?.KeyId ?? input?.Resource ?? input?.agentId ?? input?.knowledgeBaseId ?? undefined) as string | undefined;
      const out = read(fileOf(family, region, op, name));
      if (!out) return undefined;
      const items = out[itemsKey];
      if (items !== undefined && !Array.isArray(items)) throw new InputError(`${fileOf(family, region, op, name)}: field \`${itemsKey}\` must be an array`);
      return (items as unknown[] | undefined) ?? [];
    },
    close() {},
  };
}
