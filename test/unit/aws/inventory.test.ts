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
