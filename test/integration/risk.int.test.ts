/**
 * The risk engine against the real Neo4j, on a small planted estate with exact expected answers:
 * an agent on a Deployment whose pod's service account assumes an IRSA role (which may escalate to an
 * admin role), with declared and observed network traffic joined through pod IPs, credential and model
 * files, and MCP tools; a second agent whose only coverage window lost events (partial coverage).
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import type { Graph } from '../../src/graph/driver.js';
import { runSync } from '../../src/graph/ingest.js';
import { node, rel, type NodeRecord, type RelRecord } from '../../src/graph/records.js';
import { attackPaths, blastRadius, findings, gaps, leastPrivilege, resolveSubject, setTag } from '../../src/risk/run.js';
import { toSarif } from '../../src/risk/sarif.js';
import { sarifValidator } from '../helpers/sarif.js';
import type { Mode } from '../../src/risk/edges.js';
import { projectRoot } from '../../src/paths.js';
import { useTestEnv } from '../helpers/env.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';

let graph: Graph;
const P = uniqueScope('risk');
const ACCT = String(100000000000 + crypto.randomInt(0, 899999999999)).slice(0, 12);
const oct = () => crypto.randomInt(1, 250);
const NET = `10.${oct()}.${oct()}`;
const T = (m: number) => new Date(Date.parse('2026-11-20T09:00:00Z') + m * 60_000).toISOString();

const R = (label: string, id: string) => ({ label, id });
const ids = {
  agent: `${P}-agent`,
  agent2: `${P}-agent2`,
  deploy: `${P}/ns/Deployment/app`,
  rs: `${P}/ns/ReplicaSet/app-5d`,
  pod: `${P}/ns/app-5d-x1`,
  pod2: `${P}/ns/other-0`,
  sa: `${P}/ns/${P}-app`,
  sa2: `${P}/ns/other`,
  w: `${P}-host/pod/${P}/ns/app-5d-x1`,
  w2: `${P}-host/pod/${P}/ns/other-0`,
  role: `arn:aws:iam::${ACCT}:role/${P}-app`,
  admin: `arn:aws:iam::${ACCT}:role/${P}-admin`,
  bucket: `arn:aws:s3:::${P}-bucket/*`,
  s3: `arn:aws:s3:::${P}-bucket`,
  s3Other: `arn:aws:s3:::${P}-elsewhere`,
  otherPod: `${P}-other/ns/web-0`,
  db: `${P}/ns/StatefulSet/db`,
  dbPod: `${P}/ns/db-0`,
  cachePod: `${P}/ns/cache-0`,
  dbEp: `${NET}.5:5432`,
  cacheEp: `${NET}.6:6379`,
  extEp: `198.51.100.${oct()}:443`,
  cidr: '203.0.113.0/24',
  creds: `/${P}/home/.aws/credentials`,
  model: `/${P}/models/m.gguf`,
  inference: `http://${P}-vllm.svc:8000`,
  aiModel: `file/${P}/m.gguf`,
  mcp: `${P}/mcp`,
  tool: `${P}/mcp/write_file`,
  cov: `${P}-host/w0`,
  cov2: `${P}-host/w1`,
};

function estate(): { nodes: NodeRecord[]; rels: RelRecord[] } {
  const nodes: NodeRecord[] = [
    node('AIAgent', ids.agent, { name: 'agent' }),
    node('AIAgent', ids.agent2, { name: 'agent2' }),
    node('K8sCluster', P, { name: P }),
    node('K8sWorkload', ids.deploy, { name: 'app', namespace: 'ns', kind: 'Deployment', cluster: P }),
    node('K8sWorkload', ids.rs, { name: 'app-5d', namespace: 'ns', kind: 'ReplicaSet', cluster: P }),
    node('K8sWorkload', ids.db, { name: 'db', namespace: 'ns', kind: 'StatefulSet', cluster: P }),
    node('K8sPod', ids.pod, { name: 'app-5d-x1', namespace: 'ns', cluster: P, labels: ['app=app', 'pod-template-hash=5d'], workload: ids.deploy }),
    node('K8sPod', ids.pod2, { name: 'other-0', namespace: 'ns', cluster: P }),
    node('K8sPod', ids.dbPod, { name: 'db-0', namespace: 'ns', cluster: P, labels: ['app=db', 'statefulset.kubernetes.io/pod-name=db-0'] }),
    node('K8sPod', ids.cachePod, { name: 'cache-0', namespace: 'other', cluster: P, labels: ['app=cache'] }),
    node('K8sServiceAccount', ids.sa, { name: `${P}-app`, namespace: 'ns', cluster: P, username: `system:serviceaccount:ns:${P}-app` }),
    node('K8sServiceAccount', ids.sa2, { name: 'other', namespace: 'ns', cluster: P }),
    node('Workload', ids.w, { kind: 'pod', name: ids.pod }),
    node('Workload', ids.w2, { kind: 'pod', name: ids.pod2 }),
    node('AWSRole', ids.role, { name: `${P}-app` }),
    node('AWSRole', ids.admin, { name: `${P}-admin` }),
    node('AWSResource', ids.bucket),
    node('AWSS3Bucket', ids.s3, { name: `${P}-bucket`, accountId: ACCT, crownJewel: 'customer-data' }),
    // Decoys: a bucket of another account that '*' matches, and a pod elsewhere that admits the CIDR the agent may reach.
    node('AWSS3Bucket', ids.s3Other, { name: `${P}-elsewhere`, accountId: '000000000000', crownJewel: 'customer-data' }),
    node('K8sPod', ids.otherPod, { name: 'web-0', namespace: 'ns', cluster: `${P}-other` }),
    node('IPBlock', ids.cidr),
    node('File', ids.creds, { class: 'credential' }),
    node('File', ids.model, { class: 'model' }),
    node('InferenceServer', ids.inference, { url: ids.inference }),
    node('AIModel', ids.aiModel, { path: ids.model }),
    node('MCPServer', ids.mcp, { name: 'mcp' }),
    node('MCPTool', ids.tool, { name: 'write_file', writes: true }),
    node('Coverage', ids.cov, { probes: ['exec', 'net', 'dns', 'files'], from: T(0), to: T(60), lost: false, ringLost: 0, mapFull: 0, queueOverflow: 0 }),
    node('Coverage', ids.cov2, { probes: ['exec', 'net', 'dns', 'files'], from: T(0), to: T(60), lost: true, ringLost: 12, mapFull: 0, queueOverflow: 0 }),
  ];
  const ob = { firstSeen: T(5), lastSeen: T(50), count: 3 };
  const rels: RelRecord[] = [
    rel('RUNS_ON', R('AIAgent', ids.agent), R('K8sWorkload', ids.deploy)),
    rel('MAY_INVOKE', R('AIAgent', ids.agent), R('InferenceServer', ids.inference)),
    rel('RUNS_ON', R('AIModel', ids.aiModel), R('InferenceServer', ids.inference)),
    rel('MAY_USE_TOOL', R('AIAgent', ids.agent), R('MCPServer', ids.mcp)),
    rel('OFFERS', R('MCPServer', ids.mcp), R('MCPTool', ids.tool)),
    rel('OWNED_BY', R('K8sWorkload', ids.rs), R('K8sWorkload', ids.deploy)),
    rel('OWNED_BY', R('K8sPod', ids.pod), R('K8sWorkload', ids.rs)),
    rel('OWNED_BY', R('K8sPod', ids.dbPod), R('K8sWorkload', ids.db)),
    rel('RUNS_AS', R('K8sPod', ids.pod), R('K8sServiceAccount', ids.sa)),
    rel('PART_OF', R('Workload', ids.w), R('K8sPod', ids.pod)),
    rel('MAY_ASSUME', R('K8sServiceAccount', ids.sa), R('AWSRole', ids.role), { props: { via: 'irsa' } }),
    rel('MAY_ACCESS', R('AWSRole', ids.role), R('AWSResource', ids.bucket), { props: { actions: ['s3:GetObject', 's3:PutObject'], maxSensitivity: 'data-write' } }),
    rel('MATCHES_RESOURCE', R('AWSResource', ids.bucket), R('AWSS3Bucket', ids.s3), { props: { reach: 'contents' } }),
    rel('MAY_ESCALATE_TO', R('AWSRole', ids.role), R('AWSRole', ids.admin), { key: 'iam-001', props: { method: 'iam-001' } }),
    rel('MAY_ACCESS', R('AWSRole', ids.admin), R('AWSResource', '*'), { props: { actions: ['*'], maxSensitivity: 'admin' } }),
    // Another account's bucket: an identity grant alone does not reach it, and an outside CIDR is a destination, not a hop.
    rel('MATCHES_RESOURCE', R('AWSResource', '*'), R('AWSS3Bucket', ids.s3Other), { props: { reach: 'resource' } }),
    rel('MAY_CONNECT', R('IPBlock', ids.cidr), R('K8sPod', ids.otherPod), { key: 'TCP/80', props: { protocol: 'TCP', port: 80, endPort: 80 } }),
    // Network: egress to any pod on 5432 and to a CIDR on 443; db admits any pod on 5432, cache nobody.
    rel('MAY_CONNECT', R('K8sWorkload', ids.deploy), R('K8sCluster', P), { key: 'TCP/5432', props: { protocol: 'TCP', port: 5432, endPort: 5432 } }),
    rel('MAY_CONNECT', R('K8sCluster', P), R('K8sWorkload', ids.db), { key: 'TCP/5432', props: { protocol: 'TCP', port: 5432, endPort: 5432 } }),
    rel('MAY_CONNECT', R('K8sWorkload', ids.deploy), R('IPBlock', ids.cidr), { key: 'TCP/443', props: { protocol: 'TCP', port: 443, endPort: 443 } }),
    rel('ADDRESS_OF', R('NetEndpoint', ids.dbEp), R('K8sPod', ids.dbPod)),
    rel('ADDRESS_OF', R('NetEndpoint', ids.cacheEp), R('K8sPod', ids.cachePod)),
    rel('DID_CONNECT', R('Workload', ids.w), R('NetEndpoint', ids.dbEp), { ...ob, key: 'py|5432/TCP', props: { port: 5432, protocol: 'TCP' } }),
    rel('DID_CONNECT', R('Workload', ids.w), R('NetEndpoint', ids.cacheEp), { ...ob, key: 'py|6379/TCP', props: { port: 6379, protocol: 'TCP' } }),
    rel('DID_OPEN', R('Workload', ids.w), R('File', ids.creds), { ...ob, key: 'py', props: { class: 'credential' } }),
    rel('DID_OPEN', R('Workload', ids.w), R('File', ids.model), { ...ob, key: 'py', props: { class: 'model' } }),
    rel('COVERS', R('Coverage', ids.cov), R('Workload', ids.w)),
    // Agent 2: same egress grant shape, but its only window lost events.
    rel('RUNS_ON', R('AIAgent', ids.agent2), R('K8sPod', ids.pod2)),
    rel('RUNS_AS', R('K8sPod', ids.pod2), R('K8sServiceAccount', ids.sa2)),
    rel('PART_OF', R('Workload', ids.w2), R('K8sPod', ids.pod2)),
    rel('MAY_CONNECT', R('K8sPod', ids.pod2), R('IPBlock', ids.cidr), { key: 'TCP/443', props: { protocol: 'TCP', port: 443, endPort: 443 } }),
    rel('DID_CONNECT', R('Workload', ids.w2), R('NetEndpoint', ids.extEp), { ...ob, key: 'py|443/TCP', props: { port: 443, protocol: 'TCP' } }),
    rel('COVERS', R('Coverage', ids.cov2), R('Workload', ids.w2)),
  ];
  return { nodes, rels };
}

beforeAll(async () => {
  graph = await testGraph();
  await runSync(graph, { source: 'test-risk', scope: P, progress: false }, (sink) => sink.write(estate()));
  // Last-accessed data: s3:GetObject used; a successful usage sync makes "unused" decidable.
  await runSync(graph, { source: 'aws-usage', scope: ACCT, mode: 'append', progress: false }, (sink) =>
    sink.write({ nodes: [node('AWSAction', 's3:getobject', { sensitivity: 'data-read' })], rels: [rel('DID_USE_ACTION', R('AWSRole', ids.role), R('AWSAction', 's3:getobject'), { lastSeen: T(30), count: 1, props: { granularity: 'action' } })] }),
  );
});
afterAll(async () => {
  await graph.close();
});

const targetsOf = async (subject: string, mode: Mode) => {
  const r = await blastRadius(graph, await resolveSubject(graph, subject), { mode, depth: 6, domains: ['identity', 'network', 'tools'] });
  return r.targets.map((t) => `${t.label} ${t.target}`).sort();
};

describe('subjects', () => {
  test('every form resolves to its node; unknown and ambiguous subjects fail listing candidates', async () => {
    expect(await resolveSubject(graph, ids.agent)).toMatchObject({ label: 'AIAgent', id: ids.agent });
    expect(await resolveSubject(graph, ids.pod)).toMatchObject({ label: 'K8sPod', id: ids.pod });
    expect(await resolveSubject(graph, `system:serviceaccount:ns:${P}-app`)).toMatchObject({ label: 'K8sServiceAccount', id: ids.sa });
    expect(await resolveSubject(graph, ids.role)).toMatchObject({ label: 'AWSRole', id: ids.role });
    expect(await resolveSubject(graph, ids.w)).toMatchObject({ label: 'Workload', id: ids.w });
    // NS/NAME and NS/KIND/NAME: "ns" is shared by every run of this file, so the short forms are ambiguous
    // here as soon as another estate exists; the error must list this estate's candidate.
    await expect(resolveSubject(graph, `${P}-nope`)).rejects.toThrow(/no such subject/);
    const short = await resolveSubject(graph, 'ns/deployment/app').catch((e: Error) => e);
    if (short instanceof Error) expect(short.message).toContain(ids.deploy);
    else expect(short).toMatchObject({ label: 'K8sWorkload', id: ids.deploy });
  });
});

describe('blast radius on the planted estate', () => {
  const identity = [`AWSResource *`, `AWSResource ${ids.bucket}`, `AWSRole ${ids.admin}`, `AWSS3Bucket ${ids.s3}`];
  const observed = [`AWSAction s3:getobject`, `File ${ids.creds}`, `File ${ids.model}`, `K8sPod ${ids.cachePod}`, `K8sPod ${ids.dbPod}`];
  const declaredNet = [`IPBlock ${ids.cidr}`, `K8sWorkload ${ids.db}`];
  const tools = [`InferenceServer ${ids.inference}`, `MCPTool ${ids.tool}`];

  test('both: every planted target and nothing else', async () => {
    expect(await targetsOf(ids.agent, 'both')).toEqual([...identity, ...observed, ...declaredNet, ...tools].sort());
  });
  test('declared: no observed-only target', async () => {
    expect(await targetsOf(ids.agent, 'declared')).toEqual([...identity, ...declaredNet, ...tools].sort());
  });
  test('observed: only targets with a DID_ hop on the path', async () => {
    expect(await targetsOf(ids.agent, 'observed')).toEqual([...observed].sort());
  });
  test('the evidence path runs from the subject through the joins, each hop typed', async () => {
    const r = await blastRadius(graph, await resolveSubject(graph, ids.agent), { mode: 'both', depth: 6, domains: ['identity'] });
    const admin = r.targets.find((t) => t.target === ids.admin)!;
    expect(admin.kind).toBe('admin-identity');
    expect(admin.path.map((h) => `${h.type}:${h.to}`)).toEqual([`RUNS_ON:${ids.deploy}`, `OWNED_BY:${ids.deploy}`, `OWNED_BY:${ids.rs}`, `RUNS_AS:${ids.sa}`, `MAY_ASSUME:${ids.role}`, `MAY_ESCALATE_TO:${ids.admin}`]);
    expect(admin.path.at(-1)!.props).toMatchObject({ method: 'iam-001' });
    expect(admin.hops).toBe(1);
  });
  test('depth bounds the path: at depth 1 the admin role\'s grants are out of reach', async () => {
    const r = await blastRadius(graph, await resolveSubject(graph, ids.agent), { mode: 'declared', depth: 1, domains: ['identity'] });
    expect(r.targets.map((t) => t.target).sort()).toEqual([ids.admin, ids.bucket].sort());
  });
  test('a grant pattern reaches the inventoried resource it matches (MATCHES_RESOURCE), a crown jewel', async () => {
    const r = await blastRadius(graph, await resolveSubject(graph, ids.agent), { mode: 'declared', depth: 6, domains: ['identity'] });
    expect(r.targets.find((t) => t.target === ids.s3)).toMatchObject({ kind: 'crown-jewel-customer-data', criticality: 9 });
    expect(r.targets.find((t) => t.target === ids.s3)!.path.slice(-2).map((h) => h.type)).toEqual(['MAY_ACCESS', 'MATCHES_RESOURCE']);
  });
  test('the agent\'s blast radius is a superset of its pod\'s', async () => {
    for (const mode of ['declared', 'observed', 'both'] as const) {
      const agent = new Set(await targetsOf(ids.agent, mode));
      const pod = await targetsOf(ids.pod, mode);
      expect(pod.filter((t) => !agent.has(t))).toEqual([]);
    }
  });
});

describe('gaps on the planted estate', () => {
  test('full coverage: unused grants are "unused", undeclared behaviour is listed, with the window', async () => {
    const g = await gaps(graph, await resolveSubject(graph, ids.agent));
    expect(g.window).toEqual({ from: T(0), to: T(60) });
    expect(g.completeness.network).toEqual({ complete: true });
    expect(g.grantedUnused.filter((x) => x.domain !== 'tools').map((x) => `${x.domain} ${x.grant} ${x.status}`)).toEqual([
      `iam s3:putobject unused`,
      `network ${ids.deploy} -> ${ids.cidr} TCP/443 unused`,
    ]);
    expect(g.grantedUnused.filter((x) => x.domain === 'tools').map((x) => `${x.grant} ${x.status}`)).toEqual([`${ids.tool} unknown`]);
    expect(g.doneUndeclared.map((x) => `${x.domain} ${x.observed}`)).toEqual([`files ${ids.creds}`, `network ${ids.cacheEp}/TCP`]);
  });
  test('partial coverage (events lost): the same kind of grant is "unknown", not "unused"', async () => {
    const g = await gaps(graph, await resolveSubject(graph, ids.agent2));
    expect(g.completeness.network.complete).toBe(false);
    expect(g.completeness.network.reason).toContain(ids.cov2);
    expect(g.grantedUnused.map((x) => `${x.domain} ${x.grant} ${x.status}`)).toEqual([`network ${ids.pod2} -> ${ids.cidr} TCP/443 unknown`]);
    expect(g.doneUndeclared.map((x) => `${x.domain} ${x.observed}`)).toEqual([`network ${ids.extEp}/TCP`]);
  });
  test('a window reaching past the coverage makes full coverage partial: unknown', async () => {
    const g = await gaps(graph, await resolveSubject(graph, ids.agent), { since: T(-60) });
    expect(g.completeness.network.complete).toBe(false);
    expect(g.grantedUnused.filter((x) => x.domain === 'network').map((x) => x.status)).toEqual(['unknown']);
  });
});

describe('attack paths and tags', () => {
  test('k shortest paths from a subject to a node, through its joins', async () => {
    const r = await attackPaths(graph, { from: ids.agent, to: ids.admin, k: 2, maxHops: 6 });
    expect(r.paths.map((p) => [p.entry, p.target, p.length, p.path.map((h) => h.type)])).toEqual([[ids.agent, ids.admin, 6, ['RUNS_ON', 'OWNED_BY', 'OWNED_BY', 'RUNS_AS', 'MAY_ASSUME', 'MAY_ESCALATE_TO']]]);
  });
  test('a tagged entry starts paths; a tagged crown jewel becomes a target; untag undoes both', async () => {
    expect(await setTag(graph, ids.pod2, 'entry', true)).toEqual({ id: ids.pod2, riskTags: ['entry'] });
    expect(await setTag(graph, ids.cachePod, 'crown-jewel', true)).toEqual({ id: ids.cachePod, riskTags: ['crown-jewel'] });
    const r = await attackPaths(graph, { to: ids.cidr, k: 1, maxHops: 4 });
    expect(r.entries).toContainEqual({ label: 'K8sPod', id: ids.pod2, reason: 'tagged entry' });
    expect(r.paths.filter((p) => p.entry === ids.pod2).map((p) => p.path.map((h) => `${h.type}>${h.to}`))).toEqual([[`MAY_CONNECT>${ids.cidr}`]]);
    const br = await blastRadius(graph, await resolveSubject(graph, ids.agent), { mode: 'observed', depth: 6, domains: ['network'] });
    expect(br.targets.find((t) => t.target === ids.cachePod)).toMatchObject({ kind: 'crown-jewel', criticality: 10 });
    await setTag(graph, ids.pod2, 'entry', false);
    expect(await setTag(graph, ids.cachePod, 'crown-jewel', false)).toEqual({ id: ids.cachePod, riskTags: [] });
    const again = await attackPaths(graph, { to: ids.cidr, k: 1, maxHops: 4 });
    expect(again.entries.map((e) => e.id)).not.toContain(ids.pod2);
    await expect(setTag(graph, ids.cachePod, 'vip', true)).rejects.toThrow(/TAG: must be entry or crown-jewel/);
  });
});

describe('findings on the planted estate', () => {
  test('exactly the planted findings, ranked by runtime-weighted priority; the SARIF validates', async () => {
    const r = await findings(graph, { subject: ids.agent });
    expect(r.findings.map((f) => [f.ruleId, f.target, f.exercised, f.priority])).toEqual([
      ['RG-001', ids.admin, true, 100],
      ['RG-005', ids.creds, true, 75],
      ['RG-003', ids.tool, false, 30],
    ]);
    const validate = sarifValidator();
    const log = toSarif(r.catalog, r.findings, '0.1.0');
    expect({ valid: validate(log), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
  });
  test('a subject that is an entry point ranks above the same finding without one', async () => {
    await setTag(graph, ids.agent, 'entry', true);
    try {
      const r = await findings(graph, { subject: ids.agent });
      expect(r.findings.find((f) => f.ruleId === 'RG-003')).toMatchObject({ entry: true, priority: 38 });
    } finally {
      await setTag(graph, ids.agent, 'entry', false);
    }
  });
});

describe('least privilege from behaviour', () => {
  test('IAM: only the used action, on the resources its grant named; the unused one in the diff (the subject\'s own roles only)', async () => {
    const r = (await leastPrivilege(graph, await resolveSubject(graph, ids.agent), 'iam')) as { principals: unknown[] };
    expect(r.principals).toEqual([
      { principal: ids.role, policy: { Version: '2012-10-17', Statement: [{ Sid: 'Observed1', Effect: 'Allow', Action: ['s3:getobject'], Resource: [ids.bucket] }] }, diff: { keep: ['s3:getobject'], remove: ['s3:putobject'], review: [] } },
    ]);
  });
  test('NetworkPolicy: exactly the observed peers and ports, stable labels only, DNS kept', async () => {
    const r = (await leastPrivilege(graph, await resolveSubject(graph, ids.agent), 'netpol')) as { policies: unknown[]; completeness: unknown };
    expect(r.completeness).toEqual({ complete: true });
    expect(r.policies).toEqual([
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'app-egress-observed', namespace: 'ns' },
        spec: {
          podSelector: { matchLabels: { app: 'app' } },
          policyTypes: ['Egress'],
          egress: [
            { to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432, protocol: 'TCP' }] },
            { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } }, podSelector: { matchLabels: { app: 'cache' } } }], ports: [{ port: 6379, protocol: 'TCP' }] },
            { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
          ],
        },
      },
    ]);
  });
  test('RBAC: no audit evidence for the cluster, so no Role is generated, nothing is called unused, and the answer says why', async () => {
    const r = (await leastPrivilege(graph, await resolveSubject(graph, ids.agent), 'rbac')) as { serviceAccounts: { serviceAccount: string; manifests: unknown[]; windows: unknown[]; diff: { remove: { status: string }[]; review: { reason: string }[] } }[] };
    expect(r.serviceAccounts.map((s) => s.serviceAccount)).toEqual([ids.sa]);
    expect(r.serviceAccounts[0]!).toMatchObject({ manifests: [], windows: [] });
    expect(r.serviceAccounts[0]!.diff.remove.filter((x) => x.status !== 'unknown')).toEqual([]);
    expect(r.serviceAccounts[0]!.diff.review.map((x) => x.reason)).toEqual([expect.stringContaining('no Kubernetes audit evidence')]);
  });
});

describe('the CLI verbs (built dist/)', () => {
  const cli = (...args: string[]) => {
    useTestEnv();
    const r = spawnSync(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js'), ...args], { encoding: 'utf8', env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn' } });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  test('blast-radius --format json, gaps --format json, findings --format sarif', () => {
    const br = cli('blast-radius', ids.agent, '--mode', 'observed', '--domain', 'identity', '--format', 'json');
    expect(br.err).toBe('');
    expect((JSON.parse(br.out) as { targets: { target: string }[] }).targets.map((t) => t.target).sort()).toEqual(['s3:getobject', ids.creds, ids.model].sort());
    const g = cli('gaps', ids.agent2, '--format', 'json');
    expect((JSON.parse(g.out) as { grantedUnused: { status: string }[] }).grantedUnused.map((x) => x.status)).toEqual(['unknown']);
    const sarif = cli('findings', '--subject', ids.agent, '--format', 'sarif');
    const validate = sarifValidator();
    expect(validate(JSON.parse(sarif.out))).toBe(true);
  });
  test('bad input: unknown subject, bad mode and depth are errors naming the input, exit 2', () => {
    const r = cli('gaps', `${P}-nobody`);
    expect([r.code, r.err.trim()]).toEqual([2, `reachgraph: SUBJECT "${P}-nobody": no such subject in the graph; give an AIAgent id, a pod NS/NAME, a workload NS/KIND/NAME, a service account system:serviceaccount:NS:NAME, an IAM user or role ARN, or a sensor Workload id`]);
    expect(cli('blast-radius', ids.agent, '--mode', 'maybe').err).toMatch(/--mode: must be one of declared, observed, both, got "maybe"/);
    expect(cli('blast-radius', ids.agent, '--depth', '11').err).toMatch(/--depth: must be an integer from 1 to 10, got "11"/);
    expect(cli('paths', '--to-crown-jewels', '--k', '9').err).toMatch(/--k: must be an integer from 1 to 8/);
  });
});

describe('blast radius laws (fast-check, real Neo4j)', () => {
  // Random small identity graphs: roles r0..r4 (r0 the subject), secrets s0..s2, one used action.
  const edge = fc.record({ kind: fc.constantFrom('assume', 'escalate', 'access', 'use'), a: fc.integer({ min: 0, max: 4 }), b: fc.integer({ min: 0, max: 4 }) });
  type Edge = { kind: string; a: number; b: number };
  const roleOf = (scope: string) => (i: number) => R('AWSRole', `arn:aws:iam::${ACCT}:role/${scope}-r${i}`);
  /** The roles, their random edges and the two actions of one scope's identity graph. */
  const identityGraph = (scope: string, edges: readonly Edge[]) => {
    const role = roleOf(scope);
    const nodes = [0, 1, 2, 3, 4].map((i) => node('AWSRole', role(i).id, {}));
    const rels = edges.map((e) =>
      e.kind === 'assume'
        ? rel('MAY_ASSUME', role(e.a), role(e.b), { props: { via: 'trust' } })
        : e.kind === 'escalate'
          ? rel('MAY_ESCALATE_TO', role(e.a), role(e.b), { key: 'm', props: { method: 'm' } })
          : e.kind === 'access'
            ? rel('MAY_ACCESS', role(e.a), R('K8sSecret', `${scope}/ns/s${e.b % 3}`))
            : rel('DID_USE_ACTION', role(e.a), R('AWSAction', `${scope}:action${e.b % 2}`), { count: 1, lastSeen: T(1) }),
    );
    nodes.push(node('AWSAction', `${scope}:action0`, { sensitivity: 'secrets-read' }), node('AWSAction', `${scope}:action1`, { sensitivity: 'admin' }));
    return { nodes, rels };
  };
  const load = async (scope: string, edges: Edge[]) => {
    const role = roleOf(scope);
    await runSync(graph, { source: 'test-risk-law', scope, progress: false }, (sink) => sink.write(identityGraph(scope, edges)));
    return role(0).id;
  };
  const reach = async (subject: string, mode: Mode) => (await blastRadius(graph, { label: 'AWSRole', id: subject, name: subject }, { mode, depth: 6, domains: ['identity'] })).targets.map((t) => t.target).sort();

  test('adding a declared edge never shrinks a blast radius; observed never reaches what both does not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edge, { maxLength: 8 }), edge.filter((e) => e.kind !== 'use'), async (edges, extra) => {
        const s1 = await load(uniqueScope('law'), edges);
        const s2 = await load(uniqueScope('law'), [...edges, extra]);
        const before = await reach(s1, 'both');
        const after = new Set(await reach(s2, 'both'));
        // ids differ per scope: compare the suffixes after the scope.
        const strip = (id: string) => id.replace(/law-[0-9a-f]{10}/, 'S');
        const afterStripped = new Set([...after].map(strip));
        expect(before.map(strip).filter((t) => !afterStripped.has(t))).toEqual([]);
        const both = new Set(before);
        expect((await reach(s1, 'observed')).filter((t) => !both.has(t))).toEqual([]);
      }),
      { numRuns: 12 },
    );
  });
  // Random deployments: an agent runs on a Deployment whose 1–3 pods each run as one of two service
  // accounts, with random IRSA links, role edges, observed secret reads and egress grants per pod.
  const podFacts = fc.record({ sa: fc.integer({ min: 0, max: 1 }), reads: fc.boolean(), egress: fc.boolean() });
  const saFacts = fc.record({ irsa: fc.integer({ min: -1, max: 4 }) });
  test('an agent\'s blast radius is a superset of each of its pods\' in every mode', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(podFacts, { minLength: 1, maxLength: 3 }), fc.tuple(saFacts, saFacts), fc.array(edge, { maxLength: 6 }), async (pods, sas, edges) => {
        const scope = uniqueScope('law');
        const role = roleOf(scope);
        const deploy = R('K8sWorkload', `${scope}/ns/Deployment/app`);
        const rs = R('K8sWorkload', `${scope}/ns/ReplicaSet/app-1`);
        const agent = R('AIAgent', `${scope}-agent`);
        const nodes: NodeRecord[] = [node('AIAgent', agent.id, { name: 'a' }), node('K8sWorkload', deploy.id, { name: 'app', namespace: 'ns', kind: 'Deployment', cluster: scope }), node('K8sWorkload', rs.id, { name: 'app-1', namespace: 'ns', kind: 'ReplicaSet', cluster: scope })];
        const rels: RelRecord[] = [rel('RUNS_ON', agent, deploy), rel('OWNED_BY', rs, deploy)];
        sas.forEach((sa, i) => {
          const ref = R('K8sServiceAccount', `${scope}/ns/sa${i}`);
          nodes.push(node('K8sServiceAccount', ref.id, { name: `sa${i}`, namespace: 'ns', cluster: scope }));
          if (sa.irsa >= 0) rels.push(rel('MAY_ASSUME', ref, role(sa.irsa), { props: { via: 'irsa' } }));
        });
        pods.forEach((p, i) => {
          const pod = R('K8sPod', `${scope}/ns/app-1-p${i}`);
          const w = R('Workload', `${scope}-host/pod/${pod.id}`);
          nodes.push(node('K8sPod', pod.id, { name: `app-1-p${i}`, namespace: 'ns', cluster: scope }), node('Workload', w.id, { kind: 'pod', name: pod.id }));
          rels.push(rel('OWNED_BY', pod, rs), rel('RUNS_AS', pod, R('K8sServiceAccount', `${scope}/ns/sa${p.sa}`)), rel('PART_OF', w, pod));
          if (p.reads) rels.push(rel('DID_OPEN', w, R('File', `${scope}/creds${i}`), { firstSeen: T(1), lastSeen: T(2), count: 1, key: 'py', props: { class: 'credential' } }));
          if (p.egress) rels.push(rel('MAY_CONNECT', pod, R('IPBlock', `${scope}-cidr${i}`), { key: 'TCP/443', props: { protocol: 'TCP', port: 443, endPort: 443 } }));
        });
        for (let i = 0; i < pods.length; i++) if (pods[i]!.reads) nodes.push(node('File', `${scope}/creds${i}`, { class: 'credential' }));
        const ids = identityGraph(scope, edges);
        nodes.push(...ids.nodes);
        rels.push(...ids.rels);
        await runSync(graph, { source: 'test-risk-law', scope, progress: false }, (sink) => sink.write({ nodes, rels }));
        const of = async (label: string, id: string, mode: Mode) => (await blastRadius(graph, { label, id, name: id }, { mode, depth: 6, domains: ['identity', 'network', 'tools'] })).targets.map((t) => `${t.label} ${t.target}`);
        for (const mode of ['declared', 'observed', 'both'] as const) {
          const whole = new Set(await of('AIAgent', agent.id, mode));
          for (let i = 0; i < pods.length; i++) expect((await of('K8sPod', `${scope}/ns/app-1-p${i}`, mode)).filter((t) => !whole.has(t))).toEqual([]);
        }
      }),
      { numRuns: 8 },
    );
  });
});
