// Account → graph records (pure), and IAM last-accessed responses → observed edges.
import { readFileSync, writeFileSync } from 'node:fs';
import { lastAccessedRecords } from '../../../src/collectors/aws/last-accessed.js';
import { readLastAccessedFile, readPodIdentityFile } from '../../../src/collectors/aws/files.js';
import { transformAccount } from '../../../src/collectors/aws/transform.js';
import { validateBatch } from '../../../src/graph/ingest.js';
import { buildAccountModel, loadActionCatalog, parseAuthDetails, type ActionCatalog } from '../../../src/identity/aws/index.js';

const A = '111122223333';
const arn = (k: string, n: string) => `arn:aws:iam::${A}:${k}/${n}`;
const cases = new URL('../../cases/aws/', import.meta.url);
const load = () => buildAccountModel(parseAuthDetails(JSON.parse(readFileSync(new URL('account.json', cases), 'utf8')), 'account.json'));
const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

let catalog: ActionCatalog;
beforeAll(async () => {
  catalog = await loadActionCatalog();
});

describe('transformAccount', () => {
  const build = () =>
    transformAccount(load(), catalog, {
      irsa: { clusterForIssuer: (i) => (i === ISSUER ? 'prod' : undefined), serviceAccounts: new Map([['prod', [{ namespace: 'shop', name: 'web' }, { namespace: 'pay', name: 'api' }]]]) },
      podIdentity: readPodIdentityFile(new URL('pod-identity.json', cases).pathname),
    });

  test('records pass the ingest core validation', () => {
    const { batch } = build();
    expect(() => validateBatch(batch.nodes, batch.rels)).not.toThrow();
  });

  test('actions are grouped per principal and resource pattern, with sensitivity per action', () => {
    const { batch } = build();
    const access = batch.rels.filter((r) => r.type === 'MAY_ACCESS' && r.from.id === arn('role', 'agent-runtime'));
    // The boundary cuts secretsmanager:GetSecretValue; bedrock and s3 stay
    expect(access.map((r) => r.to.id).sort()).toEqual(['arn:aws:bedrock:*::foundation-model/*', 'arn:aws:s3:::agent-corpus', 'arn:aws:s3:::agent-corpus/*']);
    const bedrock = access.find((r) => r.to.id.startsWith('arn:aws:bedrock'))!;
    expect(bedrock.props).toMatchObject({ actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], sensitivity: ['model-invoke', 'model-invoke'], conditional: false });
    const alice = batch.rels.find((r) => r.type === 'MAY_ACCESS' && r.from.id === arn('user', 'alice'))!;
    expect(alice.props).toMatchObject({ actions: ['*'], sensitivity: ['admin'] });
    expect(batch.nodes.find((n) => n.id === arn('user', 'alice'))?.props?.isAdmin).toBe(true);
  });

  test('a conditional Deny keeps the grant, marked conditional with the condition text', () => {
    const { batch } = build();
    const del = batch.rels.find((r) => r.type === 'MAY_ACCESS' && r.from.id === arn('role', 'deploy') && (r.props?.actions as string[]).includes('s3:DeleteBucket'))!;
    expect(del.props?.conditional).toBe(true);
    expect((del.props?.conditions as string[])[0]).toContain('aws:MultiFactorAuthPresent');
  });

  test('trust becomes MAY_ASSUME: services, accounts, anyone, principals, OIDC; IRSA to service accounts', () => {
    const { batch } = build();
    const assume = batch.rels.filter((r) => r.type === 'MAY_ASSUME').map((r) => `${r.from.label}:${r.from.id} -> ${r.to.id.split(':').pop()} (${String(r.props?.via)})`);
    expect(assume).toEqual(
      expect.arrayContaining([
        'AWSServicePrincipal:lambda.amazonaws.com -> role/service-role/lambda-admin (service)',
        `AWSAccount:${A} -> role/deploy (account)`,
        'AWSAccount:444455556666 -> role/partner-audit (account)',
        'AWSAccount:* -> role/too-open (anyone)',
        `AWSUser:${arn('user', 'alice')} -> role/legacy (trust)`,
        'K8sServiceAccount:prod/agents/planner -> role/agent-runtime (irsa)',
        'K8sServiceAccount:prod/shop/web -> role/shop-reader (irsa)',
        'K8sServiceAccount:prod/pay/api -> role/any-pod (irsa)',
        'K8sServiceAccount:prod/agents/retriever -> role/ec2-app (pod-identity)',
      ]),
    );
    // https://-keyed condition and the shop wildcard never admit pay/api
    expect(assume.some((a) => a.includes('role/wrong-key (irsa)'))).toBe(false);
    expect(assume).not.toContain('K8sServiceAccount:prod/pay/api -> role/shop-reader (irsa)');
    const roles = new Map(batch.nodes.filter((n) => n.label === 'AWSRole').map((n) => [n.id, n.props]));
    expect(roles.get(arn('role', 'any-pod'))?.irsaAnyServiceAccount).toBe(true);
    expect(roles.get(arn('role', 'agent-runtime'))?.irsaAnyServiceAccount).toBe(false);
    expect(roles.get(arn('role', 'too-open'))?.trustsAnyone).toBe(true);
    expect(roles.get(arn('role', 'wildcard-principal'))?.invalidTrustPrincipals).toEqual([`arn:aws:iam::${A}:user/*`]);
  });

  test('escalation edges carry method and evidence', () => {
    const { batch } = build();
    const e = batch.rels.find((r) => r.type === 'MAY_ESCALATE_TO' && r.from.id === arn('user', 'carol') && r.props?.method === 'lambda-001')!;
    expect(e.to).toEqual({ label: 'AWSRole', id: `arn:aws:iam::${A}:role/service-role/lambda-admin` });
    expect(JSON.parse(String(e.props?.evidence)).statements).toEqual([`${arn('policy', 'lambda-deployer')}#1`, `${arn('policy', 'lambda-deployer')}#0`]);
  });
});

describe('last-accessed responses', () => {
  test('used actions become DID_USE_ACTION with lastSeen; unused ones produce nothing', () => {
    const saved = readLastAccessedFile(new URL('last-accessed.json', cases).pathname);
    const b = lastAccessedRecords(arn('role', 'agent-runtime'), saved.get(arn('role', 'agent-runtime'))!, catalog);
    expect(() => validateBatch(b.nodes, b.rels)).not.toThrow();
    expect(b.rels.map((r) => [r.to.id, r.lastSeen])).toEqual([
      ['bedrock:invokemodel', '2026-11-19T17:42:11.000Z'],
      ['s3:getobject', '2026-11-18T09:15:00.000Z'],
    ]);
    expect(b.nodes.find((n) => n.id === 'bedrock:invokemodel')?.props).toMatchObject({ name: 'bedrock:InvokeModel', sensitivity: 'model-invoke' });
  });

  test('a service used without action detail yields service:*', () => {
    const saved = readLastAccessedFile(new URL('last-accessed.json', cases).pathname);
    const b = lastAccessedRecords(arn('user', 'alice'), saved.get(arn('user', 'alice'))!, catalog);
    expect(b.rels.map((r) => r.to.id)).toEqual(['iam:createuser', 'ec2:*']);
  });

  test('a saved file keyed by something other than a principal ARN is refused, naming the file', () => {
    const tmp = `${process.env.TMPDIR ?? '/tmp'}/rg-la-${process.pid}.json`;
    writeFileSync(tmp, JSON.stringify({ alice: { ServicesLastAccessed: [] } }));
    expect(() => readLastAccessedFile(tmp)).toThrow(new RegExp(`${tmp}: field \`alice\``));
  });
});

describe('oversized input', () => {
  test('a NotResource list longer than a node id may be still loads, keeping the full pattern', async () => {
    const cat = await loadActionCatalog();
    const excluded = Array.from({ length: 80 }, (_, i) => `arn:aws:s3:::some-rather-long-bucket-name-number-${i}/*`);
    const m = buildAccountModel({
      RoleDetailList: [{ RoleName: 'r', Arn: arn('role', 'r'), AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] }, RolePolicyList: [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', NotResource: excluded }] } }] }],
    });
    const { batch } = transformAccount(m, cat);
    expect(() => validateBatch(batch.nodes, batch.rels)).not.toThrow();
    const res = batch.nodes.find((n) => n.label === 'AWSResource')!;
    expect(res.id.length).toBeLessThan(1100);
    expect(res.props?.pattern).toBe(`NOT ${excluded.join(',')}`);
  });
});

describe('collapsed escalation fan-out in the graph (issue 8 finding 11)', () => {
  test('an sts-001 edge to the account id lands on the AWSAccount node, which leads on to each role', () => {
    // Given more roles than FAN_OUT_LIMIT trusting the account root, each able to assume any role
    const rootTrust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' }] };
    const roles = Array.from({ length: 60 }, (_, i) => ({ RoleName: `r-${i}`, Arn: arn('role', `r-${i}`), AssumeRolePolicyDocument: rootTrust, RolePolicyList: [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] } }] }));
    const { batch } = transformAccount(buildAccountModel({ RoleDetailList: roles }), catalog, {});
    // Then each role has one MAY_ESCALATE_TO, to the account, and the account MAY_ASSUME every role
    const esc = batch.rels.filter((r) => r.type === 'MAY_ESCALATE_TO');
    expect(esc).toHaveLength(60);
    expect(new Set(esc.map((r) => `${r.to.label}:${r.to.id}`))).toEqual(new Set([`AWSAccount:${A}`]));
    expect(batch.rels.filter((r) => r.type === 'MAY_ASSUME' && r.from.id === A)).toHaveLength(60);
    expect(() => validateBatch(batch.nodes, batch.rels)).not.toThrow();
  });
});
