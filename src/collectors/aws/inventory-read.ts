/**
 * Reads one service family in one region through an InventoryApi (live or saved outputs), every
 * page, into the Inventory shape. Secrets Manager is only listed and asked for its resource policy:
 * GetSecretValue is never called. Lambda environment variables keep their names only; the values
 * are dropped here, before anything can store or log them.
 */
import { CollectorError } from '../../errors.js';
import type { InventoryApi, Output } from './inventory-api.js';
import type {
  BedrockActionGroup,
  BedrockAgent,
  BedrockCustomModel,
  BedrockGuardrail,
  BedrockImportedModel,
  BedrockKnowledgeBase,
  DynamoTable,
  EcrRepository,
  Inventory,
  KmsKey,
  LambdaFunction,
  ResourceFamily,
  S3Bucket,
  SageMakerEndpoint,
  SageMakerModel,
  Secret,
  Tags,
} from './inventory-types.js';

const obj = (v: unknown): Output => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Output) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
function need(o: Output, key: string, where: string): string {
  const v = str(o[key]);
  if (v === undefined) throw new CollectorError(`${where}: field \`${key}\` is missing or not a string`);
  return v;
}
/** Tags arrive as [{Key, Value}] (most services), [{key, value}] (ECR, lowercase in some SDKs) or a map (Lambda). */
function tags(v: unknown): Tags {
  if (Array.isArray(v)) {
    const t: Tags = {};
    for (const x of v) {
      const o = obj(x);
      const k = str(o.Key ?? o.key ?? o.TagKey);
      if (k !== undefined) t[k] = String(o.Value ?? o.value ?? o.TagValue ?? '');
    }
    return t;
  }
  const m = obj(v);
  return Object.fromEntries(Object.entries(m).map(([k, x]) => [k, String(x)]));
}

async function readS3(api: InventoryApi, region: string, regions: string[] | undefined): Promise<S3Bucket[] | undefined> {
  const list = await api.list('s3', region, 'ListBuckets', 'Buckets', { MaxBuckets: 1000 });
  if (list === undefined) return undefined;
  const out: S3Bucket[] = [];
  for (const b of list) {
    const name = need(obj(b), 'Name', 's3 ListBuckets Buckets[]');
    const loc = await api.call('s3', region, 'GetBucketLocation', { Bucket: name }, name);
    // An empty LocationConstraint is us-east-1 (S3 API reference, GetBucketLocation).
    const bucketRegion = str(obj(b).BucketRegion) ?? str(loc?.LocationConstraint) ?? 'us-east-1';
    if (regions && !regions.includes(bucketRegion)) continue;
    const policy = str((await api.call('s3', region, 'GetBucketPolicy', { Bucket: name }, name))?.Policy);
    const pab = obj((await api.call('s3', region, 'GetPublicAccessBlock', { Bucket: name }, name))?.PublicAccessBlockConfiguration);
    const enc = await api.call('s3', region, 'GetBucketEncryption', { Bucket: name }, name);
    const rule = obj(arr(obj(enc?.ServerSideEncryptionConfiguration).Rules)[0]);
    const sse = obj(rule.ApplyServerSideEncryptionByDefault);
    const acl = await api.call('s3', region, 'GetBucketAcl', { Bucket: name }, name);
    const publicAclGrants: string[] = [];
    for (const g of arr(acl?.Grants)) {
      const uri = str(obj(obj(g).Grantee).URI) ?? '';
      const group = uri.endsWith('/global/AllUsers') ? 'AllUsers' : uri.endsWith('/global/AuthenticatedUsers') ? 'AuthenticatedUsers' : undefined;
      if (group) publicAclGrants.push(`${group}:${str(obj(g).Permission) ?? '?'}`);
    }
    const tagOut = await api.call('s3', region, 'GetBucketTagging', { Bucket: name }, name);
    const bucket: S3Bucket = { name, region: bucketRegion, publicAclGrants, tags: tags(tagOut?.TagSet) };
    if (policy) bucket.policy = policy;
    if (Object.keys(pab).length > 0)
      bucket.publicAccessBlock = { blockPublicAcls: pab.BlockPublicAcls === true, ignorePublicAcls: pab.IgnorePublicAcls === true, blockPublicPolicy: pab.BlockPublicPolicy === true, restrictPublicBuckets: pab.RestrictPublicBuckets === true };
    if (str(sse.SSEAlgorithm)) bucket.encryption = { algorithm: str(sse.SSEAlgorithm)!, ...(str(sse.KMSMasterKeyID) ? { kmsKeyId: str(sse.KMSMasterKeyID)! } : {}) };
    out.push(bucket);
  }
  return out;
}

async function readSecrets(api: InventoryApi, region: string): Promise<Secret[] | undefined> {
  const list = await api.list('secretsmanager', region, 'ListSecrets', 'SecretList');
  if (list === undefined) return undefined;
  const out: Secret[] = [];
  for (const x of list) {
    const o = obj(x);
    const arn = need(o, 'ARN', 'secretsmanager ListSecrets SecretList[]');
    const name = str(o.Name) ?? arn;
    const policy = str((await api.call('secretsmanager', region, 'GetResourcePolicy', { SecretId: arn }, name))?.ResourcePolicy);
    const s: Secret = { arn, name, region, rotationEnabled: o.RotationEnabled === true, tags: tags(o.Tags) };
    if (str(o.Description)) s.description = str(o.Description)!;
    if (str(o.KmsKeyId)) s.kmsKeyId = str(o.KmsKeyId)!;
    if (policy) s.policy = policy;
    out.push(s);
  }
  return out;
}

async function readKms(api: InventoryApi, region: string): Promise<KmsKey[] | undefined> {
  const list = await api.list('kms', region, 'ListKeys', 'Keys');
  if (list === undefined) return undefined;
  const aliases = new Map<string, string[]>();
  for (const a of (await api.list('kms', region, 'ListAliases', 'Aliases')) ?? []) {
    const t = str(obj(a).TargetKeyId);
    const n = str(obj(a).AliasName);
    if (t && n) aliases.set(t, [...(aliases.get(t) ?? []), n]);
  }
  const out: KmsKey[] = [];
  for (const x of list) {
    const keyId = need(obj(x), 'KeyId', 'kms ListKeys Keys[]');
    const meta = obj((await api.call('kms', region, 'DescribeKey', { KeyId: keyId }, keyId))?.KeyMetadata);
    const arn = str(meta.Arn) ?? need(obj(x), 'KeyArn', 'kms ListKeys Keys[]');
    const policy = str((await api.call('kms', region, 'GetKeyPolicy', { KeyId: keyId, PolicyName: 'default' }, keyId))?.Policy);
    const grants = ((await api.list('kms', region, 'ListGrants', 'Grants', { KeyId: keyId })) ?? []).map((g) => {
      const o = obj(g);
      return {
        grantId: str(o.GrantId) ?? '',
        operations: arr(o.Operations).map(String),
        ...(str(o.GranteePrincipal) ? { granteePrincipal: str(o.GranteePrincipal)! } : {}),
        ...(str(o.RetiringPrincipal) ? { retiringPrincipal: str(o.RetiringPrincipal)! } : {}),
        ...(str(o.Name) ? { name: str(o.Name)! } : {}),
        ...(Object.keys(obj(o.Constraints)).length > 0 ? { constraints: obj(o.Constraints) as Record<string, Record<string, string>> } : {}),
      };
    });
    // AWS managed keys refuse ListResourceTags; their tags do not matter here.
    const keyManager = str(meta.KeyManager);
    const tagList = keyManager === 'AWS' ? [] : ((await api.list('kms', region, 'ListResourceTags', 'Tags', { KeyId: keyId })) ?? []);
    const k: KmsKey = { arn, keyId, region, aliases: (aliases.get(keyId) ?? []).sort(), grants, tags: tags(tagList) };
    for (const [field, key] of [
      ['description', 'Description'],
      ['keyManager', 'KeyManager'],
      ['keyState', 'KeyState'],
      ['keyUsage', 'KeyUsage'],
    ] as const)
      if (str(meta[key])) k[field] = str(meta[key])!;
    if (policy) k.policy = policy;
    out.push(k);
  }
  return out;
}

async function readDynamo(api: InventoryApi, region: string): Promise<DynamoTable[] | undefined> {
  const list = await api.list('dynamodb', region, 'ListTables', 'TableNames');
  if (list === undefined) return undefined;
  const out: DynamoTable[] = [];
  for (const n of list) {
    const name = String(n);
    const t = obj((await api.call('dynamodb', region, 'DescribeTable', { TableName: name }, name))?.Table);
    const arn = need(t, 'TableArn', `dynamodb DescribeTable ${name}`);
    const tagOut = await api.call('dynamodb', region, 'ListTagsOfResource', { ResourceArn: arn }, name);
    const sse = obj(t.SSEDescription);
    const table: DynamoTable = { arn, name, region, tags: tags(tagOut?.Tags) };
    if (str(t.TableStatus)) table.status = str(t.TableStatus)!;
    if (typeof t.ItemCount === 'number') table.itemCount = t.ItemCount;
    if (str(sse.SSEType)) table.sseType = str(sse.SSEType)!;
    if (str(sse.KMSMasterKeyArn)) table.kmsKeyArn = str(sse.KMSMasterKeyArn)!;
    out.push(table);
  }
  return out;
}

async function readLambda(api: InventoryApi, region: string): Promise<LambdaFunction[] | undefined> {
  const list = await api.list('lambda', region, 'ListFunctions', 'Functions');
  if (list === undefined) return undefined;
  const out: LambdaFunction[] = [];
  for (const x of list) {
    const o = obj(x);
    const arn = need(o, 'FunctionArn', 'lambda ListFunctions Functions[]');
    const name = str(o.FunctionName) ?? arn;
    // Names only: the values are dropped right here.
    const environmentNames = Object.keys(obj(obj(o.Environment).Variables)).sort();
    const policy = str((await api.call('lambda', region, 'GetPolicy', { FunctionName: name }, name))?.Policy);
    const tagOut = await api.call('lambda', region, 'ListTags', { Resource: arn }, name);
    const f: LambdaFunction = { arn, name, region, environmentNames, tags: tags(tagOut?.Tags) };
    if (str(o.Runtime)) f.runtime = str(o.Runtime)!;
    if (str(o.Role)) f.role = str(o.Role)!;
    if (str(o.KMSKeyArn)) f.kmsKeyArn = str(o.KMSKeyArn)!;
    if (policy) f.policy = policy;
    out.push(f);
  }
  return out;
}

async function readEcr(api: InventoryApi, region: string): Promise<EcrRepository[] | undefined> {
  const list = await api.list('ecr', region, 'DescribeRepositories', 'repositories');
  if (list === undefined) return undefined;
  const out: EcrRepository[] = [];
  for (const x of list) {
    const o = obj(x);
    const arn = need(o, 'repositoryArn', 'ecr DescribeRepositories repositories[]');
    const name = str(o.repositoryName) ?? arn;
    const policy = str((await api.call('ecr', region, 'GetRepositoryPolicy', { repositoryName: name }, name))?.policyText);
    const tagOut = await api.call('ecr', region, 'ListTagsForResource', { resourceArn: arn }, name);
    const enc = obj(o.encryptionConfiguration);
    const r: EcrRepository = { arn, name, region, tags: tags(tagOut?.tags) };
    if (str(o.repositoryUri)) r.uri = str(o.repositoryUri)!;
    if (str(enc.encryptionType)) r.encryption = { type: str(enc.encryptionType)!, ...(str(enc.kmsKey) ? { kmsKey: str(enc.kmsKey)! } : {}) };
    if (policy) r.policy = policy;
    out.push(r);
  }
  return out;
}

async function readSageMaker(api: InventoryApi, region: string): Promise<{ models: SageMakerModel[]; endpoints: SageMakerEndpoint[] } | undefined> {
  const models = await api.list('sagemaker', region, 'ListModels', 'Models');
  const endpoints = await api.list('sagemaker', region, 'ListEndpoints', 'Endpoints');
  if (models === undefined && endpoints === undefined) return undefined;
  const outModels: SageMakerModel[] = [];
  for (const x of models ?? []) {
    const name = need(obj(x), 'ModelName', 'sagemaker ListModels Models[]');
    const d = (await api.call('sagemaker', region, 'DescribeModel', { ModelName: name }, name)) ?? {};
    const containers = [obj(d.PrimaryContainer), ...arr(d.Containers).map(obj)].filter((c) => Object.keys(c).length > 0);
    const m: SageMakerModel = {
      arn: str(d.ModelArn) ?? need(obj(x), 'ModelArn', 'sagemaker ListModels Models[]'),
      name,
      region,
      artifacts: [...new Set(containers.map((c) => str(c.ModelDataUrl)).filter((u): u is string => u !== undefined))],
      images: [...new Set(containers.map((c) => str(c.Image)).filter((u): u is string => u !== undefined))],
    };
    if (str(d.ExecutionRoleArn)) m.executionRole = str(d.ExecutionRoleArn)!;
    outModels.push(m);
  }
  const outEndpoints: SageMakerEndpoint[] = (endpoints ?? []).map((x) => {
    const o = obj(x);
    const e: SageMakerEndpoint = { arn: need(o, 'EndpointArn', 'sagemaker ListEndpoints Endpoints[]'), name: str(o.EndpointName) ?? '', region };
    if (str(o.EndpointStatus)) e.status = str(o.EndpointStatus)!;
    return e;
  });
  return { models: outModels, endpoints: outEndpoints };
}

/** Bedrock tags: `[{key, value}]` (bedrock) or a map (bedrock-agent), asked by resource ARN. */
async function bedrockTags(api: InventoryApi, family: 'bedrock' | 'bedrock-agent', region: string, arn: string): Promise<Tags> {
  const out = await api.call(family, region, 'ListTagsForResource', family === 'bedrock' ? { resourceARN: arn } : { resourceArn: arn }, arn);
  return tags(out?.tags);
}

async function readBedrock(api: InventoryApi, region: string): Promise<Pick<Inventory, 'customModels' | 'importedModels' | 'guardrails'> | undefined> {
  const custom = await api.list('bedrock', region, 'ListCustomModels', 'modelSummaries');
  const imported = await api.list('bedrock', region, 'ListImportedModels', 'modelSummaries');
  const guards = await api.list('bedrock', region, 'ListGuardrails', 'guardrails');
  if (custom === undefined && imported === undefined && guards === undefined) return undefined;
  const customModels: BedrockCustomModel[] = [];
  for (const x of custom ?? []) {
    const arn = need(obj(x), 'modelArn', 'bedrock ListCustomModels modelSummaries[]');
    const name = str(obj(x).modelName) ?? arn;
    const d = (await api.call('bedrock', region, 'GetCustomModel', { modelIdentifier: arn }, name)) ?? {};
    const trainingData = [str(obj(d.trainingDataConfig).s3Uri), ...arr(obj(d.validationDataConfig).validators).map((v) => str(obj(v).s3Uri))].filter((u): u is string => u !== undefined);
    const m: BedrockCustomModel = { arn, name, region, trainingData, tags: await bedrockTags(api, 'bedrock', region, arn) };
    for (const [field, v] of [
      ['baseModelArn', str(d.baseModelArn) ?? str(obj(x).baseModelArn)],
      ['customizationType', str(d.customizationType) ?? str(obj(x).customizationType)],
      ['jobArn', str(d.jobArn)],
      ['kmsKeyArn', str(d.modelKmsKeyArn)],
      ['outputData', str(obj(d.outputDataConfig).s3Uri)],
    ] as const)
      if (v !== undefined) m[field] = v;
    customModels.push(m);
  }
  const importedModels: BedrockImportedModel[] = [];
  for (const x of imported ?? []) {
    const arn = need(obj(x), 'modelArn', 'bedrock ListImportedModels modelSummaries[]');
    const name = str(obj(x).modelName) ?? arn;
    const d = (await api.call('bedrock', region, 'GetImportedModel', { modelIdentifier: arn }, name)) ?? {};
    const m: BedrockImportedModel = { arn, name, region, tags: await bedrockTags(api, 'bedrock', region, arn) };
    const source = str(obj(obj(d.modelDataSource).s3DataSource).s3Uri);
    if (source) m.source = source;
    if (str(d.jobArn)) m.jobArn = str(d.jobArn)!;
    if (str(d.modelKmsKeyArn)) m.kmsKeyArn = str(d.modelKmsKeyArn)!;
    importedModels.push(m);
  }
  const guardrails: BedrockGuardrail[] = [];
  for (const x of guards ?? []) {
    const o = obj(x);
    const id = need(o, 'id', 'bedrock ListGuardrails guardrails[]');
    const arn = need(o, 'arn', 'bedrock ListGuardrails guardrails[]');
    const d = (await api.call('bedrock', region, 'GetGuardrail', { guardrailIdentifier: id }, id)) ?? {};
    const policies = (
      [
        ['contentPolicy', 'content'],
        ['topicPolicy', 'topic'],
        ['wordPolicy', 'word'],
        ['sensitiveInformationPolicy', 'sensitive-information'],
        ['contextualGroundingPolicy', 'contextual-grounding'],
        ['automatedReasoningPolicy', 'automated-reasoning'],
      ] as const
    )
      .filter(([k]) => Object.keys(obj(d[k])).length > 0)
      .map(([, v]) => v);
    const g: BedrockGuardrail = { arn, id, name: str(o.name) ?? id, region, policies, tags: await bedrockTags(api, 'bedrock', region, arn) };
    if (str(d.version) ?? str(o.version)) g.version = (str(d.version) ?? str(o.version))!;
    if (str(d.status) ?? str(o.status)) g.status = (str(d.status) ?? str(o.status))!;
    if (str(d.kmsKeyArn)) g.kmsKeyArn = str(d.kmsKeyArn)!;
    guardrails.push(g);
  }
  return { customModels, importedModels, guardrails };
}

/** Agents are read at their working draft (DRAFT): the version every alias is prepared from. */
const DRAFT = 'DRAFT';

async function readBedrockAgents(api: InventoryApi, region: string): Promise<Pick<Inventory, 'agents' | 'knowledgeBases'> | undefined> {
  const agentList = await api.list('bedrock-agent', region, 'ListAgents', 'agentSummaries');
  const kbList = await api.list('bedrock-agent', region, 'ListKnowledgeBases', 'knowledgeBaseSummaries');
  if (agentList === undefined && kbList === undefined) return undefined;
  const agents: BedrockAgent[] = [];
  for (const x of agentList ?? []) {
    const id = need(obj(x), 'agentId', 'bedrock-agent ListAgents agentSummaries[]');
    const a = obj((await api.call('bedrock-agent', region, 'GetAgent', { agentId: id }, id))?.agent);
    const arn = need(a, 'agentArn', `bedrock-agent GetAgent ${id}`);
    const actionGroups: BedrockActionGroup[] = [];
    for (const s of (await api.list('bedrock-agent', region, 'ListAgentActionGroups', 'actionGroupSummaries', { agentId: id, agentVersion: DRAFT })) ?? []) {
      const gid = need(obj(s), 'actionGroupId', `bedrock-agent ListAgentActionGroups ${id} actionGroupSummaries[]`);
      const g = obj((await api.call('bedrock-agent', region, 'GetAgentActionGroup', { agentId: id, agentVersion: DRAFT, actionGroupId: gid }, `${id}.${gid}`))?.agentActionGroup);
      const exec = obj(g.actionGroupExecutor);
      const s3 = obj(obj(g.apiSchema).s3);
      const ag: BedrockActionGroup = { id: gid, name: str(g.actionGroupName) ?? str(obj(s).actionGroupName) ?? gid };
      const state = str(g.actionGroupState) ?? str(obj(s).actionGroupState);
      if (state) ag.state = state;
      if (str(exec.lambda)) ag.lambdaArn = str(exec.lambda)!;
      if (str(exec.customControl)) ag.customControl = str(exec.customControl)!;
      if (str(g.parentActionSignature)) ag.parentSignature = str(g.parentActionSignature)!;
      if (str(s3.s3BucketName)) ag.schemaS3 = `s3://${str(s3.s3BucketName)!}/${str(s3.s3ObjectKey) ?? ''}`;
      actionGroups.push(ag);
    }
    const knowledgeBases = ((await api.list('bedrock-agent', region, 'ListAgentKnowledgeBases', 'agentKnowledgeBaseSummaries', { agentId: id, agentVersion: DRAFT })) ?? []).map((k) => {
      const o = obj(k);
      return { id: need(o, 'knowledgeBaseId', `bedrock-agent ListAgentKnowledgeBases ${id} agentKnowledgeBaseSummaries[]`), ...(str(o.knowledgeBaseState) ? { state: str(o.knowledgeBaseState)! } : {}) };
    });
    const guard = obj(a.guardrailConfiguration);
    const agent: BedrockAgent = { arn, id, name: str(a.agentName) ?? id, region, actionGroups, knowledgeBases, tags: await bedrockTags(api, 'bedrock-agent', region, arn) };
    if (str(a.agentStatus)) agent.status = str(a.agentStatus)!;
    if (str(a.foundationModel)) agent.foundationModel = str(a.foundationModel)!;
    if (str(a.agentResourceRoleArn)) agent.roleArn = str(a.agentResourceRoleArn)!;
    if (str(a.customerEncryptionKeyArn)) agent.kmsKeyArn = str(a.customerEncryptionKeyArn)!;
    if (str(guard.guardrailIdentifier)) agent.guardrail = { id: str(guard.guardrailIdentifier)!, ...(str(guard.guardrailVersion) ? { version: str(guard.guardrailVersion)! } : {}) };
    agents.push(agent);
  }
  const knowledgeBases: BedrockKnowledgeBase[] = [];
  for (const x of kbList ?? []) {
    const id = need(obj(x), 'knowledgeBaseId', 'bedrock-agent ListKnowledgeBases knowledgeBaseSummaries[]');
    const k = obj((await api.call('bedrock-agent', region, 'GetKnowledgeBase', { knowledgeBaseId: id }, id))?.knowledgeBase);
    const arn = need(k, 'knowledgeBaseArn', `bedrock-agent GetKnowledgeBase ${id}`);
    const storage = obj(k.storageConfiguration);
    // Each store type names itself differently: take the first ARN or endpoint its configuration has.
    const store = Object.values(storage).map(obj).find((c) => Object.keys(c).length > 0) ?? {};
    const vectorStore = ['collectionArn', 'resourceArn', 'graphArn', 'domainArn', 'indexArn', 'vectorBucketArn', 'connectionString', 'endpoint'].map((f) => str(store[f])).find((v) => v !== undefined);
    const dataSources: BedrockKnowledgeBase['dataSources'] = [];
    for (const s of (await api.list('bedrock-agent', region, 'ListDataSources', 'dataSourceSummaries', { knowledgeBaseId: id })) ?? []) {
      const dsId = need(obj(s), 'dataSourceId', `bedrock-agent ListDataSources ${id} dataSourceSummaries[]`);
      const ds = obj((await api.call('bedrock-agent', region, 'GetDataSource', { knowledgeBaseId: id, dataSourceId: dsId }, `${id}.${dsId}`))?.dataSource);
      const cfg = obj(ds.dataSourceConfiguration);
      dataSources.push({
        id: dsId,
        name: str(ds.name) ?? str(obj(s).name) ?? dsId,
        ...(str(cfg.type) ? { type: str(cfg.type)! } : {}),
        ...(str(obj(cfg.s3Configuration).bucketArn) ? { bucketArn: str(obj(cfg.s3Configuration).bucketArn)! } : {}),
      });
    }
    const kb: BedrockKnowledgeBase = { arn, id, name: str(k.name) ?? id, region, dataSources, tags: await bedrockTags(api, 'bedrock-agent', region, arn) };
    if (str(k.status)) kb.status = str(k.status)!;
    if (str(k.roleArn)) kb.roleArn = str(k.roleArn)!;
    const emb = str(obj(obj(k.knowledgeBaseConfiguration).vectorKnowledgeBaseConfiguration).embeddingModelArn);
    if (emb) kb.embeddingModelArn = emb;
    if (str(storage.type)) kb.storageType = str(storage.type)!;
    if (vectorStore) kb.vectorStore = vectorStore;
    knowledgeBases.push(kb);
  }
  return { agents, knowledgeBases };
}

/**
 * One family in one region; `undefined` when offline data has nothing for it. S3 is read once
 * (region = the first requested) and filtered to buckets located in `regions`.
 */
export async function readFamily(api: InventoryApi, family: ResourceFamily, accountId: string, region: string, regions?: string[]): Promise<Inventory | undefined> {
  const inv: Inventory = { accountId, region };
  switch (family) {
    case 's3': {
      const b = await readS3(api, region, regions);
      return b ? { ...inv, buckets: b } : undefined;
    }
    case 'secretsmanager': {
      const s = await readSecrets(api, region);
      return s ? { ...inv, secrets: s } : undefined;
    }
    case 'kms': {
      const k = await readKms(api, region);
      return k ? { ...inv, keys: k } : undefined;
    }
    case 'dynamodb': {
      const t = await readDynamo(api, region);
      return t ? { ...inv, tables: t } : undefined;
    }
    case 'lambda': {
      const f = await readLambda(api, region);
      return f ? { ...inv, functions: f } : undefined;
    }
    case 'ecr': {
      const r = await readEcr(api, region);
      return r ? { ...inv, repositories: r } : undefined;
    }
    case 'sagemaker': {
      const s = await readSageMaker(api, region);
      return s ? { ...inv, ...s } : undefined;
    }
    case 'bedrock': {
      const b = await readBedrock(api, region);
      return b ? { ...inv, ...b } : undefined;
    }
    case 'bedrock-agent': {
      const b = await readBedrockAgents(api, region);
      return b ? { ...inv, ...b } : undefined;
    }
  }
}
