import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contains, type Protocol } from '../../../../src/identity/kubernetes/netpol/ports.js';
import { allowedStrings, modelOf, nsObject, podObject, policyObject } from './estate.js';

/** Runs every case of test/cases/kubernetes/netpol/ (format: that folder's README.md). */
interface Case {
  description: string;
  source: string;
  pods: string[];
  ipBlockMatchesPods?: boolean;
  policies: Array<{ namespace: string; name: string; spec: object }>;
  probes: Array<{ port: number; protocol: string; default: boolean; expect: Array<[string, string, boolean]> }>;
  /** [direction, pod, external IP, port, protocol, allowed]. */
  external?: Array<['egress' | 'ingress', string, string, number, Protocol, boolean]>;
}

const DIR = join(process.cwd(), 'test/cases/kubernetes/netpol');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const NS = ['x', 'y', 'z'];
const POD = ['a', 'b', 'c'];

function matches(pattern: string, pod: string): boolean {
  if (pattern === '*') return true;
  const [pns, pname] = pattern.split('/') as [string, string];
  const [ns, name] = pod.split('/') as [string, string];
  return pns === ns && (pname === '*' || pname === name);
}

describe('NetworkPolicy case corpus', () => {
  it('has cases', () => expect(files.length).toBeGreaterThanOrEqual(25));

  it.each(files)('%s', (file) => {
    const c = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Case;
    // Given the standard e2e/cyclonus pod model and the case's policies
    const objects = [
      ...NS.map((n) => nsObject(n, { ns: n })),
      ...c.pods.map((key) => {
        const [ns, name] = key.split('/') as [string, string];
        return podObject({
          ns,
          name,
          labels: { pod: name },
          ports: [80, 81].flatMap((port) => ['TCP', 'UDP', 'SCTP'].map((protocol) => ({ port, protocol, name: `serve-${port}-${protocol.toLowerCase()}` }))),
          ip: `192.168.${NS.indexOf(ns) + 1}.${POD.indexOf(name) + 1}`,
        });
      }),
      ...c.policies.map((p) => policyObject(p.namespace, p.name, p.spec)),
    ];
    // When evaluated
    const model = modelOf(objects, c.ipBlockMatchesPods === undefined ? {} : { ipBlockMatchesPods: c.ipBlockMatchesPods });
    const allowed = new Set(allowedStrings(model));
    // Then every truth table matches, pair by pair
    for (const probe of c.probes) {
      const want: string[] = [];
      const got: string[] = [];
      for (const s of c.pods) {
        for (const d of c.pods) {
          if (s === d) continue;
          let v = probe.default;
          for (const [ps, pd, val] of probe.expect) if (matches(ps, s) && matches(pd, d)) v = val;
          const row = `${s}->${d}:${probe.port}/${probe.protocol}`;
          want.push(`${row} ${v ? 'allowed' : 'denied'}`);
          got.push(`${row} ${allowed.has(row) ? 'allowed' : 'denied'}`);
        }
      }
      expect(got).toEqual(want);
    }
    // And traffic to and from external addresses
    const ext = (c.external ?? []).map(([dir, podKey, ip, port, proto]) => {
      const cls = model.pods.find((p) => p.key === podKey)!.cls;
      return contains(dir === 'egress' ? model.egressToIp(cls, ip) : model.ingressFromIp(ip, cls), proto, port);
    });
    expect(ext).toEqual((c.external ?? []).map((e) => e[5]));
  });
});
