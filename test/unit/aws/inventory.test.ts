// The resource inventory offline: saved `aws` CLI outputs (test/cases/aws/inventory/) read into the
// inventory shape and transformed into records; values never survive the read; crown jewels.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crownJewel } from '../../../src/collectors/aws/crown-jewels.js';
import { dirApi } from '../../../src/collectors/aws/inventory-api.js';
import { readFamily } from '../../../src/collectors/aws/inventory-read.js';
import { transformInventory } from '../../../src/collectors/aws/inventory-transform.js';

const DIR = fileURLToPathSafe(new URL('../../cases/aws/inventory/', import.meta.url));
const A = '111122223333';
function fileURLToPathSafe(u: URL): string {
  return decodeURIComponent(u.pathname);
}

describe('inventory from saved CLI outputs', () => {
  test('given S3 outputs, then buckets in the requested regions carry policy, ACL, encryption and tags', async () => {
    // Given saved outputs, when S3 is read for us-east-1 only
    const inv = await readFamily(dirApi(DIR), 's3', A, 'us-east-1', ['us-east-1']);
    // Then the eu-west-1 bucket is left out and the rest are complete
    expect(inv?.buckets?.map((b) => b.name)).toEqual(['acme-payroll', 'acme-web']);
    const web = inv!.buckets!.find((b) => b.name === 'acme-web')!;
    expect(web.publicAclGrants).toEqual(['AllUsers:READ']);
    expect(JSON.parse(web.policy!)).toMatchObject({ Statement: [{ Principal: '*' }] });
    const payroll = inv!.buckets!.find((b) => b.name === 'acme-payroll')!;
    expect(payroll).toMatchObject({ region: 'us-east-1', encryption: { algorithm: 'aws:kms', kmsKeyId: `arn:aws:kms:us-east-1:${A}:key/k-1` }, tags: { owner: 'hr' } });
    expect(payroll.policy).toBeUndefined();

    // When transformed, then the public bucket is flagged and the payroll bucket is a crown jewel encrypted by the key
    const t = transformInventory(inv!);
    const node = (id: string) => t.batch.nodes.find((n) => n.id === id)!;
    expect(node('arn:aws:s3:::acme-web').props).toMatchObject({ public: true, publicPolicy: true, publicStatements: [0] });
    expect(node('arn:aws:s3:::acme-payroll').props).toMatchObject({ public: false, crownJewel: 'sensitive-data', crownJewelReason: 'name acme-payroll' });
    expect(t.batch.rels.filter((r) => r.type === 'ENCRYPTED_BY').map((r) => r.to.id)).toEqual([`arn:aws:kms:us-east-1:${A}:key/k-1`]);
    expect(t.batch.rels.some((r) => r.type === 'MAY_ACCESS' && r.from.id === '*' && r.to.id === 'arn:aws:s3:::acme-web')).toBe(true);
  });

  test('given KMS outputs, then keys carry policy, aliases and grants, and grantees get MAY_ACCESS', async () => {
    const inv = await readFamily(dirApi(DIR), 'kms', A, 'us-east-1');
    expect(inv?.keys).toHaveLength(1);
    expect(inv!.keys![0]).toMatchObject({ keyId: 'k-1', aliases: ['alias/payroll'], keyManager: 'CUSTOMER', grants: [{ grantId: 'g1', operations: ['Decrypt', 'GenerateDataKey'] }] });
    const t = transformInventory(inv!);
    // The default key policy lets IAM policies count.
    expect(t.batch.nodes.find((n) => n.label === 'AWSKMSKey')!.props).toMatchObject({ iamAccounts: [A], crownJewel: 'kms-key' });
    const g = t.batch.rels.find((r) => r.type === 'MAY_ACCESS' && r.props?.via === 'kms-grant')!;
    expect(g.from).toEqual({ label: 'AWSRole', id: `arn:aws:iam::${A}:role/payroll-app` });
    expect(g.props?.actions).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    // The default key policy names the account: an account grant (delegation), not a public one.
    const acct = t.batch.rels.find((r) => r.type === 'MAY_ACCESS' && r.props?.via === 'resource-policy')!;
    expect(acct.from).toEqual({ label: 'AWSAccount', id: A });
  });

  test('given a secret listing and a function with environment values, then no value survives the read or the records', async () => {
    const api = dirApi(DIR);
    const secrets = await readFamily(api, 'secretsmanager', A, 'us-east-1');
    const fns = await readFamily(api, 'lambda', A, 'us-east-1');
    expect(secrets!.secrets![0]).toMatchObject({ name: 'prod/payroll', rotationEnabled: true });
    expect(fns!.functions![0]).toMatchObject({ environmentNames: ['API_TOKEN', 'REGION'], role: `arn:aws:iam::${A}:role/payroll-app` });
    const records = JSON.stringify([secrets, fns, transformInventory(secrets!).batch, transformInventory(fns!).batch]);
    expect(records).not.toContain('OFFLINE-PLANTED-VALUE');
    // The cross-account grant names the external account.
    const ext = transformInventory(secrets!).batch.nodes.find((n) => n.label === 'AWSAccount' && n.id === '999988887777');
    expect(ext?.props).toMatchObject({ external: true });
  });

  test('given a region without saved outputs, then the family is absent rather than empty', async () => {
    expect(await readFamily(dirApi(DIR), 'kms', A, 'eu-west-1')).toBeUndefined();
  });

  test('given a saved output that is not JSON, then the error names the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-inv-'));
    fs.mkdirSync(path.join(dir, 'us-east-1', 'dynamodb'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'us-east-1', 'dynamodb', 'list-tables.json'), '{"TableNames": [');
    await expect(readFamily(dirApi(dir), 'dynamodb', A, 'us-east-1')).rejects.toThrow(/us-east-1\/dynamodb\/list-tables\.json/);
    expect(() => dirApi(path.join(dir, 'missing'))).toThrow(/--from-dir .*missing: not a directory/);
  });

  test('given a table without its DescribeTable output, then the error names the missing field', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-inv-'));
    fs.mkdirSync(path.join(dir, 'us-east-1', 'dynamodb'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'us-east-1', 'dynamodb', 'list-tables.json'), '{"TableNames": ["t"]}');
    await expect(readFamily(dirApi(dir), 'dynamodb', A, 'us-east-1')).rejects.toThrow(/DescribeTable t: field `TableArn`/);
  });
});

describe('Amazon Bedrock from saved CLI outputs (moto cannot serve it to the SDK: docs/aws-iam.md)', () => {
  const AGENT = `arn:aws:bedrock:us-east-1:${A}:agent/AGENT12345`;
  const CM = `arn:aws:bedrock:us-east-1:${A}:custom-model/amazon.titan-text-express-v1:0:8k/payroll-tuned`;
  const KB = `arn:aws:bedrock:us-east-1:${A}:knowledge-base/KB12345678`;

  test('given bedrock outputs, then custom and imported models and guardrails are read with their data locations, keys and tags', async () => {
    // Given saved `aws bedrock` outputs, when the family is read
    const inv = await readFamily(dirApi(DIR), 'bedrock', A, 'us-east-1');
    // Then each model knows its training data, weights, key and tags, and the guardrail its policies
    expect(inv?.customModels).toEqual([
      expect.objectContaining({ arn: CM, name: 'payroll-tuned', customizationType: 'FINE_TUNING', kmsKeyArn: `arn:aws:kms:us-east-1:${A}:key/k-1`, trainingData: ['s3://acme-payroll/training/train.jsonl', 's3://acme-payroll/training/validate.jsonl'], outputData: 's3://acme-payroll/training/output/', tags: { 'data-classification': 'confidential' } }),
    ]);
    expect(inv?.importedModels).toEqual([expect.objectContaining({ name: 'llama-payroll', source: 's3://acme-eu/weights/llama/', tags: {} })]);
    expect(inv?.guardrails).toEqual([expect.objectContaining({ id: 'gr1abcdefgh', name: 'payroll-pii', version: 'DRAFT', status: 'READY', policies: ['content', 'sensitive-information'] })]);

    // When transformed, then models are model-artifact crown jewels linked to their data and key
    const t = transformInventory(inv!);
    const n = (id: string) => t.batch.nodes.find((x) => x.id === id);
    expect(n(CM)).toMatchObject({ label: 'AWSBedrockCustomModel', props: { crownJewel: 'model-artifact', baseModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k' } });
    const rels = t.batch.rels.map((r) => `${r.type} ${r.from.id} -> ${r.to.id}`);
    expect(rels).toEqual(
      expect.arrayContaining([
        `TRAINED_ON ${CM} -> arn:aws:s3:::acme-payroll`,
        `ENCRYPTED_BY ${CM} -> arn:aws:kms:us-east-1:${A}:key/k-1`,
        `LOADS_ARTIFACT arn:aws:bedrock:us-east-1:${A}:imported-model/llama-payroll -> arn:aws:s3:::acme-eu`,
      ]),
    );
  });

  test('given bedrock-agent outputs, then each agent joins the AI-BOM: identity, model, guardrail, action groups to Lambda, knowledge base to its store and bucket', async () => {
    // Given saved `aws bedrock-agent` outputs, when read and transformed
    const inv = await readFamily(dirApi(DIR), 'bedrock-agent', A, 'us-east-1');
    expect(inv?.agents?.map((a) => a.name)).toEqual(['payroll-assistant', 'helpdesk']);
    const t = transformInventory(inv!);
    const rels = t.batch.rels.map((r) => `${r.type} ${r.from.label}:${r.from.id} -> ${r.to.label}:${r.to.id}`);
    // Then the agent is an AIAgent running on its AWS resource, acting as its role, calling its custom model
    expect(rels).toEqual(
      expect.arrayContaining([
        `RUNS_ON AIAgent:${AGENT} -> AWSBedrockAgent:${AGENT}`,
        `USES_IDENTITY AIAgent:${AGENT} -> AWSRole:arn:aws:iam::${A}:role/payroll-app`,
        `MAY_INVOKE AIAgent:${AGENT} -> AWSBedrockCustomModel:${CM}`,
        `GUARDED_BY AWSBedrockAgent:${AGENT} -> AWSBedrockGuardrail:arn:aws:bedrock:us-east-1:${A}:guardrail/gr1abcdefgh`,
        `MAY_USE_TOOL AIAgent:${AGENT} -> AWSBedrockActionGroup:${AGENT}/action-group/AG00000001`,
        `MAY_INVOKE AWSBedrockActionGroup:${AGENT}/action-group/AG00000001 -> AWSLambdaFunction:arn:aws:lambda:us-east-1:${A}:function:payroll-export`,
        `MAY_USE_TOOL AIAgent:${AGENT} -> AWSBedrockKnowledgeBase:${KB}`,
        `EXECUTES_AS AWSBedrockKnowledgeBase:${KB} -> AWSRole:arn:aws:iam::${A}:role/kb-service`,
        `MAY_INVOKE AWSBedrockKnowledgeBase:${KB} -> AIModel:bedrock/amazon.titan-embed-text-v2:0`,
        `STORES_IN AWSBedrockKnowledgeBase:${KB} -> VectorStore:arn:aws:aoss:us-east-1:${A}:collection/kbcoll1`,
        `INGESTS_FROM AWSBedrockKnowledgeBase:${KB} -> AWSS3Bucket:arn:aws:s3:::acme-payroll`,
        // A foundation model by id is the AI-BOM's hosted model node.
        `MAY_INVOKE AIAgent:arn:aws:bedrock:us-east-1:${A}:agent/AGENTOPEN1 -> AIModel:bedrock/anthropic.claude-3-haiku-20240307-v1:0`,
      ]),
    );
    // The built-in user-input action group has no Lambda; the helpdesk agent has no guardrail
    expect(rels.filter((r) => r.includes('action-group/AG00000002 ->'))).toEqual([]);
    expect(rels.some((r) => r.startsWith('GUARDED_BY') && r.includes('AGENTOPEN1'))).toBe(false);
    const n = (label: string, id: string) => t.batch.nodes.find((x) => x.label === label && x.id === id);
    expect(n('AWSBedrockAgent', AGENT)?.props).toMatchObject({ crownJewel: 'ai-agent', tags: ['team=payroll'], guardrail: `arn:aws:bedrock:us-east-1:${A}:guardrail/gr1abcdefgh` });
    expect(n('AWSBedrockActionGroup', `${AGENT}/action-group/AG00000002`)?.props).toMatchObject({ parentSignature: 'AMAZON.UserInput', lambdaArn: null });
    expect(n('AWSBedrockKnowledgeBase', KB)?.props).toMatchObject({ crownJewel: 'sensitive-data', storageType: 'OPENSEARCH_SERVERLESS' });
  });

  test('given Bedrock data sources and training data, then their buckets become model-artifact crown jewels', async () => {
    const { artifactBucketsOf } = await import('../../../src/collectors/aws/inventory-transform.js');
    const models = (await readFamily(dirApi(DIR), 'bedrock', A, 'us-east-1'))!;
    const agents = (await readFamily(dirApi(DIR), 'bedrock-agent', A, 'us-east-1'))!;
    // Given the buckets the models and knowledge bases name, when S3 is transformed with them
    const artifactBuckets = new Set([...artifactBucketsOf(models), ...artifactBucketsOf(agents)]);
    expect([...artifactBuckets].sort()).toEqual(['acme-eu', 'acme-payroll']);
    const t = transformInventory({ accountId: A, region: 'us-east-1', buckets: [{ name: 'acme-eu', region: 'eu-west-1', publicAclGrants: [], tags: {} }] }, { artifactBuckets });
    // Then the weights bucket is a crown jewel for what it holds
    expect(t.batch.nodes.find((x) => x.id === 'arn:aws:s3:::acme-eu')?.props).toMatchObject({ crownJewel: 'model-artifact' });
  });

  test('given a saved agent listing whose GetAgent output lacks the ARN, then the error names the call and field', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-bedrock-'));
    fs.mkdirSync(path.join(dir, 'us-east-1', 'bedrock-agent', 'get-agent'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'us-east-1', 'bedrock-agent', 'list-agents.json'), JSON.stringify({ agentSummaries: [{ agentId: 'A1' }] }));
    fs.writeFileSync(path.join(dir, 'us-east-1', 'bedrock-agent', 'get-agent', 'A1.json'), JSON.stringify({ agent: { agentName: 'x' } }));
    await expect(readFamily(dirApi(dir), 'bedrock-agent', A, 'us-east-1')).rejects.toThrow('bedrock-agent GetAgent A1: field `agentArn` is missing or not a string');
  });
});

describe('crown jewels', () => {
  test.each([
    [{ kind: 'secret', name: 'x', tags: {} }, 'secret'],
    [{ kind: 'key', name: 'x', tags: {} }, 'kms-key'],
    [{ kind: 'model', name: 'x', tags: {} }, 'model-artifact'],
    [{ kind: 'bucket', name: 'site-assets', tags: {}, artifact: true }, 'model-artifact'],
    [{ kind: 'bucket', name: 'customer-exports', tags: {} }, 'sensitive-data'],
    [{ kind: 'table', name: 'ledger', tags: { 'data-classification': 'confidential' } }, 'sensitive-data'],
    [{ kind: 'table', name: 'ledger', tags: { 'data-classification': 'public' } }, undefined],
    [{ kind: 'bucket', name: 'site-assets', tags: {} }, undefined],
    [{ kind: 'function', name: 'payments', tags: {} }, undefined],
    // The user's tag overrides either way.
    [{ kind: 'secret', name: 'x', tags: { 'reachgraph:crown-jewel': 'false' } }, undefined],
    [{ kind: 'bucket', name: 'site-assets', tags: { 'reachgraph:crown-jewel': 'true' } }, 'user-marked'],
  ] as const)('%j → %s', (subject, want) => {
    expect(crownJewel({ ...subject, tags: { ...subject.tags } })?.class).toBe(want);
  });

  test('a user pattern replaces the default words', () => {
    expect(crownJewel({ kind: 'bucket', name: 'site-assets', tags: {} }, { sensitive: /assets/i })?.class).toBe('sensitive-data');
    expect(crownJewel({ kind: 'bucket', name: 'customer-exports', tags: {} }, { sensitive: /assets/i })).toBeUndefined();
  });
});
