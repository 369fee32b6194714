/**
 * The account model: users, groups, roles and managed policies as
 * GetAccountAuthorizationDetails returns them (SDK objects or the JSON `aws iam
 * get-account-authorization-details` prints). A policy that fails to parse is reported by name and
 * left out; everything else still loads.
 */
import { z } from 'zod';
import { arnAccount } from './glob.js';
import { parsePolicy, PolicyParseError, resourceTypeWildcards, type NamedPolicy, type PolicyDocument } from './policy.js';

const tag = z.object({ Key: z.string(), Value: z.string().optional() }).passthrough();
const inlinePolicy = z.object({ PolicyName: z.string(), PolicyDocument: z.unknown() }).passthrough();
const attached = z.object({ PolicyName: z.string().optional(), PolicyArn: z.string() }).passthrough();
const boundary = z.object({ PermissionsBoundaryArn: z.string(), PermissionsBoundaryType: z.string().optional() }).passthrough();
const date = z.union([z.string(), z.date()]).optional();

const userSchema = z
  .object({
    UserName: z.string(),
    Arn: z.string(),
    Path: z.string().optional(),
    UserId: z.string().optional(),
    CreateDate: date,
    UserPolicyList: z.array(inlinePolicy).nullish(),
    GroupList: z.array(z.string()).nullish(),
    AttachedManagedPolicies: z.array(attached).nullish(),
    PermissionsBoundary: boundary.nullish(),
    Tags: z.array(tag).nullish(),
  })
  .passthrough();
const groupSchema = z
  .object({
    GroupName: z.string(),
    Arn: z.string(),
    Path: z.string().optional(),
    GroupPolicyList: z.array(inlinePolicy).nullish(),
    AttachedManagedPolicies: z.array(attached).nullish(),
  })
  .passthrough();
const roleSchema = z
  .object({
    RoleName: z.string(),
    Arn: z.string(),
    Path: z.string().optional(),
    CreateDate: date,
    AssumeRolePolicyDocument: z.unknown().optional(),
    InstanceProfileList: z.array(z.object({ InstanceProfileName: z.string().optional(), Arn: z.string() }).passthrough()).nullish(),
    RolePolicyList: z.array(inlinePolicy).nullish(),
    AttachedManagedPolicies: z.array(attached).nullish(),
    PermissionsBoundary: boundary.nullish(),
    Tags: z.array(tag).nullish(),
    RoleLastUsed: z.object({ LastUsedDate: date, Region: z.string().optional() }).passthrough().nullish(),
  })
  .passthrough();
const policySchema = z
  .object({
    // Optional: some implementations (moto) leave it out; the ARN carries it.
    PolicyName: z.string().optional(),
    Arn: z.string(),
    Path: z.string().optional(),
    DefaultVersionId: z.string().optional(),
    AttachmentCount: z.number().optional(),
    PolicyVersionList: z.array(z.object({ Document: z.unknown().optional(), VersionId: z.string().optional(), IsDefaultVersion: z.boolean().optional() }).passthrough()).nullish(),
  })
  .passthrough();

/** One page (or the merged whole) of GetAccountAuthorizationDetails. */
export const authDetailsSchema = z
  .object({
    UserDetailList: z.array(userSchema).nullish(),
    GroupDetailList: z.array(groupSchema).nullish(),
    RoleDetailList: z.array(roleSchema).nullish(),
    Policies: z.array(policySchema).nullish(),
  })
  .passthrough();
export type AuthDetails = z.infer<typeof authDetailsSchema>;

export interface Problem {
  /** The policy or object the problem is about (ARN, or principal ARN + "#inline/" + name). */
  name: string;
  message: string;
}

export interface PolicyVersion {
  id: string;
  isDefault: boolean;
  doc: PolicyDocument;
}

export interface ManagedPolicy {
  arn: string;
  name: string;
  path: string;
  awsManaged: boolean;
  defaultVersion?: string;
  /** The default version's document; undefined when it failed to parse. */
  doc?: PolicyDocument;
  versions: PolicyVersion[];
}

export interface AwsGroup {
  arn: string;
  name: string;
  managed: string[];
  inline: NamedPolicy[];
}

export interface AwsPrincipal {
  arn: string;
  kind: 'user' | 'role';
  name: string;
  path: string;
  accountId: string;
  createDate?: string;
  /** Managed policy ARNs attached directly. */
  managed: string[];
  inline: NamedPolicy[];
  /** Group ARNs (users only). */
  groups: string[];
  boundaryArn?: string;
  /** Role trust policy. */
  trust?: NamedPolicy;
  trustText?: string;
  instanceProfiles: string[];
  tags: Record<string, string>;
  lastUsed?: string;
}

export interface OidcProvider {
  arn: string;
  /** Issuer without scheme, e.g. oidc.eks.eu-west-1.amazonaws.com/id/ABC. */
  url: string;
  clientIds: string[];
}

export interface AccountModel {
  accountId: string;
  principals: Map<string, AwsPrincipal>;
  groups: Map<string, AwsGroup>;
  policies: Map<string, ManagedPolicy>;
  oidcProviders: OidcProvider[];
  /** Policies that could not be used (skipped). */
  problems: Problem[];
  /**
   * Loaded, but worth a look: a permissions boundary missing from the input, an ARN with a wildcard
   * in its resource-type part. Optional so hand-built models stay valid.
   */
  warnings?: Problem[];
}

function isoDate(d: string | Date | undefined): string | undefined {
  if (d === undefined) return undefined;
  return d instanceof Date ? d.toISOString() : d;
}

/** Where loading reports: skipped policies and loaded-but-suspect ones. */
interface Report {
  problems: Problem[];
  warnings: Problem[];
}

function tryParse(name: string, doc: unknown, report: Report): PolicyDocument | undefined {
  if (doc === undefined || doc === null) {
    report.problems.push({ name, message: 'policy document missing' });
    return undefined;
  }
  try {
    const parsed = parsePolicy(doc);
    for (const w of resourceTypeWildcards(parsed)) report.warnings.push({ name, message: w });
    return parsed;
  } catch (e) {
    report.problems.push({ name, message: e instanceof PolicyParseError ? e.message : String(e) });
    return undefined;
  }
}

function inlineList(owner: string, list: z.infer<typeof inlinePolicy>[] | null | undefined, report: Report): NamedPolicy[] {
  const out: NamedPolicy[] = [];
  for (const p of list ?? []) {
    const name = `${owner}#inline/${p.PolicyName}`;
    const doc = tryParse(name, p.PolicyDocument, report);
    if (doc) out.push({ name, doc });
  }
  return out;
}

/** Merge pages into one details object (the API pages every list independently). */
export function mergeAuthDetails(pages: AuthDetails[]): AuthDetails {
  return {
    UserDetailList: pages.flatMap((p) => p.UserDetailList ?? []),
    GroupDetailList: pages.flatMap((p) => p.GroupDetailList ?? []),
    RoleDetailList: pages.flatMap((p) => p.RoleDetailList ?? []),
    Policies: pages.flatMap((p) => p.Policies ?? []),
  };
}

/**
 * Validate raw JSON as authorization details. Throws with the failing field path; an entry that
 * is not an object of the right shape is a file-level error, a bad policy document is not.
 */
export function parseAuthDetails(raw: unknown, source: string): AuthDetails {
  const r = authDetailsSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(`${source}: ${i.path.map(String).join('.') || '(top level)'}: ${i.message}`);
  }
  return r.data;
}

/** Build the account model. `accountId` defaults to the account in the first ARN found. */
export function buildAccountModel(details: AuthDetails, opts: { accountId?: string; oidcProviders?: OidcProvider[] } = {}): AccountModel {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const report: Report = { problems, warnings };
  const policies = new Map<string, ManagedPolicy>();
  for (const p of details.Policies ?? []) {
    const versions: PolicyVersion[] = [];
    let doc: PolicyDocument | undefined;
    for (const v of p.PolicyVersionList ?? []) {
      const isDefault = v.IsDefaultVersion === true || (v.VersionId !== undefined && v.VersionId === p.DefaultVersionId);
      const name = isDefault ? p.Arn : `${p.Arn}?version=${v.VersionId ?? '?'}`;
      const d = tryParse(name, v.Document, report);
      if (d === undefined) continue;
      versions.push({ id: v.VersionId ?? '', isDefault, doc: d });
      if (isDefault) doc = d;
    }
    const mp: ManagedPolicy = { arn: p.Arn, name: p.PolicyName ?? p.Arn.slice(p.Arn.lastIndexOf('/') + 1), path: p.Path ?? '/', awsManaged: arnAccount(p.Arn) === 'aws', versions };
    if (p.DefaultVersionId !== undefined) mp.defaultVersion = p.DefaultVersionId;
    if (doc !== undefined) mp.doc = doc;
    policies.set(p.Arn, mp);
  }

  const groups = new Map<string, AwsGroup>();
  const groupByName = new Map<string, string>();
  for (const g of details.GroupDetailList ?? []) {
    groups.set(g.Arn, { arn: g.Arn, name: g.GroupName, managed: (g.AttachedManagedPolicies ?? []).map((a) => a.PolicyArn), inline: inlineList(g.Arn, g.GroupPolicyList, report) });
    groupByName.set(g.GroupName, g.Arn);
  }

  const principals = new Map<string, AwsPrincipal>();
  const tagsOf = (t: z.infer<typeof tag>[] | null | undefined): Record<string, string> => Object.fromEntries((t ?? []).map((x) => [x.Key, x.Value ?? '']));
  /** What users and roles share: identity, attached and inline policies, tags, creation date, boundary. */
  const principalOf = (
    kind: 'user' | 'role',
    e: { Arn: string; Path?: string | undefined; CreateDate?: string | Date | undefined; AttachedManagedPolicies?: z.infer<typeof attached>[] | null; Tags?: z.infer<typeof tag>[] | null; PermissionsBoundary?: z.infer<typeof boundary> | null },
    name: string,
    inline: z.infer<typeof inlinePolicy>[] | null | undefined,
  ): AwsPrincipal => {
    const p: AwsPrincipal = {
      arn: e.Arn,
      kind,
      name,
      path: e.Path ?? '/',
      accountId: arnAccount(e.Arn),
      managed: (e.AttachedManagedPolicies ?? []).map((a) => a.PolicyArn),
      inline: inlineList(e.Arn, inline, report),
      groups: [],
      instanceProfiles: [],
      tags: tagsOf(e.Tags),
    };
    const cd = isoDate(e.CreateDate);
    if (cd !== undefined) p.createDate = cd;
    if (e.PermissionsBoundary) p.boundaryArn = e.PermissionsBoundary.PermissionsBoundaryArn;
    return p;
  };
  for (const u of details.UserDetailList ?? []) {
    const p = principalOf('user', u, u.UserName, u.UserPolicyList);
    p.groups = (u.GroupList ?? []).map((n) => groupByName.get(n) ?? `arn:aws:iam::${arnAccount(u.Arn)}:group/${n}`);
    principals.set(p.arn, p);
  }
  for (const r of details.RoleDetailList ?? []) {
    const p = principalOf('role', r, r.RoleName, r.RolePolicyList);
    p.instanceProfiles = (r.InstanceProfileList ?? []).map((i) => i.Arn);
    const trustName = `${r.Arn}#trust`;
    const trust = tryParse(trustName, r.AssumeRolePolicyDocument, report);
    if (trust) {
      p.trust = { name: trustName, doc: trust };
      p.trustText = JSON.stringify(typeof r.AssumeRolePolicyDocument === 'string' ? trust : r.AssumeRolePolicyDocument);
    }
    const lu = isoDate(r.RoleLastUsed?.LastUsedDate);
    if (lu !== undefined) p.lastUsed = lu;
    principals.set(p.arn, p);
  }
  // AWS-managed policies nobody uses grant nothing; some sources (moto) list all of them.
  const used = new Set<string>();
  for (const p of principals.values()) {
    p.managed.forEach((a) => used.add(a));
    if (p.boundaryArn) used.add(p.boundaryArn);
  }
  for (const g of groups.values()) g.managed.forEach((a) => used.add(a));
  for (const [arn, mp] of policies) if (mp.awsManaged && !used.has(arn)) policies.delete(arn);
  // Warnings about policies just dropped would only be noise.
  for (let i = warnings.length - 1; i >= 0; i--) {
    const name = warnings[i]!.name;
    const arn = name.includes('?version=') ? name.slice(0, name.indexOf('?version=')) : name;
    if (arn.includes(':policy/') && !policies.has(arn)) warnings.splice(i, 1);
  }
  for (const p of principals.values()) {
    if (p.boundaryArn === undefined || policies.get(p.boundaryArn)?.doc !== undefined) continue;
    warnings.push({ name: p.arn, message: `permissions boundary ${p.boundaryArn} is not in the input or did not parse: every grant of this principal is at most conditional` });
  }
  const accountId = opts.accountId ?? [...principals.values()].map((p) => p.accountId).find((a) => /^\d{12}$/.test(a)) ?? [...policies.keys()].map(arnAccount).find((a) => /^\d{12}$/.test(a)) ?? 'unknown';
  return { accountId, principals, groups, policies, oidcProviders: opts.oidcProviders ?? [], problems, warnings };
}

/** Every identity policy that applies to a principal: inline, attached managed, and its groups'. */
export function identityPolicies(model: AccountModel, p: AwsPrincipal): NamedPolicy[] {
  const out: NamedPolicy[] = [...p.inline];
  const addManaged = (arn: string): void => {
    const mp = model.policies.get(arn);
    if (mp?.doc) out.push({ name: arn, doc: mp.doc });
  };
  p.managed.forEach(addManaged);
  for (const g of p.groups) {
    const grp = model.groups.get(g);
    if (!grp) continue;
    out.push(...grp.inline);
    grp.managed.forEach(addManaged);
  }
  return out;
}

/** The principal's permission boundary as a named policy, if any and if it parsed. */
export function boundaryPolicy(model: AccountModel, p: AwsPrincipal): NamedPolicy | undefined {
  if (p.boundaryArn === undefined) return undefined;
  const mp = model.policies.get(p.boundaryArn);
  return mp?.doc ? { name: p.boundaryArn, doc: mp.doc } : undefined;
}

/**
 * ARN of the principal's permissions boundary when the model cannot supply it (absent from the
 * input, or its document did not parse). Dropping it would fail open; callers treat it as unknown.
 */
export function unreadableBoundary(model: AccountModel, p: AwsPrincipal): string | undefined {
  if (p.boundaryArn === undefined) return undefined;
  return model.policies.get(p.boundaryArn)?.doc === undefined ? p.boundaryArn : undefined;
}

/** OIDC providers a role's trust names by ARN, with the issuer taken from the ARN. */
export function providerUrlFromTrust(p: AwsPrincipal): { arn: string; url: string }[] {
  const out: { arn: string; url: string }[] = [];
  for (const st of p.trust?.doc.statements ?? []) {
    if (st.principal === undefined || st.principal === '*') continue;
    for (const [k, vals] of Object.entries(st.principal)) {
      if (k.toLowerCase() !== 'federated') continue;
      for (const v of vals) {
        const m = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/(.+)$/.exec(v);
        if (m) out.push({ arn: v, url: m[1]! });
      }
    }
  }
  return out;
}
