/**
 * IAM policy documents: parsing and normalization. Both `Version` 2012-10-17 and 2008-10-17 are
 * accepted (2008 only lacks policy variables, which are then taken literally); single strings
 * and arrays are normalized to arrays; unknown statement fields are rejected, naming the field.
 */
import { z } from 'zod';

export type Effect = 'Allow' | 'Deny';

/** Condition block: operator → key → values (values always an array of strings). */
export type ConditionBlock = Record<string, Record<string, string[]>>;

/** A principal element normalized: type (AWS, Service, Federated, CanonicalUser) → values; '*' = anyone. */
export type PrincipalBlock = '*' | Record<string, string[]>;

export interface Statement {
  sid?: string;
  effect: Effect;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: PrincipalBlock;
  notPrincipal?: PrincipalBlock;
  condition?: ConditionBlock;
}

export interface PolicyDocument {
  version: '2012-10-17' | '2008-10-17';
  id?: string;
  statements: Statement[];
}

/** A policy with the name it is reported under (ARN, or principal ARN + "#inline/" + name). */
export interface NamedPolicy {
  name: string;
  doc: PolicyDocument;
}

/** A document that could not be parsed; the message names the field. */
export class PolicyParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyParseError';
  }
}

/** Largest document accepted (AWS's own limits are 6,144 / 10,240 chars; we allow slack for whitespace). */
export const MAX_POLICY_CHARS = 131_072;

const stringOrArray = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const scalarOrArray = z
  .union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number(), z.boolean()]))])
  .transform((v) => (Array.isArray(v) ? v : [v]).map(String));
const principalSchema = z.union([z.literal('*'), z.record(z.string(), stringOrArray)]);

const statementSchema = z
  .object({
    Sid: z.string().optional(),
    Effect: z.enum(['Allow', 'Deny']),
    Action: stringOrArray.optional(),
    NotAction: stringOrArray.optional(),
    Resource: stringOrArray.optional(),
    NotResource: stringOrArray.optional(),
    Principal: principalSchema.optional(),
    NotPrincipal: principalSchema.optional(),
    Condition: z.record(z.string(), z.record(z.string(), scalarOrArray)).optional(),
  })
  .strict()
  .refine((s) => (s.Action === undefined) !== (s.NotAction === undefined), { message: 'exactly one of Action or NotAction is required' })
  .refine((s) => !(s.Resource !== undefined && s.NotResource !== undefined), { message: 'Resource and NotResource are mutually exclusive' })
  .refine((s) => !(s.Principal !== undefined && s.NotPrincipal !== undefined), { message: 'Principal and NotPrincipal are mutually exclusive' });

const documentSchema = z
  .object({
    Version: z.enum(['2012-10-17', '2008-10-17']).optional(),
    Id: z.string().optional(),
    Statement: z.preprocess((v) => (Array.isArray(v) || v === undefined ? v : [v]), z.array(statementSchema)),
  })
  .strict();

function describeZod(err: z.ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => {
      const path = i.path.map(String).join('.');
      const unknown = i.code === 'unrecognized_keys' ? ` (${(i as { keys?: string[] }).keys?.join(', ')})` : '';
      return `${path === '' ? '(document)' : path}: ${i.message}${unknown}`;
    })
    .join('; ');
}

/**
 * Parse a policy document given as an object, a JSON string, or a URL-encoded JSON string (the
 * form IAM's API returns). Throws PolicyParseError naming the problem.
 */
export function parsePolicy(input: unknown): PolicyDocument {
  let raw = input;
  if (typeof raw === 'string') {
    if (raw.length > MAX_POLICY_CHARS * 3) throw new PolicyParseError(`document too large (${raw.length} chars, limit ${MAX_POLICY_CHARS})`);
    let text = raw.trim();
    if (!text.startsWith('{') && text.includes('%')) {
      try {
        text = decodeURIComponent(text.replace(/\+/g, '%20'));
      } catch {
        throw new PolicyParseError('document is neither JSON nor valid URL-encoded JSON');
      }
    }
    if (text.length > MAX_POLICY_CHARS) throw new PolicyParseError(`document too large (${text.length} chars, limit ${MAX_POLICY_CHARS})`);
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new PolicyParseError(`invalid JSON: ${(e as Error).message}`);
    }
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new PolicyParseError('document must be a JSON object');
  const parsed = documentSchema.safeParse(raw);
  if (!parsed.success) throw new PolicyParseError(describeZod(parsed.error));
  const d = parsed.data;
  const stmts = d.Statement;
  const statements: Statement[] = stmts.map((s) => {
    const st: Statement = { effect: s.Effect };
    if (s.Sid !== undefined) st.sid = s.Sid;
    if (s.Action !== undefined) st.action = s.Action;
    if (s.NotAction !== undefined) st.notAction = s.NotAction;
    if (s.Resource !== undefined) st.resource = s.Resource;
    if (s.NotResource !== undefined) st.notResource = s.NotResource;
    if (s.Principal !== undefined) st.principal = s.Principal;
    if (s.NotPrincipal !== undefined) st.notPrincipal = s.NotPrincipal;
    if (s.Condition !== undefined) st.condition = s.Condition;
    return st;
  });
  const doc: PolicyDocument = { version: d.Version ?? '2008-10-17', statements };
  if (d.Id !== undefined) doc.id = d.Id;
  return doc;
}

/** The condition block as compact JSON text (what graph edges and CLI output carry). */
export function conditionText(c: ConditionBlock | undefined): string | undefined {
  return c === undefined || Object.keys(c).length === 0 ? undefined : JSON.stringify(c);
}

/** Back to AWS's JSON form (for display and storage). */
export function policyToJson(doc: PolicyDocument): string {
  return JSON.stringify({
    Version: doc.version,
    ...(doc.id === undefined ? {} : { Id: doc.id }),
    Statement: doc.statements.map((s) => ({
      ...(s.sid === undefined ? {} : { Sid: s.sid }),
      Effect: s.effect,
      ...(s.principal === undefined ? {} : { Principal: s.principal }),
      ...(s.notPrincipal === undefined ? {} : { NotPrincipal: s.notPrincipal }),
      ...(s.action === undefined ? {} : { Action: s.action }),
      ...(s.notAction === undefined ? {} : { NotAction: s.notAction }),
      ...(s.resource === undefined ? {} : { Resource: s.resource }),
      ...(s.notResource === undefined ? {} : { NotResource: s.notResource }),
      ...(s.condition === undefined ? {} : { Condition: s.condition }),
    })),
  });
}

/**
 * Warnings for ARNs whose resource-type part carries a wildcard (`u*` or `insta*nce` before the `/`).
 * AWS's ARN format names a fixed resource type there and AWS does not document how such a pattern
 * evaluates; the evaluator treats it like any wildcard in that segment (docs/aws-iam.md). S3 is left
 * out: its ARNs have no resource type, the part before `/` is the bucket name.
 */
export function resourceTypeWildcards(doc: PolicyDocument): string[] {
  const out: string[] = [];
  doc.statements.forEach((st, i) => {
    const element = st.resource !== undefined ? 'Resource' : 'NotResource';
    for (const pattern of st.resource ?? st.notResource ?? []) {
      // Variables may contain ':' (`${aws:PrincipalAccount}`); they never name a resource type.
      const plain = pattern.replace(/\$\{[^}]*\}/g, 'v');
      if (!plain.startsWith('arn:')) continue;
      const parts = plain.split(':');
      if (parts.length < 6 || parts[2] === 's3') continue;
      const rest = parts.slice(5).join(':');
      const sep = rest.search(/[/:]/);
      if (sep < 0) continue;
      const type = rest.slice(0, sep);
      if (!/[*?]/.test(type)) continue;
      out.push(
        `statement ${i} ${element} "${pattern}": wildcard in the resource-type part ("${type}"); AWS's ARN format does not allow one there and AWS does not document how it evaluates. reachgraph matches it like any wildcard inside an ARN segment: a * that does not end the segment does not cross ':'`,
      );
    }
  });
  return out;
}
