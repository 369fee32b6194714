// `reachgraph iam can --from-file F --resource-policy P`: the resource's policy joins the evaluation
// without Neo4j (same-account union, KMS key policy mandatory, explicit Deny wins).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { register } from '../../../src/cli/verbs/iam.js';
import { runVerb } from '../../helpers/run-verb.js';

const FILE = new URL('../../cases/aws/account.json', import.meta.url).pathname;
const A = '111122223333';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-rp-'));
const policyFile = (name: string, ...Statement: object[]) => {
  const f = path.join(dir, `${name}.json`);
  fs.writeFileSync(f, JSON.stringify({ Version: '2012-10-17', Statement }));
  return f;
};
const can = async (...args: string[]) => JSON.parse(await runVerb(register, ['iam', 'can', ...args, '--from-file', FILE, '--format', 'json'])) as { decision: string; statements: { source: string; policy: string }[] };

describe('iam can with --resource-policy', () => {
  const role = `arn:aws:iam::${A}:role/agent-runtime`;
  const bucketObj = 'arn:aws:s3:::audit-logs/2026/01.json';

  test('given no identity grant, when the bucket policy names the role, then it is allowed by the resource policy', async () => {
    const without = await can(role, 's3:GetObject', bucketObj);
    expect(without.decision).toBe('implicitDeny');
    const f = policyFile('bucket', { Effect: 'Allow', Principal: { AWS: role }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::audit-logs/*' });
    const withPolicy = await can(role, 's3:GetObject', bucketObj, '--resource-policy', f);
    expect(withPolicy.decision).toBe('allowed');
    expect(withPolicy.statements).toContainEqual(expect.objectContaining({ source: 'resource', policy: 'arn:aws:s3:::audit-logs#policy' }));
    expect(withPolicy.statements.some((s) => s.source === 'identity')).toBe(false);
  });

  test('given an administrator, when the key policy names neither it nor the account, then KMS denies', async () => {
    const admin = `arn:aws:iam::${A}:user/alice`;
    const key = `arn:aws:kms:eu-west-1:${A}:key/1234`;
    expect((await can(admin, 'kms:Decrypt', key)).decision).toBe('allowed');
    const f = policyFile('key', { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:role/key-admin` }, Action: 'kms:*', Resource: '*' });
    expect((await can(admin, 'kms:Decrypt', key, '--resource-policy', f)).decision).toBe('implicitDeny');
  });

  test('given an administrator, when the bucket policy denies, then the Deny wins', async () => {
    const admin = `arn:aws:iam::${A}:user/alice`;
    const f = policyFile('deny', { Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::audit-logs/*' });
    expect((await can(admin, 's3:DeleteObject', bucketObj, '--resource-policy', f)).decision).toBe('explicitDeny');
  });

  test('given a policy file that does not parse, then the error names the option and file', async () => {
    const f = path.join(dir, 'bad.json');
    fs.writeFileSync(f, '{"Version": "2012-10-17", "Statement": [{"Effect": "Maybe"}]}');
    await expect(can(`arn:aws:iam::${A}:user/alice`, 's3:GetObject', bucketObj, '--resource-policy', f)).rejects.toThrow(/--resource-policy .*bad\.json/);
  });
});
