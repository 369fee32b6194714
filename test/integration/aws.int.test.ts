// AWS IAM collector end to end: the real AWS SDK against moto's IAM server, into the real Neo4j.
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  AddRoleToInstanceProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runVerb } from '../helpers/run-verb.js';
import { collectAws } from '../../src/collectors/aws/collect.js';
import { register as registerCollectAws } from '../../src/cli/verbs/collect-aws.js';
import { register as registerIam } from '../../src/cli/verbs/iam.js';
import type { Graph } from '../../src/graph/driver.js';
import { runSync } from '../../src/graph/ingest.js';
import { node, rel } from '../../src/graph/records.js';
import { loadCypherRegistry } from '../../src/graph/cypher.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';
import { motoAvailable, startMoto, type Moto } from '../helpers/moto.js';

const moto = motoAvailable();
if (!moto.ok) process.stderr.write(`aws.int.test: skipping moto-backed tests: ${moto.reason}\n`);
const describeMoto = moto.ok ? describe : describe.skip;

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/5C1D0EXAMPLE0DEADBEEF0CAFE';
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const serviceTrust = (svc: string) => doc({ Effect: 'Allow', Principal: { Service: svc }, Action: 'sts:AssumeRole' });

let graph: Graph;
beforeAll(async () => {
  graph = await testGraph();
});
afterAll(async () => {
  await graph.close();
});

async function rows(text: string, params: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  return graph.readText(text, params, 'aws.int.test');
}

describeMoto('collect aws from moto', () => {
  let m: Moto;
  let iam: IAMClient;
  let acct: string;
  const cluster = uniqueScope('eks');
  const arn = (kind: string, name: string) => `arn:aws:iam::${acct}:${kind}/${name}`;
  let result: Awaited<ReturnType<typeof collectAws>>;
  const seeded = { roles: 0, users: 0, policies: 0 };

  beforeAll(async () => {
    m = await startMoto();
    acct = m.accountId;
    iam = new IAMClient({ endpoint: m.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const send = iam.send.bind(iam) as (c: unknown) => Promise<unknown>;
    const providerArn = ((await send(new CreateOpenIDConnectProviderCommand({ Url: `https://${ISSUER}`, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'] }))) as { OpenIDConnectProviderArn: string }).OpenIDConnectProviderArn;
    const irsaTrust = (op: string, sub: string) =>
      doc({
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: op === 'StringEquals' ? { StringEquals: { [`${ISSUER}:sub`]: sub, [`${ISSUER}:aud`]: 'sts.amazonaws.com' } } : { [op]: { [`${ISSUER}:sub`]: sub }, StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' } },
      });

    // Customer-managed policies: per-app data access (dozens), a boundary, and risky ones.
    const apps = Array.from({ length: 24 }, (_, i) => `app${String(i).padStart(2, '0')}`);
    for (const a of apps) {
      await send(new CreatePolicyCommand({ PolicyName: `${a}-data`, PolicyDocument: doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${a}-bucket/*` }, { Effect: 'Allow', Action: 'dynamodb:Query', Resource: `arn:aws:dynamodb:eu-west-1:${acct}:table/${a}` }) }));
      seeded.policies++;
    }
    await send(new CreatePolicyCommand({ PolicyName: 'agent-boundary', PolicyDocument: doc({ Effect: 'Allow', Action: ['bedrock:InvokeModel', 's3:GetObject'], Resource: '*' }) }));
    await send(new CreatePolicyCommand({ PolicyName: 'lambda-deployer', PolicyDocument: doc({ Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' }, { Effect: 'Allow', Action: 'iam:PassRole', Resource: arn('role', '*') }) }));
    await send(new CreatePolicyCommand({ PolicyName: 'agent-runtime', PolicyDocument: doc({ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' }, { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }, { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::corpus/*' }) }));
    seeded.policies += 3;

    // Roles: one per app on EC2/Lambda/ECS, IRSA roles, an admin Lambda role, a boundary-limited agent role.
    const services = ['ec2.amazonaws.com', 'lambda.amazonaws.com', 'ecs-tasks.amazonaws.com'];
    for (const [i, a] of apps.entries()) {
      await send(new CreateRoleCommand({ RoleName: `${a}-role`, AssumeRolePolicyDocument: serviceTrust(services[i % 3]!), Tags: [{ Key: 'app', Value: a }] }));
      await send(new AttachRolePolicyCommand({ RoleName: `${a}-role`, PolicyArn: arn('policy', `${a}-data`) }));
      seeded.roles++;
    }
    await send(new CreateInstanceProfileCommand({ InstanceProfileName: 'app00-profile' }));
    await send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'app00-profile', RoleName: 'app00-role' }));
    await send(new CreateRoleCommand({ RoleName: 'lambda-admin', AssumeRolePolicyDocument: serviceTrust('lambda.amazonaws.com') }));
    await send(new AttachRolePolicyCommand({ RoleName: 'lambda-admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await send(new CreateRoleCommand({ RoleName: 'agent-runtime', AssumeRolePolicyDocument: irsaTrust('StringEquals', 'system:serviceaccount:agents:planner'), PermissionsBoundary: arn('policy', 'agent-boundary') }));
    await send(new AttachRolePolicyCommand({ RoleName: 'agent-runtime', PolicyArn: arn('policy', 'agent-runtime') }));
    await send(new CreateRoleCommand({ RoleName: 'shop-reader', AssumeRolePolicyDocument: irsaTrust('StringLike', 'system:serviceaccount:shop:*') }));
    await send(new PutRolePolicyCommand({ RoleName: 'shop-reader', PolicyName: 'read', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shop/*' }) }));
    await send(new CreateRoleCommand({ RoleName: 'ops', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${acct}:root` }, Action: 'sts:AssumeRole' }) }));
    await send(new PutRolePolicyCommand({ RoleName: 'ops', PolicyName: 'ops', PolicyDocument: doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) }));
    await send(new CreateRoleCommand({ RoleName: 'temp', AssumeRolePolicyDocument: serviceTrust('glue.amazonaws.com') }));
    await send(new PutRolePolicyCommand({ RoleName: 'temp', PolicyName: 'glue', PolicyDocument: doc({ Effect: 'Allow', Action: 'glue:*', Resource: '*' }) }));
    seeded.roles += 5;

    // Users and groups.
    await send(new CreateGroupCommand({ GroupName: 'admins' }));
    await send(new AttachGroupPolicyCommand({ GroupName: 'admins', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await send(new CreateGroupCommand({ GroupName: 'developers' }));
    await send(new PutGroupPolicyCommand({ GroupName: 'developers', PolicyName: 'logs', PolicyDocument: doc({ Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: '*' }) }));
    for (const u of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank']) {
      await send(new CreateUserCommand({ UserName: u }));
      seeded.users++;
    }
    await send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'alice' }));
    for (const u of ['bob', 'carol', 'dave']) await send(new AddUserToGroupCommand({ GroupName: 'developers', UserName: u }));
    await send(new AttachUserPolicyCommand({ UserName: 'carol', PolicyArn: arn('policy', 'lambda-deployer') }));
    await send(new PutUserPolicyCommand({ UserName: 'dave', PolicyName: 'keys', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: arn('user', '*') }) }));
    await send(new PutUserPolicyCommand({ UserName: 'erin', PolicyName: 'assume-ops', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arn('role', 'ops') }) }));

    // The Kubernetes side the graph already knows: service accounts of the cluster, one annotation.
    await runSync(graph, { source: 'test-k8s', scope: cluster }, async (sink) => {
      const sas = ['shop/web', 'shop/cart', 'pay/api', 'agents/planner', 'default/default'];
      await sink.write({
        nodes: sas.map((s) => node('K8sServiceAccount', `${cluster}/${s}`, { namespace: s.split('/')[0]!, name: s.split('/')[1]! })),
        rels: [rel('LINKED_IDENTITY', { label: 'K8sServiceAccount', id: `${cluster}/pay/api` }, { label: 'AWSRole', id: arn('role', 'shop-reader') })],
      });
    });

    result = await collectAws(graph, { endpoint: m.endpoint, clusters: new Map([[ISSUER, cluster]]) });
  });

  afterAll(async () => {
    iam?.destroy();
    await m?.stop();
  });

  test('the account lands under source aws, scope = account id', async () => {
    expect(result.accountId).toBe(acct);
    expect(result.summary.status).toBe('succeeded');
    const [c] = await rows(
      `MATCH (n) WHERE n.source = 'aws' AND n.scope = $scope
       RETURN sum(CASE WHEN n:AWSRole THEN 1 ELSE 0 END) AS roles, sum(CASE WHEN n:AWSUser THEN 1 ELSE 0 END) AS users,
              sum(CASE WHEN n:AWSGroup THEN 1 ELSE 0 END) AS groups, sum(CASE WHEN n:AWSPolicy AND n.kind = 'managed' AND NOT n.awsManaged THEN 1 ELSE 0 END) AS policies,
              sum(CASE WHEN n:AWSOIDCProvider THEN 1 ELSE 0 END) AS providers`,
      { scope: acct },
    );
    const names = await rows(`MATCH (n:AWSRole) WHERE n.source = 'aws' AND n.scope = $scope RETURN n.name AS name ORDER BY name`, { scope: acct });
    expect(names.map((x) => x.name)).toContain('ops');
    expect(c).toEqual({ roles: seeded.roles, users: seeded.users, groups: 2, policies: seeded.policies, providers: 1 });
  });

  test('grants are grouped per principal and resource pattern, with sensitivity', async () => {
    const r = await rows(
      `MATCH (:AWSRole {id: $role})-[g:MAY_ACCESS]->(res:AWSResource) RETURN res.id AS resource, g.actions AS actions, g.sensitivity AS sensitivity ORDER BY resource`,
      { role: arn('role', 'app03-role') },
    );
    expect(r).toEqual([
      { resource: `arn:aws:dynamodb:eu-west-1:${acct}:table/app03`, actions: ['dynamodb:Query'], sensitivity: ['data-read'] },
      { resource: 'arn:aws:s3:::app03-bucket/*', actions: ['s3:GetObject', 's3:PutObject'], sensitivity: ['data-read', 'data-write'] },
    ]);
  });

  test('the permission boundary removes what it does not allow', async () => {
    const r = await rows(`MATCH (:AWSRole {id: $role})-[g:MAY_ACCESS]->(res) RETURN res.id AS resource, g.actions AS actions ORDER BY resource`, { role: arn('role', 'agent-runtime') });
    expect(r).toEqual([
      { resource: '*', actions: ['bedrock:InvokeModel'] },
      { resource: 'arn:aws:s3:::corpus/*', actions: ['s3:GetObject'] },
    ]);
    const [b] = await rows(`MATCH (:AWSRole {id: $role})-[h:HAS_POLICY {kind: 'boundary'}]->(p) RETURN p.id AS id`, { role: arn('role', 'agent-runtime') });
    expect(b?.id).toBe(arn('policy', 'agent-boundary'));
  });

  test('IRSA: literal and wildcard sub conditions link service accounts the graph knows', async () => {
    const r = await rows(`MATCH (sa:K8sServiceAccount)-[a:MAY_ASSUME {via: 'irsa'}]->(role:AWSRole) WHERE sa.id STARTS WITH $prefix RETURN sa.id AS sa, role.id AS role ORDER BY sa, role`, { prefix: `${cluster}/` });
    expect(r).toEqual([
      { sa: `${cluster}/agents/planner`, role: arn('role', 'agent-runtime') },
      { sa: `${cluster}/shop/cart`, role: arn('role', 'shop-reader') },
      { sa: `${cluster}/shop/web`, role: arn('role', 'shop-reader') },
    ]);
  });

  test('an SA annotation naming a role whose trust does not admit it is a finding', () => {
    expect(result.findings).toEqual([{ serviceAccount: `${cluster}/pay/api`, annotatedRole: arn('role', 'shop-reader'), problem: 'role trust does not admit this service account' }]);
  });

  test('trust policies become MAY_ASSUME; escalation paths become MAY_ESCALATE_TO', async () => {
    const assume = await rows(`MATCH (x)-[a:MAY_ASSUME]->(:AWSRole {id: $role}) RETURN x.id AS from, a.via AS via`, { role: arn('role', 'lambda-admin') });
    expect(assume).toEqual([{ from: 'lambda.amazonaws.com', via: 'service' }]);
    const esc = await rows(`MATCH (a {id: $from})-[e:MAY_ESCALATE_TO]->(b) RETURN b.id AS to, e.method AS method ORDER BY to, method`, { from: arn('user', 'carol') });
    expect(esc).toContainEqual({ to: arn('role', 'lambda-admin'), method: 'lambda-001' });
    expect(await rows(`MATCH (a {id: $from})-[e:MAY_ESCALATE_TO]->(b {id: $to}) RETURN e.method AS method`, { from: arn('user', 'erin'), to: arn('role', 'ops') })).toEqual([{ method: 'sts-001' }]);
    expect(await rows(`MATCH (a {id: $from})-[e:MAY_ESCALATE_TO]->(b {id: $to}) RETURN e.method AS method`, { from: arn('user', 'dave'), to: arn('user', 'alice') })).toEqual([{ method: 'iam-002' }]);
  });

  test('`iam can` and `iam privesc` answer from the graph', async () => {
    const out = await cli(['iam', 'can', arn('user', 'erin'), 'sts:AssumeRole', arn('role', 'ops'), '--format', 'json']);
    expect(out).toMatchObject({ decision: 'allowed', conditional: false });
    const denied = await cli(['iam', 'can', arn('role', 'agent-runtime'), 'secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:eu-west-1:1:secret:x', '--format', 'json']);
    expect(denied).toEqual({ decision: 'implicitDeny', conditional: false, statements: [] });
    const pe = (await cli(['iam', 'privesc', '--principal', arn('user', 'carol'), '--format', 'json'])) as object[];
    // Graph mode prints the same shape as file mode, with the edge's conditional flag and conditions (issue 10)
    expect(pe).toContainEqual({ from: arn('user', 'carol'), to: arn('role', 'lambda-admin'), method: 'lambda-001', conditional: false, conditions: [] });
  });

  test('a second sync removes what IAM no longer has, keeps the rest', async () => {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'temp', PolicyName: 'glue' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'temp' }));
    const again = await collectAws(graph, { endpoint: m.endpoint, clusters: new Map([[ISSUER, cluster]]) });
    expect(again.summary.syncId).not.toBe(result.summary.syncId);
    expect(again.summary.removedNodes).toBeGreaterThan(0);
    expect(await rows(`MATCH (r:AWSRole {id: $id}) RETURN r.id AS id`, { id: arn('role', 'temp') })).toEqual([]);
    expect(await rows(`MATCH (r:AWSRole {id: $id}) RETURN r.syncId AS s`, { id: arn('role', 'ops') })).toEqual([{ s: again.summary.syncId }]);
  });

  test('`reachgraph collect aws --endpoint … --cluster …` prints the collect result', async () => {
    const out = JSON.parse(await runVerb(registerCollectAws, ['collect', 'aws', '--endpoint', m.endpoint, '--cluster', `https://${ISSUER}=${cluster}`])) as { accountId: string; summary: { status: string; source: string }; findings: unknown[]; stats: { irsaEdges: number } };
    expect(out).toMatchObject({ accountId: acct, summary: { status: 'succeeded', source: 'aws' } });
    expect(out.findings).toHaveLength(1);
    expect(out.stats.irsaEdges).toBe(3);
  });
});

describe('collect aws from files (offline)', () => {
  const cases = new URL('../cases/aws/', import.meta.url).pathname;
  // The fixture under an account id of its own, so parallel test files (the demo estate uses the
  // fixture's 111122223333) never share this scope.
  const ACCT = String(200000000000 + Math.floor(Math.random() * 799999999999));
  const copy = (name: string): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-aws-'));
    const f = path.join(dir, name);
    fs.writeFileSync(f, fs.readFileSync(`${cases}${name}`, 'utf8').replaceAll('111122223333', ACCT));
    return f;
  };

  test('bad policies are reported by name and skipped; the sync goes on; last-accessed becomes DID_USE_ACTION', async () => {
    const r = await collectAws(graph, { fromFile: copy('account.json'), lastAccessedFile: copy('last-accessed.json') });
    expect(r.summary.status).toBe('succeeded');
    expect(r.accountId).toBe(ACCT);
    expect(r.problems.map((p) => p.name).sort()).toEqual([`arn:aws:iam::${ACCT}:policy/broken-policy`, `arn:aws:iam::${ACCT}:user/mallory#inline/typo`]);
    expect(r.usage?.status).toBe('succeeded');
    const used = await rows(
      `MATCH (:AWSRole {id: $role})-[u:DID_USE_ACTION]->(a:AWSAction) RETURN a.id AS action, toString(u.lastSeen) AS lastSeen, u.region AS region ORDER BY action`,
      { role: `arn:aws:iam::${ACCT}:role/agent-runtime` },
    );
    expect(used).toEqual([
      { action: 'bedrock:invokemodel', lastSeen: '2026-11-19T17:42:11Z', region: 'eu-west-1' },
      { action: 's3:getobject', lastSeen: '2026-11-18T09:15:00Z', region: 'eu-west-1' },
    ]);
    // Declared but never used: the agent may list the corpus bucket, IAM never saw it.
    const unused = await rows(
      `MATCH (r:AWSRole {id: $role})-[g:MAY_ACCESS]->(:AWSResource) UNWIND g.actions AS act
       WITH r, act WHERE NOT EXISTS { MATCH (r)-[:DID_USE_ACTION]->(a:AWSAction) WHERE a.id = toLower(act) }
       RETURN DISTINCT act ORDER BY act`,
      { role: `arn:aws:iam::${ACCT}:role/agent-runtime` },
    );
    expect(unused.map((x) => x.act)).toEqual(['bedrock:InvokeModelWithResponseStream', 's3:ListBucket']);
  });

  test('every AWS Cypher file compiles (EXPLAIN)', async () => {
    const reg = loadCypherRegistry();
    const names = [...reg.keys()].filter((k) => k.startsWith('queries/aws/'));
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const n of names) await graph.readText(`EXPLAIN ${reg.get(n)!}`, { arn: 'x', cluster: 'x', accountId: 'x', principal: null }, n);
  });
});

async function cli(args: string[]): Promise<unknown> {
  return JSON.parse(await runVerb(registerIam, args)) as unknown;
}

describe('demo part', () => {
  test('loads the demo account with IRSA links and an escalation path for the research agent', async () => {
    const { part } = await import('../../src/demo/parts/aws.js');
    // The AI-BOM part names this service account first; here we stand it in as it would be.
    await runSync(graph, { source: 'test-demo-k8s', scope: 'demo-eks' }, async (sink) => {
      await sink.write({ nodes: [node('K8sServiceAccount', 'demo-eks/research/research-agent', {}), node('K8sServiceAccount', 'demo-eks/agents/support-agent', {})], rels: [] });
    });
    const sums = (await part.load(graph)) as { status: string }[];
    // IAM, last-accessed usage, the inventory families (S3, Secrets Manager, KMS, Lambda) and the pattern links.
    expect(sums.map((s) => s.status)).toEqual(Array(sums.length).fill('succeeded'));
    expect(sums.length).toBeGreaterThanOrEqual(7);
    const reach = await graph.read('queries/aws/principal-resources', { principal: 'arn:aws:iam::111122223333:role/support-agent-role' });
    expect(reach.map((r) => r.resource)).toContain('arn:aws:s3:::support-tickets');
    const irsa = await rows(`MATCH (sa:K8sServiceAccount)-[:MAY_ASSUME {via: 'irsa'}]->(r:AWSRole) WHERE sa.id STARTS WITH 'demo-eks/' RETURN sa.id AS sa, r.name AS role ORDER BY sa`, {});
    expect(irsa).toEqual(expect.arrayContaining([
      { sa: 'demo-eks/agents/support-agent', role: 'support-agent-role' },
      { sa: 'demo-eks/research/research-agent', role: 'research-agent-role' },
    ]));
    const esc = await rows(`MATCH (:AWSRole {name: 'research-agent-role'})-[e:MAY_ESCALATE_TO]->(t:AWSRole {name: 'lambda-admin'}) RETURN e.method AS method`, {});
    expect(esc).toContainEqual({ method: 'lambda-001' });
  });
});
