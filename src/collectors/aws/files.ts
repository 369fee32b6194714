/**
 * Offline inputs: the JSON `aws iam get-account-authorization-details` prints, saved
 * last-accessed responses, EKS Pod Identity associations and SCP levels. Every error names the file
 * and, for JSON syntax errors, the line.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { parseAuthDetails, parsePolicy, PolicyParseError, type AuthDetails, type NamedPolicy, type OidcProvider } from '../../identity/aws/index.js';
import { savedLastAccessedSchema, type LastAccessedResponse } from './last-accessed.js';
import type { PodIdentityAssociation } from './transform.js';

/** Read and parse a JSON file; syntax errors report file and line. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    throw new InputError(`${file}${line ? `:${line}` : ''}: invalid JSON: ${msg}`);
  }
}

function zodMessage(file: string, err: z.ZodError): string {
  const i = err.issues[0]!;
  return `${file}: field \`${i.path.map(String).join('.') || '(top level)'}\`: ${i.message}`;
}

export interface AuthDetailsFile {
  details: AuthDetails;
  /** Providers named in an optional `OpenIDConnectProviderList` (the list-open-id-connect-providers output merged in). */
  oidcProviders: OidcProvider[];
}

/** The issuer of an OIDC provider ARN (`…:oidc-provider/<issuer>`), for providers listed without their URL. */
export function providerUrlFromArn(arn: string): string {
  return /:oidc-provider\/(.+)$/.exec(arn)?.[1] ?? arn;
}

export function readAuthDetailsFile(file: string): AuthDetailsFile {
  const raw = readJsonFile(file);
  let details: AuthDetails;
  try {
    details = parseAuthDetails(raw, file);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  const list = (raw as { OpenIDConnectProviderList?: unknown }).OpenIDConnectProviderList;
  const providers: OidcProvider[] = [];
  if (Array.isArray(list)) {
    for (const [i, p] of list.entries()) {
      const arn = (p as { Arn?: unknown })?.Arn;
      if (typeof arn !== 'string') throw new InputError(`${file}: field \`OpenIDConnectProviderList.${i}.Arn\`: expected a string`);
      const url = (p as { Url?: unknown }).Url;
      const ids = (p as { ClientIDList?: unknown }).ClientIDList;
      providers.push({ arn, url: typeof url === 'string' ? url : providerUrlFromArn(arn), clientIds: Array.isArray(ids) ? ids.map(String) : [] });
    }
  }
  return { details, oidcProviders: providers };
}

export function readLastAccessedFile(file: string): Map<string, LastAccessedResponse> {
  const r = savedLastAccessedSchema.safeParse(readJsonFile(file));
  if (!r.success) throw new InputError(zodMessage(file, r.error));
  return new Map(Object.entries(r.data));
}

const assocSchema = z.object({ clusterName: z.string().min(1), namespace: z.string().min(1), serviceAccount: z.string().min(1), roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\//), associationArn: z.string().optional() }).passthrough();
const podIdentityFileSchema = z.union([
  z.array(z.union([z.object({ association: assocSchema }).passthrough(), assocSchema])),
  z.object({ associations: z.array(z.union([z.object({ association: assocSchema }).passthrough(), assocSchema])) }).passthrough(),
]);

/** EKS Pod Identity associations: an array of `aws eks describe-pod-identity-association` outputs, or `{associations:[…]}`. */
export function readPodIdentityFile(file: string): PodIdentityAssociation[] {
  const r = podIdentityFileSchema.safeParse(readJsonFile(file));
  if (!r.success) throw new InputError(zodMessage(file, r.error));
  const list = Array.isArray(r.data) ? r.data : r.data.associations;
  return list.map((x) => {
    const a = ('association' in x ? x.association : x) as z.infer<typeof assocSchema>;
    return { clusterName: a.clusterName, namespace: a.namespace, serviceAccount: a.serviceAccount, roleArn: a.roleArn, ...(a.associationArn ? { associationArn: a.associationArn } : {}) };
  });
}

const scpFileSchema = z.object({ levels: z.array(z.array(z.object({ name: z.string(), document: z.unknown() }))) }).strict();

/** SCPs per level of the OU path, root first: `{"levels":[[{"name","document"}],…]}`. */
export function readScpFile(file: string): NamedPolicy[][] {
  const r = scpFileSchema.safeParse(readJsonFile(file));
  if (!r.success) throw new InputError(zodMessage(file, r.error));
  return r.data.levels.map((level, i) =>
    level.map((p, j) => {
      try {
        return { name: p.name, doc: parsePolicy(p.document) };
      } catch (e) {
        throw new InputError(`${file}: levels.${i}.${j} (${p.name}): ${e instanceof PolicyParseError ? e.message : String(e)}`);
      }
    }),
  );
}

/** `ISSUER=CLUSTER` pairs (issuer with or without https://). */
export function parseClusterMappings(pairs: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of pairs) {
    const i = p.lastIndexOf('=');
    if (i <= 0 || i === p.length - 1) throw new InputError(`--cluster "${p}": expected ISSUER=CLUSTER_NAME`);
    m.set(p.slice(0, i).replace(/^https?:\/\//, '').replace(/\/$/, ''), p.slice(i + 1));
  }
  return m;
}
