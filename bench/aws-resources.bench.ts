// npm run bench:aws: a 5,000-role account with 20,000 resources, collected from saved responses
// (`--from-dir` layout) into a local Neo4j: the IAM sync, the inventory sync of every family, and the
// pattern → resource links. Prints the time of each phase and the MATCHES_RESOURCE edge count.
// Own state folder and port (7693, .reachgraph/bench-aws). BENCH_ROLES / BENCH_RESOURCES resize it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectAwsResources } from '../src/collectors/aws/inventory.js';
import { transformAccount } from '../src/collectors/aws/transform.js';
import { runSync } from '../src/graph/ingest.js';
import { buildAccountModel, loadActionCatalog, type AuthDetails } from '../src/identity/aws/index.js';
import { benchEnv, openFreshGraph, seeded } from './fresh-graph.js';

const ROLES = Number(process.env.BENCH_ROLES ?? 5_000);
const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 20_000);
const A = '310987654321';
const R = 'eu-west-1';

benchEnv('bench-aws', 7697);

const { rand, pick } = seeded(11);
const APPS = 200;

/** One identity statement on a pattern over the generated resources (app-<n> names). */
function grant(): object {
  const app = Math.floor(rand() * APPS);
  return pick([
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::app-${app}-*/*` },
    { Effect: 'Allow', Action: 'dynamodb:Query', Resource: `arn:aws:dynamodb:${R}:${A}:table/app-${app}-*` },
    { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:${R}:${A}:secret:app-${app}/*` },
    { Effect: 'Allow', Action: 'kms:Decrypt', Resource: `arn:aws:kms:${R}:${A}:key/*` },
    { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: `arn:aws:lambda:${R}:${A}:function:app-${app}-*` },
    { Effect: 'Allow', Action: 'ecr:BatchGetImage', Resource: `arn:aws:ecr:${R}:${A}:repository/app-${app}/*` },
  ]);
}

function account(): AuthDetails {
  const Policies = Array.from({ length: ROLES }, (_, i) => ({
    PolicyName: `p-${i}`,
    Arn: `arn:aws:iam::${A}:policy/p-${i}`,
    DefaultVersionId: 'v1',
    PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: JSON.stringify({ Version: '2012-10-17', Statement: [grant(), grant()] }) }],
  }));
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const RoleDetailList = Array.from({ length: ROLES }, (_, i) => ({
    RoleName: `r-${i}`,
    RoleId: `AROA${String(i).padStart(16, '0')}`,
    Arn: `arn:aws:iam::${A}:role/r-${i}`,
    Path: '/',
    AssumeRolePolicyDocument: trust,
    AttachedManagedPolicies: [{ PolicyName: `p-${i}`, PolicyArn: `arn:aws:iam::${A}:policy/p-${i}` }],
    RolePolicyList: [],
    InstanceProfileList: [],
    Tags: [],
  }));
  return { UserDetailList: [], GroupDetailList: [], RoleDetailList, Policies } as unknown as AuthDetails;
}

/** Saved `aws` CLI outputs for RESOURCES resources, spread over six families. */
function writeResponses(dir: string): void {
  const w = (rel: string, v: unknown) => {
    const f = path.join(dir, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, JSON.stringify(v));
  };
  const n = Math.floor(RESOURCES / 6);
  const name = (i: number) => `app-${i % APPS}-${i}`;
  const policy = (i: number) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:role/r-${i % ROLES}` }, Action: '*', Resource: '*' }] });
  w('s3/list-buckets.json', { Buckets: Array.from({ length: n }, (_, i) => ({ Name: name(i) })) });
  for (let i = 0; i < n; i++) {
    w(`s3/get-bucket-location/${name(i)}.json`, { LocationConstraint: R });
    if (i % 10 === 0) w(`s3/get-bucket-policy/${name(i)}.json`, { Policy: policy(i) });
  }
  w(`${R}/secretsmanager/list-secrets.json`, { SecretList: Array.from({ length: n }, (_, i) => ({ ARN: `arn:aws:secretsmanager:${R}:${A}:secret:app-${i % APPS}/s${i}-AbCdEf`, Name: `app-${i % APPS}/s${i}` })) });
  w(`${R}/kms/list-keys.json`, { Keys: Array.from({ length: n }, (_, i) => ({ KeyId: `k-${i}`, KeyArn: `arn:aws:kms:${R}:${A}:key/k-${i}` })) });
  w(`${R}/kms/list-aliases.json`, { Aliases: [] });
  for (let i = 0; i < n; i++) {
    w(`${R}/kms/describe-key/k-${i}.json`, { KeyMetadata: { KeyId: `k-${i}`, Arn: `arn:aws:kms:${R}:${A}:key/k-${i}`, KeyManager: 'CUSTOMER' } });
    w(`${R}/kms/get-key-policy/k-${i}.json`, { Policy: policy(i) });
  }
  w(`${R}/dynamodb/list-tables.json`, { TableNames: Array.from({ length: n }, (_, i) => name(i)) });
  for (let i = 0; i < n; i++) w(`${R}/dynamodb/describe-table/${name(i)}.json`, { Table: { TableName: name(i), TableArn: `arn:aws:dynamodb:${R}:${A}:table/${name(i)}` } });
  w(`${R}/lambda/list-functions.json`, { Functions: Array.from({ length: n }, (_, i) => ({ FunctionName: name(i), FunctionArn: `arn:aws:lambda:${R}:${A}:function:${name(i)}`, Role: `arn:aws:iam::${A}:role/r-${i % ROLES}` })) });
  w(`${R}/ecr/describe-repositories.json`, { repositories: Array.from({ length: RESOURCES - 5 * n }, (_, i) => ({ repositoryName: `app-${i % APPS}/r${i}`, repositoryArn: `arn:aws:ecr:${R}:${A}:repository/app-${i % APPS}/r${i}` })) });
}

const t = (label: string, t0: number): number => {
  const ms = performance.now() - t0;
  process.stdout.write(`${label.padEnd(48)} ${(ms / 1000).toFixed(2)} s\n`);
  return ms;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-bench-aws-'));
let t0 = performance.now();
writeResponses(dir);
t(`write saved responses (${RESOURCES} resources)`, t0);
t0 = performance.now();
const catalog = await loadActionCatalog();
const model = buildAccountModel(account());
const iam = transformAccount(model, catalog);
t(`evaluate ${ROLES} roles`, t0);

const bench = await openFreshGraph();
try {
  const { graph } = bench;
  t0 = performance.now();
  await runSync(graph, { source: 'aws', scope: A, progress: false, batchSize: 10_000 }, (sink) => sink.write(iam.batch));
  t('IAM sync into Neo4j', t0);
  t0 = performance.now();
  const res = await collectAwsResources(graph, { accountId: A, fromDir: dir, regions: [R] });
  const ms = t('inventory: read + transform + sync + link (--from-dir)', t0);
  if (res.failed.length > 0) throw new Error(`inventory failed: ${JSON.stringify(res.failed)}`);
  const count = await graph.readText('MATCH (:AWSResource)-[l:MATCHES_RESOURCE]->() RETURN count(l) AS c', {}, 'bench:aws');
  process.stdout.write(`  ${res.stats.resources} resources, ${res.stats.grants} resource-policy grants, ${res.stats.crownJewels} crown jewels; ${String(count[0]?.c)} pattern→resource edges (links sync ${res.links?.rels ?? 0} rels)\n`);
  process.stdout.write(`  ${((res.stats.resources * 1000) / ms).toFixed(0)} resources/s end to end\n`);
} finally {
  await bench.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
