import { validateBatch } from '../../../src/graph/ingest.js';
import type { Batch, RelRecord } from '../../../src/graph/records.js';
import { Attributor } from '../../../src/sensor/attribution.js';
import type { NativeBatch, NativeExecEvent, NativeFlow } from '../../../src/sensor/native.js';
import { endpointId, ObservationBuilder } from '../../../src/sensor/observations.js';
import { ExeResolver } from '../../../src/sensor/procfs.js';
import { DEFAULT_FILE_RULES } from '../../../src/sensor/rules.js';

const CID = 'c'.repeat(64);
const POD_UID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const cgroups = new Map([
  ['1', '/'],
  ['77', `/kubepods.slice/kubepods-pod${POD_UID.replace(/-/g, '_')}.slice/cri-containerd-${CID}.scope`],
  ['88', '/system.slice/nginx.service'],
]);
const T0 = Date.parse('2026-01-01T00:00:00Z');

const agg = { exeDev: 1, exeIno: '500', lastPid: 999999, comm: 'python3' };
const exec = (over: Partial<NativeExecEvent> = {}): NativeExecEvent => ({
  op: 'exec', time: T0, pid: 100, ppid: 1, uid: 0, tag: 100, start: '5000000000', pstart: '100000000', cgroupId: '1', exeIno: '500', exeDev: 1,
  comm: 'python3', path: '/usr/bin/python3', argv: ['python3', 'agent.py', '--token', 's3cr3t'], argvTruncated: false, ...over,
});
const flow = (over: Partial<NativeFlow> = {}): NativeFlow => ({
  ...agg, cgroupId: '1', tag: 100, dir: 'connect', family: 4, protocol: 'TCP', remote: '93.184.216.34', local: '10.0.0.2', port: 443, count: 3, first: T0 + 10, last: T0 + 20, ...over,
});
const batch = (over: Partial<NativeBatch>): NativeBatch => ({ events: [], flows: [], opens: [], dns: [], window: null, counters: {}, ...over });

function builder(podLookup?: (rows: { key: string }[]) => Promise<Map<string, string>>) {
  const attributor = new Attributor({ host: 'h1', agent: 'agent', cgroups: { pathOf: (id) => cgroups.get(id) }, ...(podLookup ? { podLookup } : {}) });
  return new ObservationBuilder({ host: 'h1', syncId: 's1', probes: ['exec', 'net', 'dns', 'files'], rules: DEFAULT_FILE_RULES, attributor, exes: new ExeResolver() });
}
const rels = (b: Batch, type: string) => b.rels.filter((r: RelRecord) => r.type === type);

describe('native batches -> graph records', () => {
  test('given an exec in the agent tree, then a Process with redacted argv, its lineage and DID_EXEC are recorded, and records validate', async () => {
    const out = await builder().build(batch({ events: [exec()] }));
    expect(() => validateBatch(out.nodes, out.rels)).not.toThrow();
    const proc = out.nodes.find((n) => n.label === 'Process' && n.id === 'h1/100/500')!;
    expect(proc.props).toMatchObject({ pid: 100, executable: '/usr/bin/python3', argv: ['python3', 'agent.py', '--token', '[redacted]'] });
    expect(rels(out, 'CHILD_OF')).toEqual([expect.objectContaining({ from: { label: 'Process', id: 'h1/100/500' }, to: { label: 'Process', id: 'h1/1/10' } })]);
    expect(rels(out, 'PART_OF')[0]!.to).toEqual({ label: 'Workload', id: 'h1/agent/agent' });
    expect(rels(out, 'DID_EXEC').map((r) => [r.from.label, r.count])).toEqual([['Process', 1], ['Workload', 1]]);
    expect(JSON.stringify(out)).not.toContain('s3cr3t');
  });

  test('given exits, then the wait status becomes an exit code or a signal on the Process', async () => {
    const b = builder();
    await b.build(batch({ events: [exec(), exec({ pid: 101, start: '6000000000' })] }));
    const out = await b.build(batch({ events: [
      { op: 'exit', time: T0 + 5, pid: 100, tag: 100, start: '5000000000', exitCode: 3 << 8 },
      { op: 'exit', time: T0 + 6, pid: 101, tag: 100, start: '6000000000', exitCode: 9 },
      { op: 'exit', time: T0 + 7, pid: 555, tag: 0, start: '1', exitCode: 0 },
    ] }));
    expect(out.nodes.filter((n) => n.label === 'Process').map((n) => [n.id, n.props?.exitCode, n.props?.exitSignal])).toEqual([
      ['h1/100/500', 3, undefined],
      ['h1/101/600', undefined, 9],
    ]);
  });

  test('given the same flow in two windows, then the edge carries the running total and the widest first/last seen', async () => {
    const b = builder();
    await b.build(batch({ events: [exec()] })); // teaches the executable path of inode 500
    const w1 = await b.build(batch({ flows: [flow()], window: { from: T0, to: T0 + 1000 }, counters: {} }));
    const w2 = await b.build(batch({ flows: [flow({ count: 2, first: T0 + 1500, last: T0 + 1900 })], window: { from: T0 + 1000, to: T0 + 2000 }, counters: {} }));
    const c1 = rels(w1, 'DID_CONNECT')[0]!;
    const c2 = rels(w2, 'DID_CONNECT')[0]!;
    expect(c1).toMatchObject({ to: { label: 'NetEndpoint', id: '93.184.216.34:443' }, count: 3, key: '/usr/bin/python3|443/TCP' });
    expect(c2).toMatchObject({ count: 5, firstSeen: new Date(T0 + 10).toISOString(), lastSeen: new Date(T0 + 1900).toISOString() });
    expect(c2.props).toMatchObject({ port: 443, protocol: 'TCP', executable: '/usr/bin/python3', localAddress: '10.0.0.2' });
  });

  test('given one inode exec\'d under two paths, then an aggregate takes the path its own process exec\'d', async () => {
    const b = builder();
    await b.build(batch({ events: [exec({ pid: 200, path: '/tmp/my-agent' }), exec({ pid: 201, path: '/usr/bin/python3' })] })); // same dev/inode 500
    const out = await b.build(batch({ flows: [flow({ lastPid: 200 }), flow({ lastPid: 201, port: 80 })] }));
    expect(rels(out, 'DID_CONNECT').map((r) => r.props?.executable)).toEqual(['/tmp/my-agent', '/usr/bin/python3']);
  });

  test('given counters that rose, then the window is marked lost with the deltas, and a clean window is not', async () => {
    const b = builder();
    const w1 = await b.build(batch({ window: { from: T0, to: T0 + 1000 }, counters: { execLost: 4, openMapFull: 1, queueOverflowRecords: 0 } }));
    const w2 = await b.build(batch({ window: { from: T0 + 1000, to: T0 + 2000 }, counters: { execLost: 4, openMapFull: 1, queueOverflowRecords: 0 } }));
    const cov = (x: Batch) => x.nodes.find((n) => n.label === 'Coverage')!;
    expect(cov(w1).props).toMatchObject({ lost: true, ringLost: 4, mapFull: 1, probes: ['exec', 'net', 'dns', 'files'] });
    expect(cov(w2).props).toMatchObject({ lost: false, ringLost: 0, mapFull: 0 });
    expect(cov(w1).id).toBe('h1/s1/w0');
    expect(rels(w1, 'ON_HOST')).toEqual([expect.objectContaining({ from: { label: 'Coverage', id: 'h1/s1/w0' } })]);
  });

  test('given a container cgroup whose pod the graph knows, then the workload is the pod and links to the K8sPod', async () => {
    const asked: { key: string }[] = [];
    const b = builder(async (rows) => {
      asked.push(...rows);
      return new Map([[CID, 'prod/agents/support-0']]);
    });
    const out = await b.build(batch({ opens: [{ ...agg, cgroupId: '77', tag: 0, rule: 2, path: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token', count: 1, first: T0, last: T0 }] }));
    expect(asked).toEqual([{ key: CID, podUid: POD_UID, containerId: CID }]);
    const open = rels(out, 'DID_OPEN')[0]!;
    expect(open.from).toEqual({ label: 'Workload', id: 'h1/pod/prod/agents/support-0' });
    expect(open.props).toMatchObject({ class: DEFAULT_FILE_RULES[2]!.class });
    expect(rels(out, 'PART_OF')).toEqual([expect.objectContaining({ from: open.from, to: { label: 'K8sPod', id: 'prod/agents/support-0' } })]);
  });

  test('given a service cgroup, a DNS answer and an IPv6 accept, then names, answers and endpoint ids are normalized', async () => {
    const out = await builder().build(
      batch({
        dns: [{ ...agg, cgroupId: '88', tag: 0, qtype: 28, name: 'api.openai.com', answers: ['2606:4700::6810:1'], count: 2, first: T0, last: T0 }],
        flows: [flow({ cgroupId: '88', tag: 0, dir: 'accept', family: 6, remote: '::1', local: '::1', port: 8080 })],
      }),
    );
    const dns = rels(out, 'DID_RESOLVE')[0]!;
    expect(dns).toMatchObject({ from: { label: 'Workload', id: 'h1/service/nginx.service' }, to: { label: 'DNSName', id: 'api.openai.com' }, count: 2 });
    expect(dns.props).toMatchObject({ qtype: 'AAAA', answers: ['2606:4700::6810:1'] });
    expect(rels(out, 'DID_ACCEPT')[0]!.to).toEqual({ label: 'NetEndpoint', id: '[::1]' });
    expect(endpointId('::1', 6, 443)).toBe('[::1]:443');
  });
});
