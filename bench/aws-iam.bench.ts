// npm run bench:iam: evaluates a generated account of 5,000 roles and 20,000 customer-managed
// policies (effective permissions, trust, escalation paths) and loads it into a local Neo4j through
// the ingest core, printing the time of each phase. Own state folder and port (7692, .reachgraph/bench-iam).
// Also: a 25-wildcard pattern through the matcher and the evaluator (issue 8 finding 7), and
// `iam privesc` over 4,000 roles that can pass and assume `*` (finding 11; BENCH_WILDCARD_ROLES).
import { transformAccount } from '../src/collectors/aws/transform.js';
import { runSync } from '../src/graph/ingest.js';
import { buildAccountModel, evaluate, findEscalations, loadActionCatalog, resourceMatches, type AuthDetails } from '../src/identity/aws/index.js';
import { benchEnv, openFreshGraph, seeded } from './fresh-graph.js';

const ROLES = Number(process.env.BENCH_ROLES ?? 5_000);
const POLICIES = Number(process.env.BENCH_POLICIES ?? 20_000);
const PER_ROLE = Number(process.env.BENCH_POLICIES_PER_ROLE ?? 4);
const SKIP_GRAPH = process.env.BENCH_SKIP_GRAPH === '1';
const WILDCARD_ROLES = Number(process.env.BENCH_WILDCARD_ROLES ?? 4_000);
const A = '210987654321';

benchEnv('bench-iam', 7692);

const { rand, pick } = seeded(7);

const SERVICES = ['s3', 'dynamodb', 'sqs', 'sns', 'lambda', 'logs', 'kms', 'secretsmanager', 'bedrock', 'ec2', 'ecr', 'cloudwatch'];
const VERBS = ['Get*', 'List*', 'Describe*', 'Put*', '*', 'Query', 'GetObject', 'PutObject', 'InvokeModel', 'Decrypt', 'SendMessage', 'GetSecretValue'];

function statement(i: number): object {
  const svc = pick(SERVICES);
  const r = rand();
  const resource = r < 0.3 ? '*' : r < 0.7 ? `arn:aws:${svc === 's3' ? 's3:::' : `${svc}:eu-west-1:${A}:`}app-${i % 500}*` : [`arn:aws:${svc}:eu-west-1:${A}:res-${i}`, `arn:aws:${svc}:eu-west-1:${A}:res-${i}/*`];
  const st: Record<string, unknown> = { Effect: rand() < 0.05 ? 'Deny' : 'Allow', Action: [`${svc}:${pick(VERBS)}`, `${svc}:${pick(VERBS)}`], Resource: resource };
  // About one statement in a thousand is a power-user NotAction grant (a few dozen roles).
  if (rand() < 0.001) {
    delete st.Action;
    st.NotAction = ['iam:*', 'organizations:*'];
    st.Resource = '*';
  }
  if (rand() < 0.15) st.Condition = { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } };
  if (rand() < 0.01 && st.Action !== undefined) st.Action = ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'];
  return st;
}

function generate(): AuthDetails {
  const Policies = Array.from({ length: POLICIES }, (_, i) => ({
    PolicyName: `p-${i}`,
    Arn: `arn:aws:iam::${A}:policy/p-${i}`,
    DefaultVersionId: 'v1',
    PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, j) => statement(i * 3 + j)) })) }],
  }));
  Policies.push({ PolicyName: 'boundary', Arn: `arn:aws:iam::${A}:policy/boundary`, DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'dynamodb:*', 'logs:*', 'bedrock:*'], Resource: '*' }] }) }] });
  const trusts = [
    (i: number) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: pick(['ec2.amazonaws.com', 'lambda.amazonaws.com', 'ecs-tasks.amazonaws.com', 'glue.amazonaws.com']) }, Action: 'sts:AssumeRole' }] }),
    () => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' }] }),
    (i: number) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${A}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/BENCH` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'oidc.eks.eu-west-1.amazonaws.com/id/BENCH:sub': `system:serviceaccount:ns-${i % 50}:sa-${i}` } } }] }),
  ];
  const RoleDetailList = Array.from({ length: ROLES }, (_, i) => ({
    RoleName: `role-${i}`,
    Arn: `arn:aws:iam::${A}:role/role-${i}`,
    AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(pick(trusts)(i))),
    AttachedManagedPolicies: Array.from({ length: PER_ROLE }, () => ({ PolicyArn: `arn:aws:iam::${A}:policy/p-${Math.floor(rand() * POLICIES)}` })),
    RolePolicyList: rand() < 0.3 ? [{ PolicyName: 'inline', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [statement(i)] }) }] : [],
    ...(rand() < 0.2 ? { PermissionsBoundary: { PermissionsBoundaryArn: `arn:aws:iam::${A}:policy/boundary` } } : {}),
  }));
  return { RoleDetailList, Policies, UserDetailList: [], GroupDetailList: [] };
}

const t = (label: string, t0: number): number => {
  const ms = performance.now() - t0;
  process.stdout.write(`${label.padEnd(44)} ${(ms / 1000).toFixed(2)} s\n`);
  return ms;
};

let t0 = performance.now();
const catalog = await loadActionCatalog();
t(`load action catalog (${catalog.size} actions)`, t0);
t0 = performance.now();
const details = generate();
t(`generate ${ROLES} roles, ${POLICIES} policies`, t0);
t0 = performance.now();
const model = buildAccountModel(details);
t(`parse policies into the account model (${model.problems.length} problems)`, t0);
t0 = performance.now();
const tp = performance.now();
const esc = findEscalations(model);
t(`  of which privesc alone (${esc.length} edges)`, tp);
const byMethod = new Map<string, number>();
for (const e of esc) byMethod.set(e.method, (byMethod.get(e.method) ?? 0) + 1);
process.stdout.write(`  by method: ${[...byMethod].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([m, n]) => `${m} ${n}`).join(', ')}\n`);
t0 = performance.now();
const res = transformAccount(model, catalog, { irsa: { clusterForIssuer: () => 'bench', serviceAccounts: new Map() } });
const evalMs = t('evaluate: effective permissions, trust, privesc', t0);
process.stdout.write(`  ${res.stats.grants} grants, ${res.stats.assumeEdges} trust edges, ${res.stats.irsaEdges} IRSA edges, ${res.stats.escalations} escalation edges; ${res.batch.nodes.length} nodes, ${res.batch.rels.length} rels\n`);
process.stdout.write(`  ${((ROLES * 1000) / evalMs).toFixed(0)} roles/s evaluated\n`);

// A 25-wildcard pattern: the worst case for a backtracking matcher is a miss on a long text.
{
  const pattern = `arn:aws:s3:::${'a*'.repeat(25)}b`;
  const miss = `arn:aws:s3:::${'a'.repeat(200)}`;
  const N = 10_000;
  t0 = performance.now();
  let hits = 0;
  for (let i = 0; i < N; i++) if (resourceMatches(pattern, i % 2 === 0 ? miss : `${miss}b`)) hits++;
  const matchMs = performance.now() - t0;
  process.stdout.write(`${`25-wildcard pattern: ${N} matches (${hits} hits)`.padEnd(44)} ${(matchMs / 1000).toFixed(2)} s (${((matchMs * 1000) / N).toFixed(1)} µs each)\n`);
  const policy = { name: 'wild', doc: { version: '2012-10-17' as const, statements: [{ effect: 'Allow' as const, action: [`s3:${'g*'.repeat(25)}`], resource: [pattern] }] } };
  t0 = performance.now();
  for (let i = 0; i < 1_000; i++) evaluate({ caller: { kind: 'user', id: `arn:aws:iam::${A}:user/u` }, action: `s3:${'G'.repeat(60)}`, resource: miss, identityPolicies: [policy] });
  const evalWildMs = performance.now() - t0;
  process.stdout.write(`${'25-wildcard policy: 1000 evaluate() calls'.padEnd(44)} ${(evalWildMs / 1000).toFixed(2)} s (${evalWildMs.toFixed(3)} ms per 1000)\n`);
}

// Roles that can pass and assume `*`: the square-growth case of `iam privesc`.
function wildcardAccount(n: number, withAdmin: boolean): AuthDetails {
  const rootTrust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' }] });
  const lambdaTrust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const everything = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction', 's3:GetObject'], Resource: '*' }] });
  const RoleDetailList = Array.from({ length: n }, (_, i) => ({
    RoleName: `wild-${i}`,
    Arn: `arn:aws:iam::${A}:role/wild-${i}`,
    AssumeRolePolicyDocument: i % 2 === 0 ? rootTrust : lambdaTrust,
    RolePolicyList: [{ PolicyName: 'wild', PolicyDocument: everything }],
  }));
  if (withAdmin) RoleDetailList.push({ RoleName: 'admin', Arn: `arn:aws:iam::${A}:role/admin`, AssumeRolePolicyDocument: rootTrust, RolePolicyList: [{ PolicyName: 'all', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }] });
  return { RoleDetailList, UserDetailList: [], GroupDetailList: [], Policies: [] };
}
for (const withAdmin of [true, false]) {
  const wm = buildAccountModel(wildcardAccount(WILDCARD_ROLES, withAdmin));
  const heap0 = process.memoryUsage().heapUsed;
  t0 = performance.now();
  const we = findEscalations(wm);
  const label = `privesc: ${WILDCARD_ROLES} roles passing/assuming *, ${withAdmin ? 'one admin' : 'no admin'}`;
  t(`${label} (${we.length} edges)`, t0);
  process.stdout.write(`  heap +${((process.memoryUsage().heapUsed - heap0) / 2 ** 20).toFixed(0)} MiB\n`);
}

if (!SKIP_GRAPH) {
  const bench = await openFreshGraph();
  const { graph } = bench;
  try {
    t0 = performance.now();
    await runSync(graph, { source: 'aws', scope: A, syncId: 'bench-iam', progress: false, batchSize: 10_000 }, async (sink) => sink.write(res.batch));
    const loadMs = t('load into Neo4j (runSync, replace mode)', t0);
    process.stdout.write(`  ${(((res.batch.nodes.length + res.batch.rels.length) * 1000) / loadMs).toFixed(0)} records/s\n`);
  } finally {
    await bench.close();
  }
}
