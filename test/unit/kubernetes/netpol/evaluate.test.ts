import { InputError } from '../../../../src/errors.js';
import { contains } from '../../../../src/identity/kubernetes/netpol/ports.js';
import { allowedStrings, modelOf, nsObject, podObject, policyObject, type WirePod } from './estate.js';

// The estate every table row runs against: two namespaces, five pods with named ports that
// resolve to different numbers on different pods, a UDP and an SCTP port, and pod IPs.
const PODS: WirePod[] = [
  { ns: 'x', name: 'a', labels: { app: 'a', tier: 'web' }, ports: [{ port: 80, name: 'http' }, { port: 53, protocol: 'UDP', name: 'dns' }], ip: '10.0.0.1' },
  { ns: 'x', name: 'b', labels: { app: 'b' }, ports: [{ port: 8080, name: 'http' }, { port: 9090, name: 'metrics' }], ip: '10.0.0.2' },
  { ns: 'y', name: 'a', labels: { app: 'a' }, ports: [{ port: 80, name: 'http' }], ip: '10.1.0.1' },
  { ns: 'y', name: 'b', labels: { app: 'b', tier: 'db' }, ports: [{ port: 8080, name: 'http' }], ip: '10.1.0.2' },
  { ns: 'y', name: 'c', labels: { app: 'c' }, ports: [{ port: 443 }, { port: 5000, protocol: 'SCTP' }], ip: '192.168.0.9' },
];
const BASE = [nsObject('x', { team: 'x' }), nsObject('y', { team: 'y' }), ...PODS.map(podObject)];
const ALL_PODS = PODS.map((p) => `${p.ns}/${p.name}`);
const portsOf = (key: string) => PODS.find((p) => `${p.ns}/${p.name}` === key)!.ports!.map((x) => `${x.port}/${x.protocol ?? 'TCP'}`);
const everything = ALL_PODS.flatMap((s) => ALL_PODS.filter((d) => d !== s).flatMap((d) => portsOf(d).map((p) => `${s}->${d}:${p}`)));
/** Every connection into `dst`, from every other pod. */
const into = (dst: string) => ALL_PODS.filter((s) => s !== dst).flatMap((s) => portsOf(dst).map((p) => `${s}->${dst}:${p}`));
const outOf = (src: string) => ALL_PODS.filter((d) => d !== src).flatMap((d) => portsOf(d).map((p) => `${src}->${d}:${p}`));

interface Row {
  name: string;
  policies: object[];
  /** Must be allowed. */
  allow?: string[];
  /** Must not be allowed. */
  deny?: string[];
  /** The exact set, when given. */
  exactly?: string[];
  ipBlockMatchesPods?: boolean;
}

const np = policyObject;
const rows: Row[] = [
  { name: 'no policy: every pair on every declared port', policies: [], exactly: everything },
  {
    name: 'default-deny ingress (podSelector {}, no rules) isolates every pod of the namespace only',
    policies: [np('x', 'deny', { podSelector: {} })],
    exactly: everything.filter((c) => !c.split('->')[1]!.startsWith('x/')),
  },
  {
    name: 'default-deny egress (policyTypes [Egress]) blocks sending, not receiving',
    policies: [np('x', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] })],
    exactly: everything.filter((c) => !c.startsWith('x/')),
  },
  { name: 'ingress: [{}] (one empty rule) allows everything in', policies: [np('x', 'allow-all', { podSelector: {}, ingress: [{}] })], exactly: everything },
  {
    name: 'podSelector alone means the policy namespace only',
    policies: [np('x', 'from-b', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'b' } } }] }] })],
    allow: ['x/b->x/a:80/TCP', 'x/b->x/a:53/UDP'],
    deny: ['y/b->x/a:80/TCP', 'y/a->x/a:80/TCP', 'y/c->x/a:53/UDP'],
  },
  {
    name: 'podSelector {} alone means every pod of the policy namespace',
    policies: [np('x', 'same-ns', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })],
    allow: ['x/a->x/b:8080/TCP', 'x/b->x/a:80/TCP'],
    deny: ['y/a->x/a:80/TCP', 'y/c->x/b:9090/TCP'],
  },
  {
    name: 'namespaceSelector alone means every pod of the matching namespaces',
    policies: [np('x', 'from-y', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'y' } } }] }] })],
    allow: ['y/a->x/a:80/TCP', 'y/b->x/a:80/TCP', 'y/c->x/a:53/UDP'],
    deny: ['x/b->x/a:80/TCP'],
  },
  {
    name: 'podSelector and namespaceSelector in ONE peer: AND',
    policies: [np('x', 'and', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'y' } }, podSelector: { matchLabels: { app: 'b' } } }] }] })],
    allow: ['y/b->x/a:80/TCP'],
    deny: ['y/a->x/a:80/TCP', 'x/b->x/a:80/TCP', 'y/c->x/a:80/TCP'],
  },
  {
    name: 'the same selectors as TWO peers: OR',
    policies: [np('x', 'or', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'y' } } }, { podSelector: { matchLabels: { app: 'b' } } }] }] })],
    allow: ['y/b->x/a:80/TCP', 'y/a->x/a:80/TCP', 'x/b->x/a:80/TCP', 'y/c->x/a:80/TCP'],
  },
  {
    name: 'namespaceSelector {} with a podSelector: that label in every namespace',
    policies: [np('x', 'b-anywhere', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'b' } } }] }] })],
    allow: ['x/b->x/a:80/TCP', 'y/b->x/a:80/TCP'],
    deny: ['y/a->x/a:80/TCP', 'y/c->x/a:80/TCP'],
  },
  {
    name: 'namespaceSelector on the implicit kubernetes.io/metadata.name label',
    policies: [np('x', 'by-name', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }] }] })],
    allow: ['y/c->x/a:80/TCP'],
    deny: ['x/b->x/a:80/TCP'],
  },
  {
    name: 'a named port resolves per destination pod (http = 80 on a, 8080 on b)',
    policies: [np('x', 'http', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] })],
    allow: ['y/c->x/a:80/TCP', 'y/c->x/b:8080/TCP'],
    deny: ['y/c->x/b:9090/TCP', 'y/c->x/a:53/UDP'],
  },
  {
    name: 'a named port must also match the protocol',
    policies: [np('x', 'http-udp', { podSelector: {}, ingress: [{ ports: [{ port: 'http', protocol: 'UDP' }, { port: 'dns', protocol: 'UDP' }] }] })],
    allow: ['y/c->x/a:53/UDP'],
    deny: ['y/c->x/a:80/TCP', 'y/c->x/b:8080/TCP'],
  },
  {
    name: 'endPort is an inclusive numeric range',
    policies: [np('x', 'range', { podSelector: {}, ingress: [{ ports: [{ port: 8000, endPort: 9090 }] }] })],
    allow: ['y/c->x/b:8080/TCP', 'y/c->x/b:9090/TCP'],
    deny: ['y/c->x/a:80/TCP', 'y/c->x/a:53/UDP'],
  },
  {
    name: 'a port entry without protocol is TCP; with a protocol and no port it is every port of that protocol',
    policies: [np('x', 'udp', { podSelector: {}, ingress: [{ ports: [{ protocol: 'UDP' }] }] }), np('y', 'tcp443', { podSelector: {}, ingress: [{ ports: [{ port: 5000 }] }] })],
    allow: ['x/b->x/a:53/UDP'],
    deny: ['x/b->x/a:80/TCP', 'x/a->y/c:5000/SCTP', 'x/a->y/c:443/TCP'],
  },
  {
    name: 'SCTP ports match only SCTP entries',
    policies: [np('y', 'sctp', { podSelector: { matchLabels: { app: 'c' } }, ingress: [{ ports: [{ port: 5000, protocol: 'SCTP' }] }] })],
    allow: ['x/a->y/c:5000/SCTP'],
    deny: ['x/a->y/c:443/TCP'],
  },
  {
    name: 'an egress-only policy without policyTypes ALSO isolates ingress (defaulting: Ingress always)',
    policies: [np('x', 'egress-to-y', { podSelector: { matchLabels: { app: 'a' } }, egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'y' } } }] }] })],
    exactly: everything.filter((c) => !c.endsWith('x/a:80/TCP') && !c.endsWith('x/a:53/UDP') && !(c.startsWith('x/a->') && c.includes('->x/'))),
  },
  {
    name: 'explicit policyTypes [Egress] leaves ingress open',
    policies: [np('x', 'egress-to-y', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'y' } } }] }] })],
    allow: [...into('x/a'), 'x/a->y/c:443/TCP'],
    deny: ['x/a->x/b:8080/TCP'],
  },
  {
    name: 'egress: [] without policyTypes is an ingress-only policy',
    policies: [np('x', 'empty-egress', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{}], egress: [] })],
    exactly: everything,
  },
  {
    name: 'policyTypes [Egress] ignores ingress rules that are present (and [Ingress] ignores egress rules)',
    policies: [
      np('x', 'egress-only', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'none' } } }] }], egress: [{}] }),
      np('y', 'ingress-only', { podSelector: { matchLabels: { app: 'c' } }, policyTypes: ['Ingress'], ingress: [{}], egress: [{ to: [{ podSelector: { matchLabels: { app: 'none' } } }] }] }),
    ],
    exactly: everything,
  },
  {
    name: 'from: [] and ports: [] mean every source and every port, like absent fields',
    policies: [np('x', 'empty-lists', { podSelector: {}, ingress: [{ from: [], ports: [] }] })],
    exactly: everything,
  },
  {
    name: 'policyTypes [Ingress, Egress] with no rules: the pod is cut off both ways',
    policies: [np('x', 'isolate-a', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Ingress', 'Egress'] })],
    exactly: everything.filter((c) => !c.startsWith('x/a->') && !c.includes('->x/a:')),
  },
  {
    name: 'several policies selecting one pod: their rules add up',
    policies: [
      np('x', 'p1', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'b' } } }], ports: [{ port: 80 }] }] }),
      np('x', 'p2', { podSelector: { matchLabels: { tier: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'y' } } }], ports: [{ port: 53, protocol: 'UDP' }] }] }),
    ],
    exactly: everything.filter((c) => !c.includes('->x/a:')).concat(['x/b->x/a:80/TCP', 'y/a->x/a:53/UDP', 'y/b->x/a:53/UDP', 'y/c->x/a:53/UDP']).sort(),
  },
  {
    name: 'traffic needs both sides: the ingress allows b, b’s egress does not reach a',
    policies: [
      np('x', 'a-from-b', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'b' } } }] }] }),
      np('x', 'b-egress-y', { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'y' } } }] }] }),
    ],
    deny: ['x/b->x/a:80/TCP', 'x/b->x/a:53/UDP'],
    allow: ['x/b->y/a:80/TCP'],
  },
  {
    name: 'egress with a named port resolves against the destination pod',
    policies: [np('x', 'egress-http', { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }] }] })],
    exactly: everything.filter((c) => !c.startsWith('x/b->')).concat(['x/b->x/a:80/TCP', 'x/b->y/a:80/TCP', 'x/b->y/b:8080/TCP']).sort(),
  },
  {
    name: 'a policy of namespace y never selects pods of x, even with podSelector {}',
    policies: [np('y', 'deny', { podSelector: {} })],
    exactly: everything.filter((c) => !c.split('->')[1]!.startsWith('y/')),
  },
  {
    name: 'matchExpressions: NotIn and DoesNotExist match pods without the key; In and Exists need it',
    policies: [
      np('x', 'notin', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, ingress: [] }),
      np('y', 'dne', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['x'] }] }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } }] }] }),
    ],
    allow: ['x/b->x/a:80/TCP', 'y/c->x/a:80/TCP', 'x/a->y/a:80/TCP', 'x/a->y/b:8080/TCP', 'x/b->y/b:8080/TCP'],
    deny: ['x/a->x/b:8080/TCP', 'x/b->y/a:80/TCP', 'y/b->y/a:80/TCP', 'x/b->y/c:443/TCP'],
  },
  {
    name: 'a rule with ports and no from admits every source on those ports',
    policies: [np('y', 'web', { podSelector: { matchLabels: { app: 'c' } }, ingress: [{ ports: [{ port: 443 }] }] })],
    allow: into('y/c').filter((c) => c.endsWith(':443/TCP')),
    deny: ['x/a->y/c:5000/SCTP'],
  },
  {
    name: 'ipBlock never matches pods when ipBlocks are external-only (np-guard reading)',
    ipBlockMatchesPods: false,
    policies: [np('x', 'ipb', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] })],
    deny: outOf('x/a'),
  },
  {
    name: 'ipBlock with except matches pod IPs by default (upstream e2e and cyclonus reading)',
    policies: [np('x', 'ipb', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] })],
    allow: ['x/a->x/b:8080/TCP'],
    deny: ['x/a->y/a:80/TCP', 'x/a->y/b:8080/TCP', 'x/a->y/c:443/TCP'],
  },
  {
    name: 'an except hole can be re-opened by another rule',
    ipBlockMatchesPods: true,
    policies: [np('x', 'ipb', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }, { to: [{ ipBlock: { cidr: '10.1.0.2/32' } }], ports: [{ port: 8080 }] }] })],
    allow: ['x/a->x/b:8080/TCP', 'x/a->y/b:8080/TCP'],
    deny: ['x/a->y/a:80/TCP'],
  },
];

describe('NetworkPolicy evaluator: table', () => {
  it.each(rows)('$name', (row) => {
    // Given the estate and the row's policies; When evaluated
    const got = allowedStrings(modelOf([...BASE, ...row.policies], row.ipBlockMatchesPods === undefined ? {} : { ipBlockMatchesPods: row.ipBlockMatchesPods }));
    // Then
    const set = new Set(got);
    if (row.exactly) expect(got).toEqual([...row.exactly].sort(byRow));
    for (const c of row.allow ?? []) expect({ c, allowed: set.has(c) }).toEqual({ c, allowed: true });
    for (const c of row.deny ?? []) expect({ c, allowed: set.has(c) }).toEqual({ c, allowed: false });
  });

  it('sorts rows by src, dst, port, protocol and never pairs a pod with itself', () => {
    const got = allowedStrings(modelOf(BASE));
    expect(got).toEqual([...got].sort(byRow));
    expect(got.some((c) => c.split('->')[0] === c.split('->')[1]!.split(':')[0])).toBe(false);
  });

  it('ipBlock peers match external addresses with except holes, both directions', () => {
    const model = modelOf([
      ...BASE,
      np('x', 'egress', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '172.16.0.0/12', except: ['172.16.5.0/24'] } }], ports: [{ port: 443 }] }] }),
      np('x', 'ingress', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: [{ ipBlock: { cidr: '2001:db8::/32' } }], ports: [{ port: 'http' }] }] }),
    ]);
    const a = model.pods.find((p) => p.key === 'x/a')!.cls;
    expect(contains(model.egressToIp(a, '172.16.1.1'), 'TCP', 443)).toBe(true);
    expect(contains(model.egressToIp(a, '172.16.5.1'), 'TCP', 443)).toBe(false);
    expect(contains(model.egressToIp(a, '172.16.1.1'), 'TCP', 80)).toBe(false);
    expect(contains(model.ingressFromIp('2001:db8::1', a), 'TCP', 80)).toBe(true);
    expect(contains(model.ingressFromIp('2001:db9::1', a), 'TCP', 80)).toBe(false);
    expect(contains(model.ingressFromIp('8.8.8.8', a), 'TCP', 80)).toBe(false);
    const b = model.pods.find((p) => p.key === 'x/b')!.cls;
    expect(model.egressToIp(b, '8.8.8.8').any).toBe(true);
  });

  it('rejects a duplicate policy and a duplicate pod, naming both', () => {
    expect(() => modelOf([...BASE, np('x', 'p', { podSelector: {} }), np('x', 'p', { podSelector: {} })])).toThrow(/^NetworkPolicy x\/p: duplicate NetworkPolicy x\/p/);
    expect(() => modelOf([...BASE, podObject(PODS[0]!)])).toThrow(/duplicate pod x\/a/);
  });

  it.each([
    ['an unknown operator', { podSelector: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] } }, /spec\.podSelector\.matchExpressions\[0\]: unknown operator "Gt"/],
    ['In without values', { podSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] } }, /operator In needs values/],
    ['a bad CIDR', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] }, /spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: "10\.0\.0\.0\/33" is not a CIDR/],
    ['ipBlock with a selector', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }, /ipBlock may not be combined/],
    ['an empty peer', { podSelector: {}, ingress: [{ from: [{}] }] }, /a peer needs podSelector, namespaceSelector or ipBlock/],
    ['endPort with a named port', { podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] }, /endPort: may not be used with the named port/],
    ['endPort below port', { podSelector: {}, ingress: [{ ports: [{ port: 90, endPort: 80 }] }] }, /endPort: 80 must be a port number ≥ port 90/],
    ['an unknown protocol', { podSelector: {}, ingress: [{ ports: [{ port: 90, protocol: 'ICMP' }] }] }, /protocol: "ICMP" is not TCP, UDP or SCTP/],
    ['an unknown policy type', { podSelector: {}, policyTypes: ['Sideways'] }, /policyTypes\[0\]: "Sideways"/],
  ])('rejects %s, naming the policy and field', (_n, spec, pattern) => {
    let caught: unknown;
    try {
      modelOf([...BASE, np('x', 'bad', spec)]);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as Error).message).toMatch(/^NetworkPolicy x\/bad/);
    expect((caught as Error).message).toMatch(pattern);
  });
});

function byRow(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  return cmp(pa.src, pb.src) || cmp(pa.dst, pb.dst) || pa.port - pb.port || cmp(pa.proto, pb.proto);
}
function parse(c: string) {
  const [src, rest] = c.split('->') as [string, string];
  const [dst, pp] = rest.split(':') as [string, string];
  const [port, proto] = pp.split('/') as [string, string];
  return { src, dst, port: Number(port), proto };
}
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
