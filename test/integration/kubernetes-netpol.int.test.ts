import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { syncSnapshot } from '../../src/collectors/kubernetes/collect.js';
import { groupManifests, parseManifestText } from '../../src/collectors/kubernetes/manifests.js';
import type { Graph } from '../../src/graph/driver.js';
import { runSync } from '../../src/graph/ingest.js';
import { rel } from '../../src/graph/records.js';
import { buildNetpolModel, type NetpolModel } from '../../src/identity/kubernetes/netpol/evaluate.js';
import { netpolBatch } from '../../src/identity/kubernetes/netpol/graph.js';
import { groupOfPods, ownerChains } from '../../src/identity/kubernetes/netpol/groups.js';
import { ANY, EMPTY, contains, union, type PortSet, type Protocol } from '../../src/identity/kubernetes/netpol/ports.js';
import { useTestEnv } from '../helpers/env.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';

// A small estate: a Deployment with three replicas (stored once, as a workload), a StatefulSet pod,
// standalone pods, default-deny in `shop`, selector-specific allowances with named ports, an
// ipBlock with except, and an open namespace.
const ESTATE = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {tier: prod}}
---
apiVersion: v1
kind: Namespace
metadata: {name: tools}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c}]}}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-5d4f, namespace: shop, ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: u1, controller: true}]}
spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c}]}}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec: {serviceName: db, selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c}]}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{namespaceSelector: {}}]
    ports: [{port: http}]
  - from: [{ipBlock: {cidr: 203.0.113.0/24, except: [203.0.113.128/25]}}]
    ports: [{port: 443}]
  egress:
  - to: [{podSelector: {matchLabels: {app: db}}}]
    ports: [{port: pg}]
  - ports: [{port: 53, protocol: UDP}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 5432}]
`;

function pod(ns: string, name: string, labels: Record<string, string>, ports: Array<[number, string, string?]>, owner?: [string, string]): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner[0], name: owner[1], uid: 'u', controller: true }] } : {}) },
    spec: { containers: [{ name: 'c', ports: ports.map(([p, proto, n]) => ({ containerPort: p, protocol: proto, ...(n ? { name: n } : {}) })) }] },
  };
}
const PODS = [
  pod('shop', 'web-5d4f-a', { app: 'web' }, [[8080, 'TCP', 'http'], [443, 'TCP']], ['ReplicaSet', 'web-5d4f']),
  pod('shop', 'web-5d4f-b', { app: 'web' }, [[8080, 'TCP', 'http'], [443, 'TCP']], ['ReplicaSet', 'web-5d4f']),
  pod('shop', 'web-5d4f-c', { app: 'web' }, [[8080, 'TCP', 'http'], [443, 'TCP']], ['ReplicaSet', 'web-5d4f']),
  pod('shop', 'db-0', { app: 'db' }, [[5432, 'TCP', 'pg']], ['StatefulSet', 'db']),
  pod('shop', 'cache', { app: 'cache' }, [[6379, 'TCP']]),
  pod('tools', 'debug', { app: 'debug' }, [[22, 'TCP'], [8080, 'TCP', 'http']]),
  pod('tools', 'dns', { app: 'dns' }, [[53, 'UDP'], [53, 'TCP']]),
];

function load(withDbPolicy = true) {
  const text = ESTATE + PODS.map((p) => `---\n${JSON.stringify(p)}\n`).join('');
  const m = groupManifests(parseManifestText(text, 'estate.yaml'));
  const policies = withDbPolicy ? m.networkPolicies : m.networkPolicies.filter((p) => p.metadata?.name !== 'db');
  const model = buildNetpolModel({ namespaces: m.namespaces, pods: m.pods, networkPolicies: policies });
  return { m, model };
}

let graph: Graph;
beforeAll(async () => {
  graph = await testGraph();
});
afterAll(async () => {
  await graph.close();
});

/** Store the estate's OWNED_BY chains (what the Kubernetes collector writes) and the verdicts. */
async function store(cluster: string, model: NetpolModel, m: ReturnType<typeof load>['m']) {
  const chains = ownerChains(m, cluster);
  const owned = [...chains].flatMap(([podKey, chain]) =>
    chain.map((w, i) => rel('OWNED_BY', i === 0 ? { label: 'K8sPod', id: `${cluster}/${podKey}` } : { label: 'K8sWorkload', id: chain[i - 1]! }, { label: 'K8sWorkload', id: w })),
  );
  await runSync(graph, { source: 'test-owners', scope: cluster }, (sink) => sink.write({ rels: owned }));
  const batch = netpolBatch(model, { cluster, groups: groupOfPods(model, chains, cluster) });
  await runSync(graph, { source: 'kubernetes-netpol', scope: cluster }, (sink) => sink.write(batch));
  return batch;
}

/** The expansion query's rows folded into one port set per pod pair. */
async function expanded(cluster: string): Promise<Map<string, PortSet>> {
  const rows = await graph.read('queries/kubernetes/netpol-connections', { cluster, src: null, dst: null });
  const out = new Map<string, PortSet>();
  for (const r of rows as Array<{ src: string; dst: string; protocol: string; port: number; endPort: number }>) {
    const set = r.protocol === 'ANY' ? ANY : { ...EMPTY, [r.protocol]: [[r.port, r.endPort]] };
    const k = `${r.src}|${r.dst}`;
    out.set(k, union(out.get(k) ?? EMPTY, set));
  }
  return out;
}

/** Compare stored and evaluated verdicts on every pair and a set of probe ports. */
function expectSame(model: NetpolModel, cluster: string, got: Map<string, PortSet>) {
  const diffs: string[] = [];
  for (let s = 0; s < model.pods.length; s++) {
    for (let d = 0; d < model.pods.length; d++) {
      if (s === d) continue;
      const g = got.get(`${cluster}/${model.pods[s]!.key}|${cluster}/${model.pods[d]!.key}`) ?? EMPTY;
      const w = model.allowed(s, d);
      for (const proto of ['TCP', 'UDP', 'SCTP'] as Protocol[]) {
        for (const port of [1, 22, 53, 443, 5432, 6379, 8080, 65535]) {
          if (contains(g, proto, port) !== contains(w, proto, port)) diffs.push(`${model.pods[s]!.key}->${model.pods[d]!.key} ${port}/${proto}: stored ${contains(g, proto, port)}, evaluated ${contains(w, proto, port)}`);
        }
      }
    }
  }
  expect(diffs).toEqual([]);
}

describe('NetworkPolicy verdicts in the real Neo4j', () => {
  it('stores workload-level edges and the expansion query returns exactly the evaluator’s verdicts', async () => {
    // Given the estate evaluated and stored
    const cluster = uniqueScope('np');
    const { m, model } = load();
    const batch = await store(cluster, model, m);
    // Then the three web replicas share one workload node: no edge names a web pod
    expect(batch.rels.some((r) => r.from.id.includes('web-5d4f-') || r.to.id.includes('web-5d4f-'))).toBe(false);
    expect(batch.rels.some((r) => r.from.id === `${cluster}/shop/Deployment/web`)).toBe(true);
    // When the expansion query runs; Then it agrees with the evaluator on every pair and probe
    const got = await expanded(cluster);
    expectSame(model, cluster, got);
    // And a few verdicts by name: web → db on the named port pg only; debug → web on http only; web ↔ web on nothing
    expect(contains(got.get(`${cluster}/shop/web-5d4f-a|${cluster}/shop/db-0`) ?? EMPTY, 'TCP', 5432)).toBe(true);
    expect(contains(got.get(`${cluster}/shop/web-5d4f-a|${cluster}/shop/db-0`) ?? EMPTY, 'TCP', 8080)).toBe(false);
    expect(contains(got.get(`${cluster}/tools/debug|${cluster}/shop/web-5d4f-b`) ?? EMPTY, 'TCP', 8080)).toBe(true);
    expect(contains(got.get(`${cluster}/tools/debug|${cluster}/shop/web-5d4f-b`) ?? EMPTY, 'TCP', 443)).toBe(false);
    expect(got.get(`${cluster}/shop/web-5d4f-a|${cluster}/shop/web-5d4f-b`)).toBeUndefined();
    expect(got.get(`${cluster}/tools/debug|${cluster}/tools/dns`)?.any).toBe(true);
  });

  it('the Kubernetes collector stores verdicts on workloads, and the expansion query returns the evaluator’s verdicts', async () => {
    // Given the estate collected as the collector does (owner chains, RBAC, NetworkPolicy: one replace sync)
    const cluster = uniqueScope('npcol');
    const { m, model } = load();
    const { other: _other, ...snapshot } = m;
    const { batch } = await syncSnapshot(graph, cluster, snapshot);
    // Then the web replicas' verdicts sit on their Deployment, not on each pod
    const connects = batch.rels.filter((r) => r.type === 'MAY_CONNECT');
    expect(connects.some((r) => r.from.id.includes('web-5d4f-') || r.to.id.includes('web-5d4f-'))).toBe(false);
    expect(connects.some((r) => r.from.id === `${cluster}/shop/Deployment/web` || r.to.id === `${cluster}/shop/Deployment/web`)).toBe(true);
    // And reading them back through OWNED_BY gives exactly the evaluator's answer for every pair
    expectSame(model, cluster, await expanded(cluster));
  });

  it('lists external exposure with the ipBlock and its except', async () => {
    const cluster = uniqueScope('np-ext');
    const { m, model } = load();
    await store(cluster, model, m);
    const rows = await graph.read('queries/kubernetes/netpol-external', { cluster });
    const web = rows.filter((r) => r.pod === `${cluster}/shop/web-5d4f-a`);
    expect(web).toEqual(
      expect.arrayContaining([
        { pod: `${cluster}/shop/web-5d4f-a`, direction: 'ingress', cidr: '203.0.113.0/24', except: ['203.0.113.128/25'], protocol: 'TCP', port: 443, endPort: 443 },
        { pod: `${cluster}/shop/web-5d4f-a`, direction: 'egress', cidr: '0.0.0.0/0', except: [], protocol: 'UDP', port: 53, endPort: 53 },
      ]),
    );
    // db-0 is default-denied for egress: nothing outside
    expect(rows.filter((r) => r.pod === `${cluster}/shop/db-0` && r.direction === 'egress')).toEqual([]);
    // an open pod reaches everything outside
    expect(rows.filter((r) => r.pod === `${cluster}/tools/debug` && r.direction === 'egress').map((r) => `${String(r.cidr)} ${String(r.protocol)}`)).toEqual(['0.0.0.0/0 ANY', '::/0 ANY']);
  });

  it('a second sync after a policy is removed drops the stale edges', async () => {
    // Given a stored estate
    const cluster = uniqueScope('np-resync');
    const first = load();
    await store(cluster, first.model, first.m);
    // When the db policy is deleted and the cluster synced again
    const second = load(false);
    await store(cluster, second.model, second.m);
    // Then the graph answers the new verdicts: db-0 (still default-denied) no longer admits web on 5432
    const got = await expanded(cluster);
    expectSame(second.model, cluster, got);
    expect(contains(got.get(`${cluster}/shop/web-5d4f-a|${cluster}/shop/db-0`) ?? EMPTY, 'TCP', 5432)).toBe(false);
  });

  it('`reachgraph netpol --from-dir --load` stores what `reachgraph netpol --cluster` reads back', () => {
    // Given the estate in a folder
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-netpol-load-'));
    fs.writeFileSync(path.join(dir, 'estate.yaml'), ESTATE + PODS.map((p) => `---\n${JSON.stringify(p)}\n`).join(''));
    const cluster = uniqueScope('np-cli');
    useTestEnv();
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'netpol', ...args], { encoding: 'utf8', env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn' } });
    // When loaded, then read back
    const load = cli('--from-dir', dir, '--load', '--cluster', cluster, '--format', 'json');
    expect(load.stderr).toBe('');
    expect(load.status).toBe(0);
    const allowed = (JSON.parse(load.stdout) as { allowed: Array<{ src: string; dst: string; port: number; protocol: string }> }).allowed;
    const read = cli('--cluster', cluster, '--format', 'json');
    expect(read.status).toBe(0);
    const rows = (JSON.parse(read.stdout) as { connections: Array<{ src: string; dst: string; protocol: string; port: number; endPort: number }> }).connections;
    // Then every listed connection is covered by a stored range, and the stored ranges list nothing the listing denies on a declared port
    const covered = (a: { src: string; dst: string; port: number; protocol: string }) =>
      rows.some((r) => r.src === `${cluster}/${a.src}` && r.dst === `${cluster}/${a.dst}` && (r.protocol === 'ANY' || r.protocol === a.protocol) && r.port <= a.port && a.port <= r.endPort);
    expect(allowed.length).toBeGreaterThan(10);
    expect(allowed.filter((a) => !covered(a))).toEqual([]);
    expect(rows.some((r) => r.src === `${cluster}/shop/web-5d4f-a` && r.dst === `${cluster}/shop/db-0` && r.port <= 5432 && 5432 <= r.endPort)).toBe(true);
    expect(rows.some((r) => r.src === `${cluster}/tools/debug` && r.dst === `${cluster}/shop/db-0`)).toBe(false);
  }, 120_000);
  it('`netpol --load` refuses a cluster name the Kubernetes collector already owns', async () => {
    // Given a cluster the collector has synced (a sync of source "kubernetes" over that scope)
    const cluster = uniqueScope('np-owned');
    await runSync(graph, { source: 'kubernetes', scope: cluster, progress: false }, async (sink) => sink.write({ nodes: [] }));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-netpol-owned-'));
    fs.writeFileSync(path.join(dir, 'estate.yaml'), ESTATE + PODS.map((p) => `---\n${JSON.stringify(p)}\n`).join(''));
    useTestEnv();
    // When netpol --load targets that cluster name
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'netpol', '--from-dir', dir, '--load', '--cluster', cluster], { encoding: 'utf8', env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn' } });
    // Then it exits 2 naming the conflict, and stores nothing under the netpol source
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--cluster ${cluster}: the Kubernetes collector already stores`);
    const rows = await graph.readText('MATCH ()-[r:MAY_CONNECT]->() WHERE r.scope = $scope RETURN count(r) AS c', { scope: cluster }, 'test');
    expect(rows[0]!.c).toBe(0);
  }, 120_000);
});
