// AWS resource inventory end to end (issue 12): the built CLI with the real AWS SDK against moto's
// server, into the real Neo4j. Buckets, secrets, keys, tables, functions, repositories and SageMaker
// models with their policies; pattern → resource links kept current; a planted secret value appears
// nowhere in the graph, the output or the logs; `iam can` follows resource policies from the graph.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AttachUserPolicyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, DeleteBucketCommand, PutBucketEncryptionCommand, PutBucketPolicyCommand, PutBucketTaggingCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, PutResourcePolicyCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateRepositoryCommand, ECRClient, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { CreateModelCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { Graph } from '../../src/graph/driver.js';
import { projectRoot } from '../../src/paths.js';
import { useTestEnv } from '../helpers/env.js';
import { testGraph } from '../helpers/graph.js';
import { motoAvailable, startMoto, type Moto } from '../helpers/moto.js';

const moto = motoAvailable();
if (!moto.ok) process.stderr.write(`aws-resources.int.test: skipping moto-backed tests: ${moto.reason}\n`);
const describeMoto = moto.ok ? describe : describe.skip;

/** Bucket names are global: a suffix keeps runs against one graph apart. */
const S = crypto.randomBytes(3).toString('hex');
const PLANTED = 'PLANTED-s3cr3t-VALUE-7f1c2a9e';
const EXTERNAL = '444455556666';
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

function cli(...args: string[]) {
  useTestEnv();
  const r = spawnSync(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'debug' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let graph: Graph;
beforeAll(async () => {
  graph = await testGraph();
});
afterAll(async () => {
  await graph.close();
});
const rows = (text: string, params: Record<string, unknown> = {}) => graph.readText(text, params, 'aws-resources.int.test');

describeMoto('collect aws --resources from moto', () => {
  let m: Moto;
  let acct: string;
  let keyArn: string;
  let secretArn: string;
  const region = 'us-east-1';
  const first = { code: 0 as number | null, out: '', err: '' };
  const arn = (kind: string, name: string) => `arn:aws:iam::${acct}:${kind}/${name}`;

  beforeAll(async () => {
    m = await startMoto({ managedPolicies: false });
    acct = m.accountId;
    const cfg = { endpoint: m.endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    const iam = new IAMClient(cfg);
    const s3 = new S3Client({ ...cfg, forcePathStyle: true });
    const sm = new SecretsManagerClient(cfg);
    const kms = new KMSClient(cfg);
    const ddb = new DynamoDBClient(cfg);
    const lambda = new LambdaClient(cfg);
    const ecr = new ECRClient(cfg);
    const sage = new SageMakerClient(cfg);

    // IAM: a reader with no identity grant, an analyst granted by pattern, an execution role.
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    await iam.send(new CreateUserCommand({ UserName: 'analyst' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'analyst', PolicyName: 'data', PolicyDocument: doc({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::acme-*/*' }, { Effect: 'Allow', Action: 'dynamodb:Query', Resource: `arn:aws:dynamodb:*:${'*'}:table/pay*` }, { Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:*:*:key/*' }) }));
    const pol = await iam.send(new CreatePolicyCommand({ PolicyName: 'secrets', PolicyDocument: doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:${region}:${'*'}:secret:prod/*` }) }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'analyst', PolicyArn: pol.Policy!.Arn! }));
    // NotResource: everything except the customers bucket and its objects (IAM User Guide, NotResource).
    await iam.send(new CreateUserCommand({ UserName: 'auditor' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'auditor', PolicyName: 'all-but-customers', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:GetObject', NotResource: [`arn:aws:s3:::acme-customers-${S}`, `arn:aws:s3:::acme-customers-${S}/*`] }) }));
    await iam.send(new CreateRoleCommand({ RoleName: 'fn-exec', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }) }));
    await iam.send(new CreateRoleCommand({ RoleName: 'sm-exec', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }) }));

    // KMS: a key whose policy names only the key admin role, with an alias and a grant.
    const key = await kms.send(new CreateKeyCommand({ Description: 'customer data', Policy: doc({ Sid: 'KeyAdmin', Effect: 'Allow', Principal: { AWS: arn('role', 'fn-exec') }, Action: 'kms:*', Resource: '*' }) }));
    keyArn = key.KeyMetadata!.Arn!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/customer-data', TargetKeyId: key.KeyMetadata!.KeyId! }));
    await kms.send(new CreateGrantCommand({ KeyId: key.KeyMetadata!.KeyId!, GranteePrincipal: arn('user', 'reader'), Operations: ['Decrypt'] }));

    // S3: a customer bucket (policy grants reader; a public statement), a public site behind Block Public Access, an artifact bucket, one to delete later.
    for (const b of [`acme-customers-${S}`, `acme-site-${S}`, `acme-models-${S}`, `acme-old-${S}`, `acme-vault-${S}`]) await s3.send(new CreateBucketCommand({ Bucket: b }));
    // A vault: a conditional Allow for reader, an explicit Deny for analyst, and the documented TLS-only Deny for everyone.
    const vault = `arn:aws:s3:::acme-vault-${S}`;
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: `acme-vault-${S}`,
        Policy: doc(
          { Sid: 'ReaderFromOffice', Effect: 'Allow', Principal: { AWS: arn('user', 'reader') }, Action: 's3:GetObject', Resource: `${vault}/*`, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
          { Sid: 'NotAnalyst', Effect: 'Deny', Principal: { AWS: arn('user', 'analyst') }, Action: 's3:*', Resource: [vault, `${vault}/*`] },
          { Sid: 'RestrictToTLSRequestsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [vault, `${vault}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
          { Sid: 'OnlyAuditorLists', Effect: 'Deny', NotPrincipal: { AWS: [arn('user', 'auditor'), `arn:aws:iam::${acct}:root`] }, Action: 's3:ListBucket', Resource: vault },
        ),
      }),
    );
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: `acme-customers-${S}`,
        Policy: doc({ Sid: 'Reader', Effect: 'Allow', Principal: { AWS: arn('user', 'reader') }, Action: 's3:GetObject', Resource: `arn:aws:s3:::acme-customers-${S}/*` }, { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::acme-customers-${S}/public/*` }),
      }),
    );
    await s3.send(new PutBucketEncryptionCommand({ Bucket: `acme-customers-${S}`, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn } }] } }));
    await s3.send(new PutBucketTaggingCommand({ Bucket: `acme-customers-${S}`, Tagging: { TagSet: [{ Key: 'data-classification', Value: 'pii' }] } }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: `acme-site-${S}`, Policy: doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::acme-site-${S}/*` }) }));
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: `acme-site-${S}`, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));

    // Secrets Manager: the planted value, and a policy granting another account.
    const sec = await sm.send(new CreateSecretCommand({ Name: 'prod/db', SecretString: PLANTED, Tags: [{ Key: 'team', Value: 'payments' }] }));
    secretArn = sec.ARN!;
    await sm.send(new PutResourcePolicyCommand({ SecretId: secretArn, ResourcePolicy: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${EXTERNAL}:root` }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }) }));

    await ddb.send(new CreateTableCommand({ TableName: 'payments', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));

    // Lambda: the planted value in an environment variable, and a function policy for S3.
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'ingest',
        Runtime: 'python3.12',
        Role: arn('role', 'fn-exec'),
        Handler: 'index.handler',
        Code: { ZipFile: Buffer.from('PK\u0005\u0006' + '\u0000'.repeat(18), 'binary') },
        Environment: { Variables: { DB_PASSWORD: PLANTED, STAGE: 'prod' } },
      }),
    );
    await lambda.send(new AddPermissionCommand({ FunctionName: 'ingest', StatementId: 's3-invoke', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceAccount: acct }));

    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'models/serve' }));
    await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'models/serve', policyText: doc({ Sid: 'Pull', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${EXTERNAL}:root` }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }) }));

    await sage.send(new CreateModelCommand({ ModelName: 'churn', ExecutionRoleArn: arn('role', 'sm-exec'), PrimaryContainer: { Image: `${acct}.dkr.ecr.${region}.amazonaws.com/models/serve:1`, ModelDataUrl: `s3://acme-models-${S}/churn/model.tar.gz` } }));
    for (const c of [iam, s3, sm, kms, ddb, lambda, ecr, sage]) c.destroy();

    // moto 5.2.1 answers Bedrock with timestamps the SDK cannot parse and lacks most of its calls: Bedrock is tested from saved outputs below.
    Object.assign(first, cli('collect', 'aws', '--endpoint', m.endpoint, '--resources', '--regions', region, '--services', 'sagemaker,s3,secretsmanager,kms,dynamodb,lambda,ecr'));
  }, 240_000);

  afterAll(async () => {
    await m?.stop();
  });

  test('given resources with policies in moto, when collected, then each is a node with its policy, flags and crown-jewel class', async () => {
    expect(first.err).not.toMatch(/inventory sync failed/);
    expect(first.code).toBe(0);
    const out = JSON.parse(first.out) as { resources: { failed: unknown[]; summaries: { source: string; status: string }[] } };
    expect(out.resources.failed).toEqual([]);
    expect(new Set(out.resources.summaries.map((s) => s.source))).toEqual(new Set(['aws-s3', 'aws-secretsmanager', 'aws-kms', 'aws-dynamodb', 'aws-lambda', 'aws-ecr', 'aws-sagemaker']));

    const nodes = await rows(
      `MATCH (n)-[:IN_ACCOUNT]->(:AWSAccount {id: $acct})
       WHERE n.arn IS NOT NULL
       RETURN [l IN labels(n) WHERE l STARTS WITH 'AWS'][0] AS label, n.name AS name, n.public AS public, n.crownJewel AS crownJewel, n.policy IS NOT NULL AS hasPolicy
       ORDER BY label, name`,
      { acct },
    );
    const by = Object.fromEntries(nodes.map((n) => [`${n.label}:${n.name}`, n]));
    expect(by[`AWSS3Bucket:acme-customers-${S}`]).toMatchObject({ public: true, crownJewel: 'sensitive-data', hasPolicy: true });
    // RestrictPublicBuckets makes the public policy ineffective.
    expect(by[`AWSS3Bucket:acme-site-${S}`]).toMatchObject({ public: false, hasPolicy: true });
    expect(by[`AWSS3Bucket:acme-models-${S}`]).toMatchObject({ crownJewel: 'model-artifact', hasPolicy: false });
    expect(by['AWSSecret:prod/db']).toMatchObject({ crownJewel: 'secret', hasPolicy: true, public: false });
    expect(by['AWSKMSKey:alias/customer-data']).toMatchObject({ crownJewel: 'kms-key', hasPolicy: true });
    expect(by['AWSDynamoDBTable:payments']).toMatchObject({ crownJewel: 'sensitive-data' });
    expect(by['AWSLambdaFunction:ingest']).toMatchObject({ hasPolicy: true });
    expect(by['AWSECRRepository:models/serve']).toMatchObject({ hasPolicy: true });
    expect(by['AWSSageMakerModel:churn']).toMatchObject({ crownJewel: 'model-artifact' });

    const fn = (await rows(`MATCH (f:AWSLambdaFunction {name: 'ingest'})-[:IN_ACCOUNT]->(:AWSAccount {id: $acct}) MATCH (f)-[:EXECUTES_AS]->(r:AWSRole) RETURN f.environmentNames AS env, r.id AS role`, { acct }))[0];
    expect(fn).toEqual({ env: ['DB_PASSWORD', 'STAGE'], role: arn('role', 'fn-exec') });
    const key = (await rows(`MATCH (k:AWSKMSKey {id: $keyArn}) OPTIONAL MATCH (b:AWSS3Bucket)-[:ENCRYPTED_BY]->(k) RETURN k.aliases AS aliases, size(k.grants) AS grants, collect(b.name) AS buckets`, { keyArn }))[0];
    expect(key).toEqual({ aliases: ['alias/customer-data'], grants: 1, buckets: [`acme-customers-${S}`] });
  });

  test('given resource policies and KMS grants, then the principals they name have MAY_ACCESS edges, external accounts included', async () => {
    const grants = await rows(
      `MATCH (p)-[g:MAY_ACCESS]->(res)-[:IN_ACCOUNT]->(:AWSAccount {id: $acct})
       WHERE g.via IS NOT NULL
       RETURN p.id AS from, res.name AS to, g.via AS via, g.public AS public ORDER BY to, from`,
      { acct },
    );
    expect(grants).toEqual(
      expect.arrayContaining([
        { from: arn('user', 'reader'), to: `acme-customers-${S}`, via: 'resource-policy', public: false },
        { from: '*', to: `acme-customers-${S}`, via: 'resource-policy', public: true },
        { from: EXTERNAL, to: 'prod/db', via: 'resource-policy', public: false },
        { from: EXTERNAL, to: 'models/serve', via: 'resource-policy', public: false },
        { from: 's3.amazonaws.com', to: 'ingest', via: 'resource-policy', public: false },
        { from: arn('user', 'reader'), to: 'alias/customer-data', via: 'kms-grant', public: false },
        { from: arn('role', 'fn-exec'), to: 'alias/customer-data', via: 'resource-policy', public: false },
      ]),
    );
    const ext = (await rows(`MATCH (a:AWSAccount {id: $ext}) RETURN a.external AS external`, { ext: EXTERNAL }))[0];
    expect(ext).toEqual({ external: true });
  });

  test('given identity grants on ARN patterns, then Cypher goes principal → pattern → concrete resource', async () => {
    const reach = await graph.read('queries/aws/principal-resources', { principal: arn('user', 'analyst') });
    const got = reach.map((r) => `${r.via}:${r.label}:${String(r.resource).replace(acct, 'ACCT')}:${r.reach}`).sort();
    expect(got).toEqual(
      expect.arrayContaining([
        `identity:AWSS3Bucket:arn:aws:s3:::acme-customers-${S}:contents`,
        `identity:AWSS3Bucket:arn:aws:s3:::acme-site-${S}:contents`,
        `identity:AWSS3Bucket:arn:aws:s3:::acme-old-${S}:contents`,
        'identity:AWSDynamoDBTable:arn:aws:dynamodb:us-east-1:ACCT:table/payments:resource',
        expect.stringMatching(/^identity:AWSSecret:arn:aws:secretsmanager:us-east-1:ACCT:secret:prod\/db-.{6}:resource$/),
      ]),
    );
    // The pattern reaches nothing it should not: no function; the key/* grant does not reach this account's
    // key, whose key policy ignores IAM (KMS), although the pattern is linked to it; and no resource of
    // another account (other runs' resources share this graph) without a resource policy naming this one.
    expect(got.some((g) => /AWSKMSKey|AWSLambdaFunction/.test(g))).toBe(false);
    expect(await rows(`MATCH (:AWSResource {id: 'arn:aws:kms:*:*:key/*'})-[:MATCHES_RESOURCE]->(k:AWSKMSKey {id: $keyArn}) RETURN k.iamAccounts AS a`, { keyArn })).toEqual([{ a: [] }]);
    expect(reach.every((r) => String(r.resource).includes(acct) || String(r.resource).startsWith('arn:aws:s3:::'))).toBe(true);
  });

  test('given the planted secret value, then it appears nowhere in the graph, the output or the logs', async () => {
    expect(first.out).not.toContain(PLANTED);
    expect(first.err).not.toContain(PLANTED);
    // The log ran at debug level: there was something to look through.
    expect(first.err.length).toBeGreaterThan(0);
    const search = (v: string) =>
      rows(`MATCH (n) WITH n, [k IN keys(n) WHERE any(v IN CASE WHEN valueType(n[k]) STARTS WITH 'LIST' THEN n[k] ELSE [n[k]] END WHERE toString(v) CONTAINS $v)] AS ks WHERE size(ks) > 0 RETURN count(n) AS c`, { v });
    // The search finds what is stored (the variable's name), so its silence about the value means something.
    expect(((await search('DB_PASSWORD'))[0]!.c as number) > 0).toBe(true);
    expect(await search(PLANTED)).toEqual([{ c: 0 }]);
    const relHits = await rows(
      `MATCH ()-[r]->() WITH r, [k IN keys(r) WHERE any(v IN CASE WHEN valueType(r[k]) STARTS WITH 'LIST' THEN r[k] ELSE [r[k]] END WHERE toString(v) CONTAINS $v)] AS ks WHERE size(ks) > 0 RETURN count(r) AS c`,
      { v: PLANTED },
    );
    expect(relHits).toEqual([{ c: 0 }]);
  });

  test('given stored resource policies, then `iam can` from the graph follows them (same-account union, KMS key policy, public grant)', () => {
    // reader has no identity policy: the bucket policy alone grants it (same account).
    const r1 = cli('iam', 'can', arn('user', 'reader'), 's3:GetObject', `arn:aws:s3:::acme-customers-${S}/report.csv`, '--format', 'json');
    expect(r1.code).toBe(0);
    expect(JSON.parse(r1.out)).toMatchObject({ decision: 'allowed', statements: [expect.objectContaining({ source: 'resource', policy: `arn:aws:s3:::acme-customers-${S}#policy`, index: 0 })] });
    // analyst has an identity grant on acme-*/* but the key policy names only fn-exec: KMS denies.
    const r2 = cli('iam', 'can', arn('user', 'analyst'), 'kms:Decrypt', keyArn, '--format', 'json');
    expect(JSON.parse(r2.out)).toMatchObject({ decision: 'implicitDeny' });
    const r3 = cli('iam', 'can', arn('role', 'fn-exec'), 'kms:Decrypt', keyArn, '--format', 'json');
    expect(JSON.parse(r3.out)).toMatchObject({ decision: 'allowed' });
    // A `Principal: "*"` bucket policy grants reader too (Block Public Access still lets the owner account's users in).
    const r4 = cli('iam', 'can', arn('user', 'reader'), 's3:GetObject', `arn:aws:s3:::acme-site-${S}/index.html`, '--format', 'json');
    expect(JSON.parse(r4.out)).toMatchObject({ decision: 'allowed', statements: [expect.objectContaining({ source: 'resource', policy: `arn:aws:s3:::acme-site-${S}#policy` })] });
  });

  test('given a NotResource grant, then its pattern reaches every resource except the excluded bucket and its objects', async () => {
    const reach = await graph.read('queries/aws/principal-resources', { principal: arn('user', 'auditor') });
    const buckets = reach.filter((r) => r.label === 'AWSS3Bucket').map((r) => `${String(r.resource)}:${r.reach}`);
    // Given NotResource [customers, customers/*], then other buckets are reached as a whole and customers not at all
    expect(buckets).toEqual(expect.arrayContaining([`arn:aws:s3:::acme-site-${S}:resource`, `arn:aws:s3:::acme-vault-${S}:resource`]));
    expect(buckets.some((b) => b.startsWith(`arn:aws:s3:::acme-customers-${S}:`))).toBe(false);
    const link = await rows(`MATCH (p:AWSResource)-[l:MATCHES_RESOURCE]->(:AWSS3Bucket {id: $b}) WHERE p.notResource IS NOT NULL RETURN p.notResource AS ex, l.notResource AS flag`, { b: `arn:aws:s3:::acme-site-${S}` });
    expect(link).toContainEqual({ ex: [`arn:aws:s3:::acme-customers-${S}`, `arn:aws:s3:::acme-customers-${S}/*`], flag: true });
  });

  test('given a bucket policy with Deny statements and a conditional Allow, then Denies are their own edges and grants carry conditions and the cut', async () => {
    const vault = `arn:aws:s3:::acme-vault-${S}`;
    // Then each Deny is a DENIES_ACCESS edge from whom it names, with its condition keys
    const denies = await rows(`MATCH (p)-[d:DENIES_ACCESS]->(:AWSS3Bucket {id: $vault}) RETURN p.id AS from, d.statement AS statement, d.conditional AS conditional, d.conditionKeys AS keys, d.allActions AS allActions, d.wholeResource AS whole ORDER BY statement`, { vault });
    expect(denies).toEqual([
      { from: arn('user', 'analyst'), statement: 1, conditional: false, keys: [], allActions: true, whole: true },
      { from: '*', statement: 2, conditional: true, keys: ['aws:securetransport'], allActions: true, whole: true },
      { from: '*', statement: 3, conditional: false, keys: [], allActions: false, whole: false },
    ]);
    expect(await rows(`MATCH (:AWSAccount {id: '*'})-[d:DENIES_ACCESS {statement: 3}]->(:AWSS3Bucket {id: $vault}) RETURN d.exceptPrincipals AS ex`, { vault })).toEqual([{ ex: [arn('user', 'auditor'), `arn:aws:iam::${acct}:root`] }]);
    // And the conditional Allow is kept, conditional, with its key and the Deny that may cut it
    const grant = await rows(`MATCH (p {id: $reader})-[g:MAY_ACCESS {via: 'resource-policy'}]->(:AWSS3Bucket {id: $vault}) RETURN g.conditional AS conditional, g.conditionKeys AS keys, g.deniedBy AS deniedBy, g.denied AS denied`, { reader: arn('user', 'reader'), vault });
    expect(grant).toEqual([{ conditional: true, keys: ['aws:sourceip'], deniedBy: [2], denied: 'partly' }]);
    // And the analyst's identity grant on acme-*/* meets the unconditional Deny: the row says so
    const analyst = await graph.read('queries/aws/principal-resources', { principal: arn('user', 'analyst') });
    expect(analyst.find((r) => r.resource === vault)).toMatchObject({ via: 'identity', denied: 'all', deniedBy: expect.arrayContaining([1, 2]) });
    expect(analyst.find((r) => r.resource === `arn:aws:s3:::acme-site-${S}`)).toMatchObject({ denied: null });
    // NotPrincipal spares the auditor (listed with its account ARN): only the conditional TLS Deny applies to it
    const auditor = await graph.read('queries/aws/principal-resources', { principal: arn('user', 'auditor') });
    expect(auditor.find((r) => r.resource === vault)).toMatchObject({ denied: 'partly', deniedBy: [2] });
    // And `iam can` agrees: the explicit Deny wins over the identity Allow
    const r = cli('iam', 'can', arn('user', 'analyst'), 's3:GetObject', `${vault}/x.csv`, '--format', 'json');
    expect(JSON.parse(r.out)).toMatchObject({ decision: 'explicitDeny' });
  });

  test('given a bucket deleted in the account, when collected again, then its node and pattern links are gone and the rest stays', async () => {
    const s3 = new S3Client({ endpoint: m.endpoint, region, forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await s3.send(new DeleteBucketCommand({ Bucket: `acme-old-${S}` }));
    s3.destroy();
    const again = cli('collect', 'aws', '--endpoint', m.endpoint, '--resources', '--regions', region);
    expect(again.code).toBe(0);
    const links = await rows(`MATCH (:AWSResource {id: 'arn:aws:s3:::acme-*/*'})-[l:MATCHES_RESOURCE]->(b:AWSS3Bucket) RETURN b.name AS name ORDER BY name`);
    expect(links.map((l) => l.name)).toEqual(expect.arrayContaining([`acme-customers-${S}`, `acme-models-${S}`, `acme-site-${S}`]));
    expect(links.map((l) => l.name)).not.toContain(`acme-old-${S}`);
    expect(await rows(`MATCH (b:AWSS3Bucket {id: $id}) RETURN b.id AS id`, { id: `arn:aws:s3:::acme-old-${S}` })).toEqual([]);
  }, 120_000);
});

describe('collect resources offline (--from-dir) into Neo4j', () => {
  const FIXTURE = decodeURIComponent(new URL('../cases/aws/inventory/', import.meta.url).pathname);
  const ACCT = '111122223333';
  /** A private copy of the saved outputs (tests change it), collected once: the copy and the result. */
  async function collectCopy(prefix: string) {
    const { collectAwsResources } = await import('../../src/collectors/aws/inventory.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.cpSync(FIXTURE, dir, { recursive: true });
    const collect = (families?: Parameters<typeof collectAwsResources>[1]['families']) => collectAwsResources(graph, { accountId: ACCT, fromDir: dir, regions: ['us-east-1'], ...(families ? { families } : {}) });
    return { dir, collect, first: await collect() };
  }

  test('given saved CLI outputs, when one family later fails to read, then its earlier data is kept and the rest syncs', async () => {
    // Given a first sync from the saved outputs
    const { dir, collect, first } = await collectCopy('rg-inv-');
    expect(first.failed).toEqual([]);
    expect(first.summaries.map((s) => s.source).sort()).toEqual(['aws-bedrock', 'aws-bedrock-agent', 'aws-dynamodb', 'aws-kms', 'aws-lambda', 'aws-s3', 'aws-secretsmanager']);
    const key = `arn:aws:kms:us-east-1:${ACCT}:key/k-1`;
    expect(await rows(`MATCH (k:AWSKMSKey {id: $key}) RETURN k.aliases AS aliases, k.crownJewel AS cj`, { key })).toEqual([{ aliases: ['alias/payroll'], cj: 'kms-key' }]);
    // When the KMS listing is corrupt and a function disappeared
    fs.writeFileSync(path.join(dir, 'us-east-1', 'kms', 'list-keys.json'), '{"Keys": [');
    fs.writeFileSync(path.join(dir, 'us-east-1', 'lambda', 'list-functions.json'), '{"Functions": []}');
    const second = await collect();
    // Then KMS is reported failed and its key kept; Lambda synced and removed the function
    expect(second.failed).toEqual([expect.objectContaining({ source: 'aws-kms', scope: `${ACCT}/us-east-1`, error: expect.stringContaining('list-keys.json') })]);
    expect(await rows(`MATCH (k:AWSKMSKey {id: $key}) RETURN count(k) AS c`, { key })).toEqual([{ c: 1 }]);
    // (a Bedrock action group still names the function, so what is left is a stub without Lambda's data)
    expect(await rows(`MATCH (f:AWSLambdaFunction {id: $id}) WHERE f.stub IS NULL RETURN count(f) AS c`, { id: `arn:aws:lambda:us-east-1:${ACCT}:function:payroll-export` })).toEqual([{ c: 0 }]);
    expect(await rows(`MATCH (:AWSBedrockActionGroup)-[:MAY_INVOKE]->(f:AWSLambdaFunction {id: $id}) RETURN f.stub AS stub, f.runtime AS runtime`, { id: `arn:aws:lambda:us-east-1:${ACCT}:function:payroll-export` })).toEqual([{ stub: true, runtime: null }]);
    // And nothing of the environment values reached the graph
    expect(await rows(`MATCH (n) WHERE any(k IN keys(n) WHERE any(v IN CASE WHEN valueType(n[k]) STARTS WITH 'LIST' THEN n[k] ELSE [n[k]] END WHERE toString(v) CONTAINS 'OFFLINE-PLANTED-VALUE')) RETURN count(n) AS c`)).toEqual([{ c: 0 }]);
  }, 120_000);

  test('given saved Bedrock outputs, when collected, then agents join the AI-BOM in Neo4j and reach Lambda, roles, models and data', async () => {
    // Given the saved outputs, when every family is collected
    const { dir, collect, first } = await collectCopy('rg-inv-bedrock-');
    expect(first.failed).toEqual([]);
    const agent = `arn:aws:bedrock:us-east-1:${ACCT}:agent/AGENT12345`;
    // Then the agent's AI-BOM node reaches its Lambda action group and through it the function's execution role
    const path1 = await rows(
      `MATCH (a:AIAgent {id: $agent})-[:MAY_USE_TOOL]->(g:AWSBedrockActionGroup)-[:MAY_INVOKE]->(f:AWSLambdaFunction)-[:EXECUTES_AS]->(r:AWSRole)
       RETURN g.name AS group, f.name AS fn, r.id AS role`,
      { agent },
    );
    expect(path1).toEqual([{ group: 'export-payroll', fn: 'payroll-export', role: `arn:aws:iam::${ACCT}:role/payroll-app` }]);
    // And its knowledge base ingests the payroll bucket, which is therefore a model-artifact crown jewel
    const kb = await rows(
      `MATCH (a:AIAgent {id: $agent})-[:MAY_USE_TOOL]->(k:AWSBedrockKnowledgeBase)-[:INGESTS_FROM]->(b:AWSS3Bucket), (k)-[:STORES_IN]->(v:VectorStore)
       RETURN k.name AS kb, b.name AS bucket, b.crownJewel AS cj, v.id AS store`,
      { agent },
    );
    expect(kb).toEqual([{ kb: 'payroll-handbook', bucket: 'acme-payroll', cj: 'model-artifact', store: `arn:aws:aoss:us-east-1:${ACCT}:collection/kbcoll1` }]);
    // And the agent calls its custom model (a crown jewel trained on that bucket), acts as its role, is guarded
    const agentRow = await rows(
      `MATCH (a:AIAgent {id: $agent})-[:MAY_INVOKE]->(m:AWSBedrockCustomModel)-[:TRAINED_ON]->(b:AWSS3Bucket), (a)-[:USES_IDENTITY]->(r:AWSRole), (a)-[:RUNS_ON]->(x:AWSBedrockAgent)-[:GUARDED_BY]->(g:AWSBedrockGuardrail)
       RETURN m.name AS model, m.crownJewel AS mcj, b.name AS bucket, r.id AS role, x.crownJewel AS acj, g.policies AS policies`,
      { agent },
    );
    expect(agentRow).toEqual([{ model: 'payroll-tuned', mcj: 'model-artifact', bucket: 'acme-payroll', role: `arn:aws:iam::${ACCT}:role/payroll-app`, acj: 'ai-agent', policies: ['content', 'sensitive-information'] }]);
    // And finding RG-008 names the helpdesk agent (no guardrail) and not the guarded payroll agent
    const subjects = [agent, `arn:aws:bedrock:us-east-1:${ACCT}:agent/AGENTOPEN1`];
    const anchors = await graph.read('queries/risk/subject-anchors', { subjects: subjects.map((id) => ({ label: 'AIAgent', id })) });
    const param = subjects.map((id) => ({ id, anchors: anchors.filter((a) => a.subject === id).map((a) => a.anchor) }));
    const unguarded = await graph.read('queries/risk/findings/agent-without-guardrail', { subjects: param });
    expect(unguarded.map((r) => [r.subject, r.target])).toEqual([[subjects[1], subjects[1]]]);
    // And a second collect without the helpdesk agent removes it (replace mode per family and region)
    const list = path.join(dir, 'us-east-1', 'bedrock-agent', 'list-agents.json');
    const saved = JSON.parse(fs.readFileSync(list, 'utf8')) as { agentSummaries: { agentId: string }[] };
    fs.writeFileSync(list, JSON.stringify({ agentSummaries: saved.agentSummaries.filter((a) => a.agentId !== 'AGENTOPEN1') }));
    const again = await collect(['bedrock-agent']);
    expect(again.failed).toEqual([]);
    expect(await rows(`MATCH (n) WHERE n.id = $id AND (n:AIAgent OR n:AWSBedrockAgent) RETURN count(n) AS c`, { id: `arn:aws:bedrock:us-east-1:${ACCT}:agent/AGENTOPEN1` })).toEqual([{ c: 0 }]);
    expect(await rows(`MATCH (n:AIAgent {id: $agent}) RETURN count(n) AS c`, { agent })).toEqual([{ c: 1 }]);
  }, 120_000);
});
