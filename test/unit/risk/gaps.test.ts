import { actionMatches, cidrContains, computeGaps, portAllows, type GapsInput } from '../../../src/risk/gaps.js';

describe('gap matching helpers', () => {
  test('CIDRs, IPv4 and IPv6', () => {
    expect(cidrContains('0.0.0.0/0', '52.119.190.11')).toBe(true);
    expect(cidrContains('203.0.113.0/25', '203.0.113.200')).toBe(false);
    expect(cidrContains('10.0.0.0/8', '10.9.1.2')).toBe(true);
    expect(cidrContains('::/0', '10.0.0.1')).toBe(false);
    expect(cidrContains('2001:db8::/32', '2001:db8:1::5')).toBe(true);
  });
  test('ports and IAM action globs', () => {
    expect(portAllows({ protocol: 'TCP', port: 5432, endPort: 5432 }, 5432, 'TCP')).toBe(true);
    expect(portAllows({ protocol: 'TCP', port: 5432, endPort: 5432 }, 6379, 'TCP')).toBe(false);
    expect(portAllows({ protocol: 'ANY', port: 1, endPort: 65535 }, 53, 'UDP')).toBe(true);
    expect(actionMatches('s3:Get*', 's3:getobject')).toBe(true);
    expect(actionMatches('s3:GetObject', 's3:putobject')).toBe(false);
  });
});

const base = (): GapsInput => ({
  coverage: [{ workload: 'w', coverage: 'c', from: '2026-11-20T09:00:00Z', to: '2026-11-20T10:00:00Z', probes: ['net', 'files', 'dns', 'exec'], lost: false }],
  observedNet: [],
  declaredNet: [{ from: 'c/ns/Deployment/app', to: '203.0.113.0/24', toLabel: 'IPBlock', protocol: 'TCP', port: 443, endPort: 443, except: [] }],
  iam: [
    {
      principal: 'arn:aws:iam::1:role/app',
      grants: [{ resource: '*', actions: ['s3:GetObject', 's3:PutObject', 'iam:PassRole', 'ec2:RunInstances'] }],
      used: [
        { action: 's3:getobject', granularity: 'action', lastSeen: '2026-11-19T00:00:00Z' },
        { action: 'ec2:*', granularity: 'service', lastSeen: '2026-11-19T00:00:00Z' },
        { action: 'sqs:sendmessage', granularity: 'action', lastSeen: '2026-11-19T00:00:00Z' },
      ],
      usageSyncedAt: '2026-11-20T00:00:00Z',
    },
  ],
  runtime: undefined,
  hasAibom: false,
  hasPods: true,
});

describe('gaps', () => {
  test('IAM: used, unused, unknown (untracked, service-level) and used-but-not-granted', () => {
    const g = computeGaps(base());
    expect(g.grantedUnused.filter((x) => x.domain === 'iam').map((x) => [x.grant, x.status])).toEqual([
      ['ec2:runinstances', 'unknown'],
      ['iam:passrole', 'unknown'],
      ['s3:putobject', 'unused'],
    ]);
    expect(g.doneUndeclared.map((x) => x.observed)).toEqual(['sqs:sendmessage']);
  });
  test('network: full coverage says unused, lost events say unknown', () => {
    expect(computeGaps(base()).grantedUnused.filter((x) => x.domain === 'network').map((x) => x.status)).toEqual(['unused']);
    const partial = base();
    partial.coverage[0]!.lost = true;
    const g = computeGaps(partial);
    expect(g.grantedUnused.filter((x) => x.domain === 'network').map((x) => x.status)).toEqual(['unknown']);
    expect(g.completeness.network).toEqual({ complete: false, reason: 'events were lost in window c of w' });
  });
  test('network: an in-cluster connection needs the peer\'s ingress as well as the egress', () => {
    const i = base();
    i.declaredNet.push({ from: 'c/ns/Deployment/app', to: 'c', toLabel: 'K8sCluster', protocol: 'TCP', port: 5432, endPort: 5432, except: [] });
    const conn = { workload: 'w', endpoint: '10.1.0.5:5432', address: '10.1.0.5', port: 5432, protocol: 'TCP', count: 3, firstSeen: '2026-11-20T09:10:00Z', lastSeen: '2026-11-20T09:20:00Z', peers: ['c/ns/db-0'], direct: [] };
    i.observedNet = [{ ...conn, ingressHub: [{ protocol: 'TCP', port: 5432, endPort: 5432, to: 'c/ns/db-0' }] }];
    expect(computeGaps(i).doneUndeclared.filter((x) => x.domain === 'network')).toEqual([]);
    i.observedNet = [{ ...conn, ingressHub: [] }];
    expect(computeGaps(i).doneUndeclared.filter((x) => x.domain === 'network').map((x) => x.observed)).toEqual(['10.1.0.5:5432/TCP']);
  });
});

describe('least privilege (pure)', () => {
  test('IAM: no last-accessed data puts every grant under review, never in remove', async () => {
    const { leastPrivilegeIam } = await import('../../../src/risk/least-privilege.js');
    const [r] = leastPrivilegeIam([{ principal: 'p', grants: [{ resource: '*', actions: ['s3:GetObject', 'iam:PassRole'] }], used: [], usageSyncedAt: null }]);
    expect(r!.diff.remove).toEqual([]);
    expect(r!.diff.review.map((x) => x.action).sort()).toEqual(['iam:passrole', 's3:getobject']);
  });
});
