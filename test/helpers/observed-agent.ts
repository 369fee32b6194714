/**
 * A small observed agent of its own for API tests that change behaviour state (baselines, drift): an
 * AIAgent running as one sensor Workload on one host, loaded through the ingest core like a sensor
 * recording (unique ids, so test files can run in parallel on the shared graph). It resolved a DNS name
 * and ran python in its first minutes; `load({ later: true })` adds a connection somewhere new 40
 * minutes in, which a baseline of the first 30 minutes does not hold.
 */
import type { Graph } from '../../src/graph/driver.js';
import { runSync } from '../../src/graph/ingest.js';
import { node, rel, type NodeRecord, type RelRecord } from '../../src/graph/records.js';
import { uniqueScope } from './graph.js';

export interface ObservedAgent {
  agent: string;
  workload: string;
  /** Start of its observations: two hours ago, so a relearn window ending now holds them. */
  t0: number;
  /** The connection `load({ later: true })` adds. */
  newEndpoint: string;
  load(o?: { later?: boolean }): Promise<void>;
}

export function observedAgent(graph: Graph, prefix: string): ObservedAgent {
  const scope = uniqueScope(prefix);
  const host = `${scope}-host`;
  const workload = `${host}/agent/${scope}`;
  const agent = `${scope}-agent`;
  const t0 = Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000;
  const T = (m: number) => new Date(t0 + m * 60_000).toISOString();
  const W = { label: 'Workload', id: workload };
  const newEndpoint = '203.0.113.77:4444';
  return {
    agent,
    workload,
    t0,
    newEndpoint,
    async load(o = {}) {
      const nodes: NodeRecord[] = [
        node('Host', host, { name: host }),
        node('Workload', workload, { host, kind: 'agent', name: scope }),
        node('AIAgent', agent, { name: agent }),
        node('Executable', '/usr/bin/python3', { name: 'python3' }),
        node('DNSName', 'api.example.test', { name: 'api.example.test' }),
        node('Coverage', `${host}/w0`, { host, probes: ['exec', 'net', 'dns', 'files'], from: T(0), to: T(60), lost: false, ringLost: 0, mapFull: 0, queueOverflow: 0, workloads: [workload] }),
      ];
      const rels: RelRecord[] = [
        rel('ON_HOST', W, { label: 'Host', id: host }),
        rel('RUNS_ON', { label: 'AIAgent', id: agent }, W),
        rel('ON_HOST', { label: 'Coverage', id: `${host}/w0` }, { label: 'Host', id: host }),
        rel('COVERS', { label: 'Coverage', id: `${host}/w0` }, W),
        rel('DID_EXEC', W, { label: 'Executable', id: '/usr/bin/python3' }, { count: 1, firstSeen: T(0), lastSeen: T(0) }),
        rel('DID_RESOLVE', W, { label: 'DNSName', id: 'api.example.test' }, { count: 12, firstSeen: T(1), lastSeen: T(25), key: '/usr/bin/python3|A', props: { qtype: 'A', answers: ['192.0.2.10'], executable: '/usr/bin/python3' } }),
      ];
      if (o.later) {
        nodes.push(node('NetEndpoint', newEndpoint, { address: '203.0.113.77', port: 4444, family: 4, loopback: false }));
        rels.push(rel('DID_CONNECT', W, { label: 'NetEndpoint', id: newEndpoint }, { count: 2, firstSeen: T(40), lastSeen: T(41), key: '/usr/bin/python3|4444/TCP', props: { port: 4444, protocol: 'TCP', executable: '/usr/bin/python3', localAddress: '192.0.2.5' } }));
      }
      await runSync(graph, { source: 'test-sensor', scope, progress: false }, (sink) => sink.write({ nodes, rels }));
    },
  };
}
