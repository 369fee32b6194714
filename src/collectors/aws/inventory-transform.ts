/**
 * Inventory → graph records. Pure. Each resource becomes a node (id = ARN) with its policy text,
 * public flags and crown-jewel class; each principal its resource policy or KMS grant names gets a
 * `MAY_ACCESS {via: 'resource-policy' | 'kms-grant'}` edge to it, so "who outside the account can
 * read this bucket" is a one-hop question.
 */
import crypto from 'node:crypto';
import { node, rel, type Batch, type NodeRef, type PropValue, type RelRecord } from '../../graph/records.js';
import { parsePolicy, publicStatements, resourceGrants, type ResourceGrant } from '../../identity/aws/index.js';
import { crownJewel, type CrownJewelOptions } from './crown-jewels.js';
import type { Inventory, Tags } from './inventory-types.js';
import { dedupeNodes } from './transform.js';

/** Resource labels the inventory writes, by family (also what patterns are matched against). */
export const RESOURCE_LABELS = ['AWSS3Bucket', 'AWSSecret', 'AWSKMSKey', 'AWSDynamoDBTable', 'AWSLambdaFunction', 'AWSECRRepository', 'AWSSageMakerModel', 'AWSSageMakerEndpoint'] as const;
export type ResourceLabel = (typeof RESOURCE_LABELS)[number];

export interface InventoryProblem {
  resource: string;
  message: string;
}

export interface InventoryTransform {
  batch: Batch;
  problems: InventoryProblem[];
  stats: { resources: number; grants: number; public: number; crownJewels: number };
}

const tagList = (t: Tags): string[] => Object.entries(t).map(([k, v]) => `${k}=${v}`).sort();
const hash = (s: string): string => crypto.createHash('sha256').update(s).digest('hex').slice(0, 16);

function principalRef(g: ResourceGrant, accountId: string, nodes: Batch['nodes']): NodeRef | undefined {
  switch (g.principal.kind) {
    case 'anyone':
      nodes.push(node('AWSAccount', '*', { accountId: '*', anyone: true }));
      return { label: 'AWSAccount', id: '*' };
    case 'account':
      if (g.principal.id !== accountId) nodes.push(node('AWSAccount', g.principal.id, { accountId: g.principal.id, external: true }));
      return { label: 'AWSAccount', id: g.principal.id };
    case 'service':
    case 'federated':
      nodes.push(node('AWSServicePrincipal', g.principal.id, { service: g.principal.id, ...(g.principal.kind === 'federated' ? { federated: true } : {}) }));
      return { label: 'AWSServicePrincipal', id: g.principal.id };
    case 'arn': {
      const id = g.principal.id;
      if (/:user\//.test(id)) return { label: 'AWSUser', id };
      if (/:role\//.test(id)) return { label: 'AWSRole', id };
      const m = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(id);
      return m ? { label: 'AWSRole', id: `arn:aws:iam::${m[1]}:role/${m[2]}` } : undefined;
    }
  }
}

/** Key ARNs only: a key id or alias alone cannot be placed without the key's region and account. */
const keyArn = (v: string | undefined): string | undefined => (v && /^arn:aws[a-z-]*:kms:[^:]+:\d{12}:key\//.test(v) ? v : undefined);

/** One family's inventory as one batch. */
export function transformInventory(inv: Inventory, opts: CrownJewelOptions & { artifactBuckets?: ReadonlySet<string> } = {}): InventoryTransform {
  const nodes: Batch['nodes'] = [];
  const rels: RelRecord[] = [];
  const problems: InventoryProblem[] = [];
  const stats = { resources: 0, grants: 0, public: 0, crownJewels: 0 };
  const acct: NodeRef = { label: 'AWSAccount', id: inv.accountId };
  nodes.push(node('AWSAccount', inv.accountId, { accountId: inv.accountId }));
  // Buckets and repositories SageMaker models load: model artifacts.
  const artifactBuckets = new Set([...(opts.artifactBuckets ?? []), ...artifactBucketsOf(inv)]);

  const add = (label: ResourceLabel, arn: string, name: string, tags: Tags, policyText: string | undefined, props: Record<string, PropValue>, kind: Parameters<typeof crownJewel>[0]['kind']): void => {
    stats.resources++;
    const me: NodeRef = { label, id: arn };
    let document: string | null = null;
    let publicIdx: number[] = [];
    if (policyText !== undefined) {
      try {
        const doc = parsePolicy(policyText);
        document = policyText;
        publicIdx = publicStatements(doc);
        for (const g of resourceGrants(doc)) {
          const from = principalRef(g, inv.accountId, nodes);
          if (!from) continue;
          rels.push(rel('MAY_ACCESS', from, me, { key: `resource-policy:${g.statement}`, props: { via: 'resource-policy', actions: g.actions, conditional: g.conditional, conditions: g.conditions, public: g.public, statement: g.statement } }));
          stats.grants++;
        }
      } catch (e) {
        // A policy that does not parse is reported and kept as text: the resource is still inventoried.
        problems.push({ resource: arn, message: `resource policy: ${(e as Error).message}` });
        document = policyText;
      }
    }
    // Buckets decide `public` themselves (Block Public Access); elsewhere a public statement is enough.
    const isPublic = typeof props.public === 'boolean' ? props.public : publicIdx.length > 0;
    if (isPublic) stats.public++;
    const cj = crownJewel({ kind, name, tags, artifact: kind === 'bucket' && artifactBuckets.has(name) }, opts);
    if (cj) stats.crownJewels++;
    nodes.push(
      node(label, arn, {
        arn,
        name,
        region: inv.region,
        accountId: inv.accountId,
        tags: tagList(tags),
        policy: document,
        publicStatements: publicIdx,
        crownJewel: cj?.class ?? null,
        crownJewelReason: cj?.reason ?? null,
        ...props,
        public: isPublic,
      }),
    );
    rels.push(rel('IN_ACCOUNT', me, acct));
  };
  const encrypted = (from: NodeRef, key: string | undefined): void => {
    const k = keyArn(key);
    if (k) rels.push(rel('ENCRYPTED_BY', from, { label: 'AWSKMSKey', id: k }));
  };

  for (const b of inv.buckets ?? []) {
    const arn = `arn:aws:s3:::${b.name}`;
    const pab = b.publicAccessBlock;
    const restrict = pab?.restrictPublicBuckets === true;
    const ignoreAcls = pab?.ignorePublicAcls === true;
    const pre = b.policy !== undefined ? safePublic(b.policy) : false;
    // S3 User Guide, Block Public Access: RestrictPublicBuckets limits a public policy to service
    // principals and the owner account; IgnorePublicAcls makes public ACL grants ineffective.
    const isPublic = (pre && !restrict) || (b.publicAclGrants.length > 0 && !ignoreAcls);
    add('AWSS3Bucket', arn, b.name, b.tags, b.policy, {
      public: isPublic,
      publicPolicy: pre,
      publicAclGrants: b.publicAclGrants,
      blockPublicAcls: pab?.blockPublicAcls ?? false,
      ignorePublicAcls: pab?.ignorePublicAcls ?? false,
      blockPublicPolicy: pab?.blockPublicPolicy ?? false,
      restrictPublicBuckets: pab?.restrictPublicBuckets ?? false,
      encryption: b.encryption?.algorithm ?? null,
      kmsKeyId: b.encryption?.kmsKeyId ?? null,
    }, 'bucket');
    encrypted({ label: 'AWSS3Bucket', id: arn }, b.encryption?.kmsKeyId);
  }
  for (const s of inv.secrets ?? []) {
    add('AWSSecret', s.arn, s.name, s.tags, s.policy, { description: s.description ?? null, rotationEnabled: s.rotationEnabled, kmsKeyId: s.kmsKeyId ?? null }, 'secret');
    encrypted({ label: 'AWSSecret', id: s.arn }, s.kmsKeyId);
  }
  for (const k of inv.keys ?? []) {
    add('AWSKMSKey', k.arn, k.aliases[0] ?? k.keyId, k.tags, k.policy, {
      keyId: k.keyId,
      aliases: k.aliases,
      description: k.description ?? null,
      keyManager: k.keyManager ?? null,
      keyState: k.keyState ?? null,
      keyUsage: k.keyUsage ?? null,
      grants: k.grants.map((g) => JSON.stringify(g)),
      // KMS: IAM policies of an account count only when the key policy allows that account (the default key policy allows its own).
      iamAccounts: k.policy !== undefined ? delegatedAccounts(k.policy) : [],
    }, 'key');
    for (const g of k.grants) {
      if (!g.granteePrincipal) continue;
      const from = principalRef({ principal: arnOrService(g.granteePrincipal), actions: [], conditional: false, conditions: [], statement: 0, public: false }, inv.accountId, nodes);
      if (!from) continue;
      rels.push(rel('MAY_ACCESS', from, { label: 'AWSKMSKey', id: k.arn }, { key: `kms-grant:${g.grantId || hash(JSON.stringify(g))}`, props: { via: 'kms-grant', actions: g.operations.map((o) => `kms:${o}`), conditional: false, conditions: [], public: false, grantId: g.grantId } }));
      stats.grants++;
    }
  }
  for (const t of inv.tables ?? []) {
    add('AWSDynamoDBTable', t.arn, t.name, t.tags, undefined, { status: t.status ?? null, itemCount: t.itemCount ?? null, sseType: t.sseType ?? null }, 'table');
    encrypted({ label: 'AWSDynamoDBTable', id: t.arn }, t.kmsKeyArn);
  }
  for (const f of inv.functions ?? []) {
    add('AWSLambdaFunction', f.arn, f.name, f.tags, f.policy, { runtime: f.runtime ?? null, role: f.role ?? null, environmentNames: f.environmentNames }, 'function');
    if (f.role) rels.push(rel('EXECUTES_AS', { label: 'AWSLambdaFunction', id: f.arn }, { label: 'AWSRole', id: f.role }));
    encrypted({ label: 'AWSLambdaFunction', id: f.arn }, f.kmsKeyArn);
  }
  for (const e of inv.repositories ?? []) {
    add('AWSECRRepository', e.arn, e.name, e.tags, e.policy, { uri: e.uri ?? null, encryption: e.encryption?.type ?? null }, 'repository');
    encrypted({ label: 'AWSECRRepository', id: e.arn }, e.encryption?.kmsKey);
  }
  for (const m of inv.models ?? []) {
    add('AWSSageMakerModel', m.arn, m.name, {}, undefined, { executionRole: m.executionRole ?? null, artifacts: m.artifacts, images: m.images }, 'model');
    if (m.executionRole) rels.push(rel('EXECUTES_AS', { label: 'AWSSageMakerModel', id: m.arn }, { label: 'AWSRole', id: m.executionRole }));
    for (const b of new Set(m.artifacts.map((u) => /^s3:\/\/([^/]+)/.exec(u)?.[1]).filter((x): x is string => x !== undefined)))
      rels.push(rel('LOADS_ARTIFACT', { label: 'AWSSageMakerModel', id: m.arn }, { label: 'AWSS3Bucket', id: `arn:aws:s3:::${b}` }));
  }
  for (const e of inv.endpoints ?? []) add('AWSSageMakerEndpoint', e.arn, e.name, {}, undefined, { status: e.status ?? null }, 'endpoint');
  return { batch: { nodes: dedupeNodes(nodes), rels }, problems, stats };
}

/** Buckets the inventory's SageMaker models load artifacts from (s3://bucket/…). */
export function artifactBucketsOf(inv: Inventory): string[] {
  return (inv.models ?? []).flatMap((m) => m.artifacts.map((u) => /^s3:\/\/([^/]+)/.exec(u)?.[1]).filter((b): b is string => b !== undefined));
}

function delegatedAccounts(text: string): string[] {
  try {
    return [...new Set(resourceGrants(parsePolicy(text)).filter((g) => g.principal.kind === 'account').map((g) => g.principal.id))].sort();
  } catch {
    return [];
  }
}

function safePublic(text: string): boolean {
  try {
    return publicStatements(parsePolicy(text)).length > 0;
  } catch {
    return false;
  }
}

function arnOrService(p: string): ResourceGrant['principal'] {
  if (p.endsWith('.amazonaws.com')) return { kind: 'service', id: p };
  if (/^arn:aws[a-z-]*:iam::\d{12}:root$/.test(p)) return { kind: 'account', id: p.split(':')[4]! };
  return { kind: 'arn', id: p };
}
