// `reachgraph iam can|privesc --from-file`: the exact JSON the issue names, without Neo4j.
import { Command } from 'commander';
import { register } from '../../../src/cli/verbs/iam.js';

const FILE = new URL('../../cases/aws/account.json', import.meta.url).pathname;
const A = '111122223333';

async function run(args: string[]): Promise<unknown> {
  const program = new Command('reachgraph').exitOverride();
  register(program);
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  const errWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    await program.parseAsync(['node', 'reachgraph', ...args]);
  } finally {
    process.stdout.write = write;
    process.stderr.write = errWrite;
  }
  return JSON.parse(out) as unknown;
}

describe('reachgraph iam can --from-file', () => {
  test('allowed through a group-attached AWS managed policy', async () => {
    const out = await run(['iam', 'can', `arn:aws:iam::${A}:user/alice`, 'iam:CreateUser', `arn:aws:iam::${A}:user/x`, '--from-file', FILE, '--format', 'json']);
    expect(out).toEqual({ decision: 'allowed', conditional: false, statements: [{ policy: 'arn:aws:iam::aws:policy/AdministratorAccess', index: 0, effect: 'Allow', source: 'identity', conditional: false }] });
  });

  test('implicit deny: the boundary cuts secrets from agent-runtime', async () => {
    const out = await run(['iam', 'can', `arn:aws:iam::${A}:role/agent-runtime`, 'secretsmanager:GetSecretValue', `arn:aws:secretsmanager:eu-west-1:${A}:secret:agent/openai-key`, '--from-file', FILE, '--format', 'json']);
    expect(out).toEqual({ decision: 'implicitDeny', conditional: false, statements: [] });
  });

  test('conditional: PassRole only to Lambda, unless the context says otherwise', async () => {
    const role = `arn:aws:iam::${A}:role/service-role/lambda-admin`;
    const noCtx = (await run(['iam', 'can', `arn:aws:iam::${A}:user/carol`, 'iam:PassRole', role, '--from-file', FILE, '--format', 'json'])) as { decision: string; conditional: boolean; statements: { condition?: string }[] };
    expect(noCtx).toMatchObject({ decision: 'allowed', conditional: true });
    expect(noCtx.statements[0]?.condition).toContain('iam:PassedToService');
    const toEc2 = await run(['iam', 'can', `arn:aws:iam::${A}:user/carol`, 'iam:PassRole', role, '--from-file', FILE, '--context', 'iam:PassedToService=ec2.amazonaws.com', '--format', 'json']);
    expect(toEc2).toEqual({ decision: 'implicitDeny', conditional: false, statements: [] });
  });

  test('explicit deny from an SCP file', async () => {
    const fs = await import('node:fs');
    const scp = `${process.env.TMPDIR ?? '/tmp'}/rg-scp-${process.pid}.json`;
    fs.writeFileSync(scp, JSON.stringify({ levels: [[{ name: 'deny-iam', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }] } }]] }));
    const out = await run(['iam', 'can', `arn:aws:iam::${A}:user/alice`, 'iam:CreateUser', '*', '--from-file', FILE, '--scps', scp, '--format', 'json']);
    expect(out).toMatchObject({ decision: 'explicitDeny', conditional: false, statements: [{ policy: 'deny-iam', index: 1, effect: 'Deny', source: 'scp' }] });
  });

  test('bad principal ARN is refused with a message naming it', async () => {
    await expect(run(['iam', 'can', 'alice', 's3:GetObject', '--from-file', FILE])).rejects.toThrow(/principal "alice"/);
  });
});

describe('reachgraph iam privesc --from-file', () => {
  test('prints {from,to,method,conditional,conditions} for one principal', async () => {
    const out = (await run(['iam', 'privesc', '--principal', `arn:aws:iam::${A}:user/carol`, '--from-file', FILE, '--format', 'json'])) as { from: string; to: string; method: string }[];
    expect(out).toContainEqual({ from: `arn:aws:iam::${A}:user/carol`, to: `arn:aws:iam::${A}:role/service-role/lambda-admin`, method: 'lambda-001', conditional: false, conditions: [] });
    expect(out.every((e) => Object.keys(e).sort().join() === 'conditional,conditions,from,method,to')).toBe(true);
  });

  test('a conditional edge keeps its flag and its conditions in JSON (issue 10)', async () => {
    const fs = await import('node:fs');
    const file = `${process.env.TMPDIR ?? '/tmp'}/rg-privesc-${process.pid}.json`;
    const rootTrust = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' }] }));
    const mfaOnly = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }] };
    fs.writeFileSync(file, JSON.stringify({ UserDetailList: [{ UserName: 'u', Arn: `arn:aws:iam::${A}:user/u`, UserPolicyList: [{ PolicyName: 'mfa', PolicyDocument: mfaOnly }] }], RoleDetailList: [{ RoleName: 'r', Arn: `arn:aws:iam::${A}:role/r`, AssumeRolePolicyDocument: rootTrust }] }));
    const out = await run(['iam', 'privesc', '--from-file', file, '--format', 'json']);
    expect(out).toEqual([{ from: `arn:aws:iam::${A}:user/u`, to: `arn:aws:iam::${A}:role/r`, method: 'sts-001', conditional: true, conditions: ['{"Bool":{"aws:MultiFactorAuthPresent":["true"]}}'] }]);
  });
});

describe('reachgraph collect aws --services', () => {
  test('an unknown inventory family is refused before anything is read, naming it and the known ones', async () => {
    const { register: registerCollect } = await import('../../../src/cli/verbs/collect-aws.js');
    const program = new Command('reachgraph').exitOverride();
    registerCollect(program);
    // Given a misspelt family, when the verb runs, then it fails with an InputError naming the input
    await expect(program.parseAsync(['node', 'reachgraph', 'collect', 'aws', '--resources', '--services', 's3,bedrok'])).rejects.toThrow(
      '--services: unknown bedrok; known: sagemaker, bedrock, bedrock-agent, s3, secretsmanager, kms, dynamodb, lambda, ecr',
    );
  });
});
