/**
 * Inventory → graph records. Pure. Each resource becomes a node (id = ARN) with its policy text,
 * public flags and crown-jewel class; each principal its resource policy or KMS grant names gets a
 * `MAY_ACCESS {via: 'resource-policy' | 'kms-grant'}` edge to it, so "who outside the account can
 * read this bucket" is a one-hop question.
 */
import crypto from 'node:crypto';
import { node, rel, type Batch, type NodeRef, type PropValue, type RelRecord } from '../../graph/records.js';
import { arnService, parsePolicy, publicStatements, resourceCovers, resourceDenies, resourceGrants, resourceMatches, type NamedPrincipal } from '../../identity/aws/index.js';
import { crownJewel, type CrownJewelOptions } from './crown-jewels.js';
import type { Inventory, Tags } from './inventory-types.js';
import { dedupeNodes } from './transform.js';

/** Resource labels the inventory writes, by family (also what patterns are matched against). */
export const RESOURCE_LABELS = [
  'AWSS3Bucket',
  'AWSSecret',
  'AWSKMSKey',
  'AWSDynamoDBTable',
  'AWSLambdaFunction',
  'AWSECRRepository',
  'AWSSageMakerModel',
  'AWSSageMakerEndpoint',
  'AWSBedrockCustomModel',
  'AWSBedrockImportedModel',
  'AWSBedrockGuardrail',
  'AWSBedrockAgent',
  'AWSBedrockKnowledgeBase',
] as const;
export type ResourceLabel = (typeof RESOURCE_LABELS)[number];

export interface InventoryProblem {
  resource: string;
  message: string;
}

export interface InventoryTransform {
  batch: Batch;
  problems: InventoryProblem[];
  stats: { resources: number; grants: number; denies: number; public: number; crownJewels: number };
}

const tagList = (t: Tags): string[] => Object.entries(t).map(([k, v]) => `${k}=${v}`).sort();
const hash = (s: string): string => crypto.createHash('sha256').update(s).digest('hex').slice(0, 16);

function principalRef(g: { principal: NamedPrincipal }, accountId: string, nodes: Batch['nodes']): NodeRef | undefined {
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
  const stats = { resources: 0, grants: 0, denies: 0, public: 0, crownJewels: 0 };
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
          rels.push(
            rel('MAY_ACCESS', from, me, {
              key: `resource-policy:${g.statement}`,
              props: { via: 'resource-policy', actions: g.actions, conditional: g.conditional, conditions: g.conditions, conditionKeys: g.conditionKeys, public: g.public, statement: g.statement, deniedBy: g.deniedBy, denied: g.denied ?? null },
            }),
          );
          stats.grants++;
        }
        // A Deny is its own edge: grants of other policies (identity, KMS grants) meet it in Cypher and in `iam can`.
        for (const d of resourceDenies(doc)) {
          const from = principalRef(d, inv.accountId, nodes);
          if (!from) continue;
          rels.push(
            rel('DENIES_ACCESS', from, me, {
              key: `resource-policy:${d.statement}`,
              props: {
                via: 'resource-policy',
                actions: d.actions,
                resources: d.resources,
                conditional: d.conditional,
                conditions: d.conditions,
                conditionKeys: d.conditionKeys,
                exceptPrincipals: d.exceptPrincipals,
                statement: d.statement,
                allActions: d.actions.some((a) => a === '*' || a.toLowerCase() === `${arnService(arn) ?? ''}:*`),
                wholeResource: coversWholeResource(d.resources, arn),
              },
            }),
          );
          stats.denies++;
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
      const from = principalRef({ principal: arnOrService(g.granteePrincipal) }, inv.accountId, nodes);
      if (!from) continue;
      // Grant constraints (encryption context) are conditions: the grant holds only for matching requests.
      const constraintKeys = g.constraints ? Object.keys(g.constraints).sort() : [];
      rels.push(
        rel('MAY_ACCESS', from, { label: 'AWSKMSKey', id: k.arn }, {
          key: `kms-grant:${g.grantId || hash(JSON.stringify(g))}`,
          props: {
            via: 'kms-grant',
            actions: g.operations.map((o) => `kms:${o}`),
            conditional: constraintKeys.length > 0,
            conditions: g.constraints ? [JSON.stringify(g.constraints)] : [],
            conditionKeys: constraintKeys.map((c) => `kms:grantconstraint:${c.toLowerCase()}`),
            public: false,
            grantId: g.grantId,
          },
        }),
      );
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
  bedrockRecords(inv, add, encrypted, nodes, rels);
  return { batch: { nodes: dedupeNodes(nodes), rels }, problems, stats };
}

type AddResource = (label: ResourceLabel, arn: string, name: string, tags: Tags, policyText: string | undefined, props: Record<string, PropValue>, kind: Parameters<typeof crownJewel>[0]['kind']) => void;

const bucketOfUri = (u: string | undefined): string | undefined => (u ? /^s3:\/\/([^/]+)/.exec(u)?.[1] : undefined);
const bucketRef = (name: string): NodeRef => ({ label: 'AWSS3Bucket', id: `arn:aws:s3:::${name}` });

/**
 * The node a Bedrock model identifier names: a custom or imported model of the inventory by ARN, else
 * the hosted model as an AI-BOM `AIModel` (`bedrock/<model or inference profile id>`), so a Bedrock
 * agent and a scanned agent calling the same model meet at one node.
 */
export function bedrockModelRef(model: string): NodeRef {
  if (/^arn:aws[a-z-]*:bedrock:[^:]*:\d{12}:custom-model\//.test(model)) return { label: 'AWSBedrockCustomModel', id: model };
  if (/^arn:aws[a-z-]*:bedrock:[^:]*:\d{12}:imported-model\//.test(model)) return { label: 'AWSBedrockImportedModel', id: model };
  const id = model.startsWith('arn:') ? model.slice(model.indexOf('/') + 1) : model;
  return { label: 'AIModel', id: `bedrock/${id}` };
}

/**
 * Bedrock: models and guardrails as inventory resources; each agent as an `AWSBedrockAgent` resource
 * and an AI-BOM `AIAgent` (id = agent ARN) that RUNS_ON it, USES_IDENTITY its service role, MAY_INVOKE
 * its model and MAY_USE_TOOL its action groups (which MAY_INVOKE their Lambda functions) and knowledge
 * bases (which EXECUTES_AS their role, MAY_INVOKE their embedding model, STORES_IN their vector store and
 * INGESTS_FROM their S3 data sources). Pure.
 */
function bedrockRecords(inv: Inventory, add: AddResource, encrypted: (from: NodeRef, key: string | undefined) => void, nodes: Batch['nodes'], rels: RelRecord[]): void {
  const hosted = (ref: NodeRef): void => {
    if (ref.label === 'AIModel') nodes.push(node('AIModel', ref.id, { name: ref.id.slice('bedrock/'.length), provider: 'aws-bedrock', kind: 'hosted' }));
  };
  for (const m of inv.customModels ?? []) {
    add('AWSBedrockCustomModel', m.arn, m.name, m.tags, undefined, { baseModelArn: m.baseModelArn ?? null, customizationType: m.customizationType ?? null, jobArn: m.jobArn ?? null, trainingData: m.trainingData, outputData: m.outputData ?? null }, 'bedrock-model');
    encrypted({ label: 'AWSBedrockCustomModel', id: m.arn }, m.kmsKeyArn);
    for (const b of new Set(m.trainingData.map(bucketOfUri).filter((x): x is string => x !== undefined))) rels.push(rel('TRAINED_ON', { label: 'AWSBedrockCustomModel', id: m.arn }, bucketRef(b)));
  }
  for (const m of inv.importedModels ?? []) {
    add('AWSBedrockImportedModel', m.arn, m.name, m.tags, undefined, { sourceUri: m.source ?? null, jobArn: m.jobArn ?? null }, 'bedrock-model');
    encrypted({ label: 'AWSBedrockImportedModel', id: m.arn }, m.kmsKeyArn);
    const b = bucketOfUri(m.source);
    if (b) rels.push(rel('LOADS_ARTIFACT', { label: 'AWSBedrockImportedModel', id: m.arn }, bucketRef(b)));
  }
  for (const g of inv.guardrails ?? []) {
    add('AWSBedrockGuardrail', g.arn, g.name, g.tags, undefined, { guardrailId: g.id, version: g.version ?? null, status: g.status ?? null, policies: g.policies }, 'guardrail');
    encrypted({ label: 'AWSBedrockGuardrail', id: g.arn }, g.kmsKeyArn);
  }
  const kbArn = new Map((inv.knowledgeBases ?? []).map((k) => [k.id, k.arn]));
  for (const k of inv.knowledgeBases ?? []) {
    const me: NodeRef = { label: 'AWSBedrockKnowledgeBase', id: k.arn };
    add('AWSBedrockKnowledgeBase', k.arn, k.name, k.tags, undefined, { knowledgeBaseId: k.id, status: k.status ?? null, roleArn: k.roleArn ?? null, embeddingModelArn: k.embeddingModelArn ?? null, storageType: k.storageType ?? null, vectorStore: k.vectorStore ?? null, dataSources: k.dataSources.map((d) => JSON.stringify(d)) }, 'knowledge-base');
    if (k.roleArn) rels.push(rel('EXECUTES_AS', me, { label: 'AWSRole', id: k.roleArn }));
    if (k.embeddingModelArn) {
      const m = bedrockModelRef(k.embeddingModelArn);
      hosted(m);
      rels.push(rel('MAY_INVOKE', me, m));
    }
    if (k.vectorStore) {
      nodes.push(node('VectorStore', k.vectorStore, { name: k.vectorStore, engine: (k.storageType ?? 'unknown').toLowerCase(), provider: 'aws-bedrock' }));
      rels.push(rel('STORES_IN', me, { label: 'VectorStore', id: k.vectorStore }));
    }
    for (const d of k.dataSources) if (d.bucketArn) rels.push(rel('INGESTS_FROM', me, { label: 'AWSS3Bucket', id: d.bucketArn }, { key: d.id, props: { dataSource: d.name } }));
  }
  for (const a of inv.agents ?? []) {
    const res: NodeRef = { label: 'AWSBedrockAgent', id: a.arn };
    const agent: NodeRef = { label: 'AIAgent', id: a.arn };
    // A guardrail is named by id or ARN; an id is built into this account's and region's ARN (the bedrock family lists them).
    const guard = a.guardrail ? (a.guardrail.id.startsWith('arn:') ? a.guardrail.id : `arn:aws:bedrock:${inv.region}:${inv.accountId}:guardrail/${a.guardrail.id}`) : undefined;
    add('AWSBedrockAgent', a.arn, a.name, a.tags, undefined, { agentId: a.id, status: a.status ?? null, foundationModel: a.foundationModel ?? null, roleArn: a.roleArn ?? null, guardrail: guard ?? null, guardrailVersion: a.guardrail?.version ?? null }, 'agent');
    nodes.push(node('AIAgent', a.arn, { name: a.name, provider: 'aws-bedrock', arn: a.arn, accountId: inv.accountId, region: inv.region, declaredBy: 'aws-bedrock' }));
    rels.push(rel('RUNS_ON', agent, res));
    encrypted(res, a.kmsKeyArn);
    if (guard) rels.push(rel('GUARDED_BY', res, { label: 'AWSBedrockGuardrail', id: guard }, { props: { version: a.guardrail?.version ?? null } }));
    if (a.roleArn) rels.push(rel('USES_IDENTITY', agent, { label: 'AWSRole', id: a.roleArn }));
    if (a.foundationModel) {
      const m = bedrockModelRef(a.foundationModel);
      hosted(m);
      rels.push(rel('MAY_INVOKE', agent, m));
    }
    for (const g of a.actionGroups) {
      const ag: NodeRef = { label: 'AWSBedrockActionGroup', id: `${a.arn}/action-group/${g.id}` };
      nodes.push(
        node('AWSBedrockActionGroup', ag.id, { name: g.name, actionGroupId: g.id, agentArn: a.arn, state: g.state ?? null, lambdaArn: g.lambdaArn ?? null, customControl: g.customControl ?? null, parentSignature: g.parentSignature ?? null, schemaS3: g.schemaS3 ?? null }),
      );
      rels.push(rel('MAY_USE_TOOL', agent, ag, { key: `action-group:${g.id}`, props: { kind: 'action-group', enabled: g.state !== 'DISABLED' } }));
      if (g.lambdaArn) rels.push(rel('MAY_INVOKE', ag, { label: 'AWSLambdaFunction', id: g.lambdaArn.replace(/:(\$LATEST|\d+)$/, '') }));
    }
    for (const k of a.knowledgeBases) {
      // Associations name the knowledge base by id: its ARN is built for this account and region when not listed.
      const arn = kbArn.get(k.id) ?? `arn:aws:bedrock:${inv.region}:${inv.accountId}:knowledge-base/${k.id}`;
      rels.push(rel('MAY_USE_TOOL', agent, { label: 'AWSBedrockKnowledgeBase', id: arn }, { key: `knowledge-base:${k.id}`, props: { kind: 'knowledge-base', enabled: k.state !== 'DISABLED' } }));
    }
  }
}

/** Buckets the inventory's models load artifacts or training data from (s3://bucket/…), and knowledge bases ingest. */
export function artifactBucketsOf(inv: Inventory): string[] {
  const uris = [
    ...(inv.models ?? []).flatMap((m) => m.artifacts),
    ...(inv.customModels ?? []).flatMap((m) => [...m.trainingData, ...(m.outputData ? [m.outputData] : [])]),
    ...(inv.importedModels ?? []).flatMap((m) => (m.source ? [m.source] : [])),
  ];
  const kbBuckets = (inv.knowledgeBases ?? []).flatMap((k) => k.dataSources.map((d) => /^arn:aws[a-z-]*:s3:::([^/]+)$/.exec(d.bucketArn ?? '')?.[1]));
  return [...uris.map(bucketOfUri), ...kbBuckets].filter((b): b is string => b !== undefined);
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

/**
 * Whether Deny resource patterns cover the resource and everything inside it (`bucket` and
 * `bucket/*`, or `*`), so the Deny cuts every grant on it, not just some objects.
 */
function coversWholeResource(resources: string[], arn: string): boolean {
  if (resources.some((r) => r.startsWith('NOT '))) return false;
  if (!resources.some((r) => resourceMatches(r, arn))) return false;
  // Only S3 buckets among the inventoried types have contents a resource policy names (objects).
  return !arn.startsWith('arn:aws:s3:::') || resources.some((r) => resourceCovers(r, `${arn}/*`));
}

function arnOrService(p: string): NamedPrincipal {
  if (p.endsWith('.amazonaws.com')) return { kind: 'service', id: p };
  if (/^arn:aws[a-z-]*:iam::\d{12}:root$/.test(p)) return { kind: 'account', id: p.split(':')[4]! };
  return { kind: 'arn', id: p };
}
