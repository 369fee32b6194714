// IRSA and trust-policy analysis: table tests from the domain notes plus principal kinds.
import { readFileSync } from 'node:fs';
import { analyzeTrust, irsaServiceAccounts, parsePolicy } from '../../../src/identity/aws/index.js';

interface IrsaCase {
  name: string;
  trust: unknown;
  expect: string[];
  any: boolean;
  conditional?: boolean;
}
const data = JSON.parse(readFileSync(new URL('../../cases/aws/irsa.json', import.meta.url), 'utf8')) as { issuer: string; provider: string; role: string; known: string[]; cases: IrsaCase[] };
const known = data.known.map((k) => ({ namespace: k.split('/')[0]!, name: k.split('/')[1]! }));

describe('IRSA: which service accounts may assume a role', () => {
  test.each(data.cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    // Given the trust policy and the service accounts the graph knows
    const trust = { name: 'R#trust', doc: parsePolicy(c.trust) };
    // When IRSA is evaluated for the cluster's issuer
    const r = irsaServiceAccounts(trust, data.role, data.provider, `https://${data.issuer}`, known);
    // Then exactly the expected service accounts match
    expect(r.matches.map((m) => `${m.namespace}/${m.name}`).sort()).toEqual([...c.expect].sort());
    expect(r.anyServiceAccount).toBe(c.any);
    if (c.conditional !== undefined) expect(r.matches.every((m) => m.conditional === c.conditional)).toBe(true);
  });
});

describe('trust policy analysis', () => {
  test('lists AWS principals, accounts, services, federated; flags * and wildcard ARNs', () => {
    // Given a trust policy with every principal form
    const trust = {
      name: 't',
      doc: parsePolicy({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:user/alice', '444455556666', 'arn:aws:iam::777788889999:root', 'arn:aws:iam::111122223333:role/*'] }, Action: 'sts:AssumeRole' },
          { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
          { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x' } } },
          { Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity' },
        ],
      }),
    };
    // When analyzed
    const t = analyzeTrust(trust);
    // Then each principal is listed with its kind, and the wildcard ARN is invalid (matches nothing)
    expect(t.entries.map((e) => `${e.kind}:${e.principal}`)).toEqual([
      'principal:arn:aws:iam::111122223333:user/alice',
      'account:444455556666',
      'account:777788889999',
      'service:lambda.amazonaws.com',
      'anyone:*',
      'federated:cognito-identity.amazonaws.com',
    ]);
    expect(t.invalidPrincipals).toEqual(['arn:aws:iam::111122223333:role/*']);
    expect(t.trustsAnyone).toBe(true);
    expect(t.entries.find((e) => e.kind === 'anyone')?.conditional).toBe(true);
  });

  test('an unconditional Deny naming the same principal removes it', () => {
    const trust = {
      name: 't',
      doc: parsePolicy({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/alice' }, Action: 'sts:AssumeRole' },
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
          { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111122223333:user/alice' }, Action: 'sts:*' },
        ],
      }),
    };
    expect(analyzeTrust(trust).entries.map((e) => e.principal)).toEqual(['ec2.amazonaws.com']);
  });
});
