// Policy documents: accepted forms and bad input, each reported by name.
import { readFileSync } from 'node:fs';
import { buildAccountModel, parseAuthDetails, parsePolicy, PolicyParseError } from '../../../src/identity/aws/index.js';

describe('parsePolicy', () => {
  test('single-string and array forms normalize to arrays', () => {
    const d = parsePolicy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' } });
    expect(d.statements).toEqual([{ effect: 'Allow', action: ['s3:GetObject'], resource: ['arn:aws:s3:::b/*'] }]);
  });

  test('URL-encoded documents (as the IAM API returns them) parse like plain JSON', () => {
    const plain = { Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Deny', NotAction: ['iam:*'], NotResource: 'arn:aws:s3:::x' }] };
    expect(parsePolicy(encodeURIComponent(JSON.stringify(plain)))).toEqual(parsePolicy(JSON.stringify(plain)));
  });

  test('Version 2008-10-17 is accepted and kept; a missing Version means 2008-10-17', () => {
    expect(parsePolicy({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }).version).toBe('2008-10-17');
    expect(parsePolicy({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }).version).toBe('2008-10-17');
  });

  test('condition values: scalars become string arrays', () => {
    const d = parsePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { NumericLessThan: { 's3:max-keys': 10 }, Bool: { 'aws:SecureTransport': true } } }] });
    expect(d.statements[0]!.condition).toEqual({ NumericLessThan: { 's3:max-keys': ['10'] }, Bool: { 'aws:SecureTransport': ['true'] } });
  });

  test.each([
    ['invalid JSON', '{"Version": "2012-10-17", "Statement": [', /invalid JSON/],
    ['unknown statement field', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Actions: 's3:*', Resource: '*' }] }, /Statement\.0.*Actions/],
    ['unknown top-level field', { Version: '2012-10-17', Statment: [] }, /Statment/],
    ['bad Effect', { Version: '2012-10-17', Statement: [{ Effect: 'Permit', Action: '*', Resource: '*' }] }, /Statement\.0\.Effect/],
    ['both Action and NotAction', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', NotAction: 's3:*', Resource: '*' }] }, /exactly one of Action or NotAction/],
    ['unsupported Version', { Version: '2020-01-01', Statement: [] }, /Version/],
    ['not an object', '[1,2]', /JSON object/],
    ['huge document', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: Array.from({ length: 20000 }, (_, i) => `s3:Action${i}`), Resource: '*' }] }), /too large/],
  ])('rejects %s with a message naming the problem', (_n, input, re) => {
    expect(() => parsePolicy(input)).toThrow(PolicyParseError);
    expect(() => parsePolicy(input)).toThrow(re);
  });
});

describe('account model from get-account-authorization-details output', () => {
  const raw = JSON.parse(readFileSync(new URL('../../cases/aws/account.json', import.meta.url), 'utf8')) as unknown;

  test('bad policies are reported by name and skipped; everything else loads', () => {
    // Given the fixture account with one truncated managed policy and one inline policy with a typo
    const m = buildAccountModel(parseAuthDetails(raw, 'account.json'));
    // Then both are reported by name
    expect(m.problems.map((p) => p.name).sort()).toEqual(['arn:aws:iam::111122223333:policy/broken-policy', 'arn:aws:iam::111122223333:user/mallory#inline/typo']);
    expect(m.problems.find((p) => p.name.endsWith('#inline/typo'))?.message).toMatch(/Actions/);
    // And the rest of the account is there
    expect(m.accountId).toBe('111122223333');
    expect([...m.principals.values()].filter((p) => p.kind === 'user')).toHaveLength(7);
    expect([...m.principals.values()].filter((p) => p.kind === 'role')).toHaveLength(13);
    expect(m.principals.get('arn:aws:iam::111122223333:user/mallory')?.inline).toEqual([]);
    expect(m.policies.get('arn:aws:iam::111122223333:policy/dev-self-service')?.versions).toHaveLength(2);
  });

  test('a structurally wrong file names the field', () => {
    expect(() => parseAuthDetails({ RoleDetailList: [{ RoleName: 'x' }] }, 'f.json')).toThrow(/f\.json: RoleDetailList\.0\.Arn/);
  });
});
