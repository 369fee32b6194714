/**
 * Baselines and drift against the real Neo4j, on recorded observation files: each recording is what
 * `reachgraph sensor record` writes (a sync header, then the ObservationBuilder's records for native
 * batches), replayed with the ingest core's file path. A pod's agent learns a baseline, is locked, then
 * spawns a shell and curl that read a credential file and connect somewhere new (plus one connect seen
 * only in a window that lost events); after a recorded image-digest change of its pod, new edges of the
 * same kinds are explained. Exact expected events.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pruneLineage } from '../../src/behavior/retention.js';
import { signBody } from '../../src/behavior/webhook.js';
import { detect, learn, listDrift, listDriftSummaries, lock, relearn, showBaseline } from '../../src/behavior/store.js';
import type { Graph } from '../../src/graph/driver.js';
import { ingestFile } from '../../src/graph/ingest-file.js';
import { node, rel } from '../../src/graph/records.js';
import { projectRoot } from '../../src/paths.js';
import { Attributor } from '../../src/sensor/attribution.js';
import type { NativeBatch, NativeExecEvent, NativeFlow, NativeOpen } from '../../src/sensor/native.js';
import { ObservationBuilder } from '../../src/sensor/observations.js';
import { ExeResolver } from '../../src/sensor/procfs.js';
import { DEFAULT_FILE_RULES } from '../../src/sensor/rules.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';

let graph: Graph;
const P = uniqueScope('behavior');
const HOST = `${P}-node`;
const POD = `${P}/agents/agent-0`;
const W = `${HOST}/pod/${POD}`;
const CID = 'b'.repeat(64);
const T0 = Date.parse('2026-11-20T09:00:00Z');
const S = 1000;
const M = 60 * S;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-behavior-'));

const PY = { exeDev: 1, exeIno: '700', path: '/usr/bin/python3', pid: 100, start: '7000000000' };
const SH = { exeDev: 1, exeIno: '701', path: '/bin/sh', pid: 200, start: '8000000000' };
const CURL = { exeDev: 1, exeIno: '702', path: '/usr/bin/curl', pid: 201, start: '8100000000' };
const MAKE = { exeDev: 1, exeIno: '703', path: '/usr/bin/make', pid: 300, start: '9000000000' };
const CC = { exeDev: 1, exeIno: '704', path: '/usr/bin/cc', pid: 301, start: '9100000000' };
type Proc = typeof PY;

const exec = (p: Proc, parent: Proc | { pid: number; start: string }, time: number, argv: string[]): NativeExecEvent => ({
  op: 'exec', time, pid: p.pid, ppid: parent.pid, uid: 0, tag: 0, start: p.start, pstart: parent.start, cgroupId: '77', exeIno: p.exeIno, exeDev: p.exeDev,
  comm: p.path.split('/').pop()!, path: p.path, argv, argvTruncated: false,
});
const connect = (p: Proc, port: number, first: number, count = 1): NativeFlow => ({
  exeDev: p.exeDev, exeIno: p.exeIno, lastPid: p.pid, comm: p.path.split('/').pop()!, cgroupId: '77', tag: 0, dir: 'connect', family: 4, protocol: 'TCP', remote: '127.0.0.1', local: '127.0.0.1', port, count, first, last: first,
});
const rule = (suffix: string) => DEFAULT_FILE_RULES.findIndex((r) => r.suffix === suffix);
const open = (p: Proc, file: string, suffix: string, first: number): NativeOpen => ({
  exeDev: p.exeDev, exeIno: p.exeIno, lastPid: p.pid, comm: p.path.split('/').pop()!, cgroupId: '77', tag: 0, path: file, rule: rule(suffix), count: 1, first, last: first,
});
const batch = (from: number, to: number, over: Partial<NativeBatch> = {}): NativeBatch => ({ events: [], flows: [], opens: [], dns: [], window: { from, to }, counters: {}, ...over });

/** Writes what `sensor record` writes for these native batches, and ingests the file. */
async function recordAndIngest(name: string, batches: NativeBatch[]): Promise<void> {
  const syncId = `sensor:${HOST}:${name}`;
  const attributor = new Attributor({
    host: HOST,
    cgroups: { pathOf: (id) => (id === '77' ? `/kubepods.slice/kubepods-pod3f2504e0_4f89_11d3_9a0c_0305e82c3301.slice/cri-containerd-${CID}.scope` : undefined) },
    podLookup: async (rows) => new Map(rows.map((r) => [r.key, POD])),
  });
  // the pids are not this machine's: an ExeResolver that never reads /proc keeps the recording deterministic
  const exes = new ExeResolver();
  for (const p of [PY, SH, CURL, MAKE, CC]) exes.learn(p.exeDev, p.exeIno, p.path);
  const b = new ObservationBuilder({ host: HOST, syncId, probes: ['exec', 'net', 'dns', 'files'], rules: DEFAULT_FILE_RULES, attributor, exes });
  const file = path.join(dir, `${name}.jsonl`);
  const lines = [JSON.stringify({ kind: 'sync', source: 'sensor', scope: HOST, syncId, mode: 'append' })];
  for (const nb of batches) {
    const out = await b.build(nb);
    lines.push(...[...out.nodes, ...out.rels].map((r) => JSON.stringify(r)));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  await ingestFile(graph, file, { progress: false });
}

async function ingestRecords(name: string, records: unknown[]): Promise<void> {
  const file = path.join(dir, `${name}.jsonl`);
  fs.writeFileSync(file, [JSON.stringify({ kind: 'sync', source: 'test-behavior', scope: `${P}-${name}`, syncId: `${P}-${name}-1` }), ...records.map((r) => JSON.stringify(r))].join('\n') + '\n');
  await ingestFile(graph, file, { progress: false });
}

const brief = (e: { kind: string; target: string; severity: { level: string; score: number }; certainty: string; classification: { classification: string; explainedBy?: { id: string } }; count: number }) => [
  e.kind,
  e.target,
  e.count,
  e.severity.level,
  e.certainty,
  e.classification.classification === 'explained' ? `explained:${e.classification.explainedBy!.id}` : 'unexplained',
];

beforeAll(async () => {
  graph = await testGraph();
  await ingestRecords('k8s', [{ kind: 'node', label: 'K8sPod', id: POD, props: { name: 'agent-0', namespace: 'agents', cluster: P } }]);
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await graph.close();
});

describe('baselines and drift on recorded observation files', () => {
  test('learn: the baseline holds exactly what the pod did in the window, with full coverage; learning yields no drift', async () => {
    await recordAndIngest('learn', [
      batch(T0, T0 + M, {
        events: [exec(PY, { pid: 1, start: '100' }, T0 + S, ['python3', 'agent.py'])],
        flows: [connect(PY, 8080, T0 + 2 * S, 5)],
        dns: [{ exeDev: PY.exeDev, exeIno: PY.exeIno, lastPid: PY.pid, comm: 'python3', cgroupId: '77', tag: 0, qtype: 1, name: 'api.example.com', answers: ['127.0.0.1'], count: 2, first: T0 + 2 * S, last: T0 + 3 * S }],
      }),
      batch(T0 + M, T0 + 2 * M),
    ]);
    const b = await learn(graph, W, { from: T0, windowMs: 2 * M, now: T0 + 3 * M });
    expect(b.entries.map((e) => [e.kind, e.target, e.count])).toEqual([
      ['connect', '127.0.0.1:8080', 5],
      ['exec', '/usr/bin/python3', 1],
      ['resolve', 'api.example.com', 2],
    ]);
    const shown = await showBaseline(graph, W);
    expect([shown.state, shown.version, shown.props.coverageComplete, shown.props.coverageWindows, shown.props.entryCount]).toEqual(['learning', 1, true, 2, 3]);
    expect(await detect(graph, { subject: W, now: T0 + 3 * M })).toEqual([{ subject: W, events: [], suppressed: { total: 0, byKind: {} } }]);
  });

  test('drift: after lock, a shell, curl, a credential read and new destinations are drift with lineage; a connect seen only in a lossy window is uncertain', async () => {
    expect((await lock(graph, W, T0 + 4 * M)).state).toBe('locked');
    await recordAndIngest('drift', [
      batch(T0 + 10 * M, T0 + 11 * M, {
        events: [exec(SH, PY, T0 + 10 * M + S, ['sh', '-c', 'curl ...']), exec(CURL, SH, T0 + 10 * M + 2 * S, ['curl', '-s', 'http://127.0.0.1:9999/'])],
        flows: [connect(CURL, 9999, T0 + 10 * M + 5 * S), connect(PY, 8080, T0 + 10 * M + 6 * S, 3)],
        opens: [open(CURL, '/root/.aws/credentials', '/.aws/credentials', T0 + 10 * M + 4 * S)],
      }),
      batch(T0 + 11 * M, T0 + 12 * M, { flows: [connect(PY, 7777, T0 + 11 * M + 30 * S)], counters: { execLost: 1 } }),
    ]);
    const [r] = await detect(graph, { subject: W, now: T0 + 13 * M });
    expect(r!.events.map(brief)).toEqual([
      ['open', '/root/.aws/credentials', 1, 'critical', 'certain', 'unexplained'],
      ['exec', '/bin/sh', 1, 'high', 'certain', 'unexplained'],
      ['exec', '/usr/bin/curl', 1, 'medium', 'certain', 'unexplained'],
      ['connect', '127.0.0.1:9999', 1, 'low', 'certain', 'unexplained'],
      ['connect', '127.0.0.1:7777', 1, 'low', 'uncertain', 'unexplained'],
    ]);
    const cred = r!.events[0]!;
    expect(cred.created).toBe(true);
    expect(cred.lineage).toEqual([`201 /usr/bin/curl curl -s http://127.0.0.1:9999/`, `200 /bin/sh sh -c curl ...`, `100 /usr/bin/python3 python3 agent.py`]);
    expect(cred.coverage).toMatchObject({ windows: [`${HOST}/sensor:${HOST}:drift/w0`], lostWindows: 0 });
    expect(r!.events[4]!.reasons).toEqual(['seen only in a coverage gap (no complete window watched it)']);
    expect(r!.events[4]!.coverage.lostWindows).toBe(1);

    // Cypher reads them: the event, its evidence processes, its window and its target.
    const rows = await graph.readText(
      `MATCH (d:DriftEvent {id: $id})-[:DRIFT_OF]->(w:Workload) MATCH (d)-[:DRIFT_TARGET]->(f:File)
       RETURN w.id AS w, f.id AS f, d.severity AS severity, d.classification AS classification, d.certainty AS certainty,
              [(d)-[:EVIDENCED_BY]->(p:Process) | p.pid] AS pids, [(d)-[:IN_WINDOW]->(c:Coverage) | c.lost] AS windows`,
      { id: cred.id },
      'test',
    );
    expect(rows.map((x) => ({ ...x, pids: (x.pids as number[]).sort() }))).toEqual([{ w: W, f: '/root/.aws/credentials', severity: 'critical', classification: 'unexplained', certainty: 'certain', pids: [100, 200, 201], windows: [false] }]);

    // Measuring again changes nothing: same events, none new.
    const [again] = await detect(graph, { subject: W, now: T0 + 14 * M });
    expect(again!.events.map((e) => [e.id, e.created])).toEqual(r!.events.map((e) => [e.id, false]));
    expect((await listDrift(graph, { subject: W })).length).toBe(5);
  });

  test('classification: drift within the correlation window after a recorded image-digest change of the pod is explained; earlier drift stays unexplained', async () => {
    const change = `${P}/image/sha256:bbbb`;
    await ingestRecords('change', [
      node('StateChange', change, { kind: 'image', at: new Date(T0 + 20 * M).toISOString(), before: 'sha256:aaaa', after: 'sha256:bbbb', container: 'agent' }),
      rel('CHANGED', { label: 'StateChange', id: change }, { label: 'K8sPod', id: POD }),
    ].map((r) => ({ ...r })));
    await recordAndIngest('after-change', [
      batch(T0 + 20 * M, T0 + 21 * M, {
        flows: [connect(PY, 6666, T0 + 20 * M + 10 * S)],
        opens: [open(PY, '/root/.kube/config', '/.kube/config', T0 + 20 * M + 20 * S)],
      }),
    ]);
    const [r] = await detect(graph, { subject: W, now: T0 + 22 * M, correlationMs: 60 * M });
    expect(r!.events.filter((e) => e.created).map(brief)).toEqual([
      ['open', '/root/.kube/config', 1, 'critical', 'certain', `explained:${change}`],
      ['connect', '127.0.0.1:6666', 1, 'low', 'certain', `explained:${change}`],
    ]);
    expect(r!.events.filter((e) => !e.created).every((e) => e.classification.classification === 'unexplained')).toBe(true);
    const linked = await graph.readText('MATCH (d:DriftEvent {subject: $w})-[:EXPLAINED_BY]->(c:StateChange) RETURN d.target AS t, c.id AS c ORDER BY t', { w: W }, 'test');
    expect(linked).toEqual([
      { t: '/root/.kube/config', c: change },
      { t: '127.0.0.1:6666', c: change },
    ]);
  });

  test('relearn: one command makes the accepted behaviour normal (next version, locked); a window with lost events says so', async () => {
    const b = await relearn(graph, W, { windowMs: 30 * M, now: T0 + 22 * M });
    expect([b.state, b.version, b.entries.length]).toEqual(['locked', 2, 10]);
    const shown = await showBaseline(graph, W);
    expect(shown.props.coverageComplete).toBe(false);
    expect((shown.props.coverageGaps as string[]).some((g) => /window .*drift\/w1 lost events/.test(g))).toBe(true);
    const [r] = await detect(graph, { subject: W, now: T0 + 23 * M });
    expect(r!.events).toEqual([]);
    await expect(learn(graph, W, { windowMs: M })).rejects.toThrow(/is locked \(version 2\); use `reachgraph baseline relearn/);
  });

  test('the CLI prints the stored drift and refuses an unknown subject naming it', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js'), ...args], { encoding: 'utf8', env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn' } });
    const ok = cli('drift', '--agent', W, '--format', 'json');
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout)).toEqual([{ subject: W, events: [], suppressed: { total: 0, byKind: {} } }]);
    const show = cli('baseline', 'show', W, '--format', 'json');
    expect(JSON.parse(show.stdout)).toMatchObject({ subject: W, state: 'locked', version: 2 });
    const bad = cli('baseline', 'show', `${P}-nope`);
    expect([bad.status, bad.stderr]).toEqual([2, `reachgraph: SUBJECT "${P}-nope": no sensor Workload, AWS role, AWS user or AI agent has this id, and no agent Workload this name (list workloads with \`reachgraph cypher "MATCH (w:Workload) RETURN w.id"\`)\n`]);
  });

  test('drift --follow prints each new event once and delivers it to a webhook, signed', async () => {
    const got: { body: string; sig: string; ts: string }[] = [];
    const srv = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        got.push({ body, sig: String(req.headers['x-reachgraph-signature']), ts: String(req.headers['x-reachgraph-timestamp']) });
        res.end();
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/drift`;
    const child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js'), 'drift', '--follow', '--agent', W, '--interval', '300ms', '--format', 'json', '--webhook', url], {
      env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn', REACHGRAPH_WEBHOOK_SECRET: 'test-secret' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const waitFor = async (cond: () => boolean) => {
      for (let i = 0; i < 600 && !cond(); i++) await new Promise((r) => setTimeout(r, 100));
    };
    await recordAndIngest('follow', [batch(T0 + 25 * M, T0 + 26 * M, { flows: [connect(PY, 5555, T0 + 25 * M + S)] })]);
    await waitFor(() => out.includes('\n') && got.length > 0);
    await new Promise((r) => setTimeout(r, 1000)); // a few more polls: nothing is printed twice
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('exit', r));
    await new Promise<void>((r) => srv.close(() => r()));
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; target: string; classification: { classification: string } });
    expect(lines.map((l) => [l.kind, l.target, l.classification.classification])).toEqual([['connect', '127.0.0.1:5555', 'explained']]); // 5 minutes after the pod's image change
    expect([code, err]).toEqual([0, 'webhook: 1 delivered, 0 retries, 0 failed, 0 dropped\n']);
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0]!.body)).toMatchObject({ kind: 'connect', target: '127.0.0.1:5555' });
    expect(got[0]!.sig).toBe(signBody('test-secret', got[0]!.ts, got[0]!.body));
  });

  test('retention: lineage older than the window is pruned except behind drift; the (workload, executable, parent executable) aggregate stays', async () => {
    await recordAndIngest('build', [
      batch(T0 + 30 * M, T0 + 31 * M, {
        events: [exec(MAKE, PY, T0 + 30 * M + S, ['make']), exec(CC, MAKE, T0 + 30 * M + 2 * S, ['cc', '-c', 'x.c']), { op: 'exit', time: T0 + 30 * M + 3 * S, pid: CC.pid, tag: 0, start: CC.start, exitCode: 0 }],
      }),
    ]);
    const procs = () => graph.readText('MATCH (p:Process)-[:PART_OF]->(:Workload {id: $w}) RETURN p.pid AS pid ORDER BY pid', { w: W }, 'test').then((r) => r.map((x) => x.pid));
    expect(await procs()).toEqual([100, 200, 201, 300, 301]);
    // a window that still holds the build keeps it
    expect((await pruneLineage(graph, { host: HOST, retentionMs: 60 * M, now: T0 + 60 * M })).deleted).toBe(0);
    const r = await pruneLineage(graph, { host: HOST, retentionMs: 60 * M, now: T0 + 120 * M, batch: 1 });
    expect(r).toEqual({ deleted: 2, before: new Date(T0 + 60 * M).toISOString() });
    expect(await procs()).toEqual([100, 200, 201]);
    const agg = await graph.readText('MATCH (:Workload {id: $w})-[r:DID_EXEC]->(e:Executable {id: $cc}) RETURN r.parentExecutable AS parent, r.count AS count', { w: W, cc: CC.path }, 'test');
    expect(agg).toEqual([{ parent: MAKE.path, count: 1 }]);
  });

  test('demo estate: the laptop agent has a locked baseline and drift, two unexplained and one explained by its recorded MCP config change', async () => {
    const { part } = await import('../../src/demo/parts/runtime.js');
    await part.load(graph);
    await part.load(graph); // npm start again: same baseline, same events
    const claude = 'ada-laptop/agent/claude';
    expect((await showBaseline(graph, claude)).entries.map((e) => `${e.kind} ${e.target}`)).toEqual(['exec /usr/bin/node', 'open /Users/ada/.aws/credentials', 'resolve api.anthropic.com']);
    const ev = await listDrift(graph, { subject: claude });
    expect(ev.map((e) => [e.kind, e.target, e.severity, e.certainty, e.classification, e.explainedBy ?? null, e.lineage]).sort()).toEqual([
      ['connect', '203.0.113.50:4444', 'high', 'certain', 'unexplained', null, ['4711 /bin/sh sh -c nc 203.0.113.50 4444', '4242 /usr/bin/node node /usr/local/bin/claude']],
      ['exec', '/bin/sh', 'high', 'certain', 'unexplained', null, ['4711 /bin/sh sh -c nc 203.0.113.50 4444', '4242 /usr/bin/node node /usr/local/bin/claude']],
      ['resolve', 'mcp.sentry.dev', 'medium', 'certain', 'explained', 'ada-laptop/agent/claude/config/mcp-servers-2', ['4242 /usr/bin/node node /usr/local/bin/claude']],
    ]);
    // every run stores what the per-run cap left out: here nothing
    expect(await listDriftSummaries(graph, { subject: claude })).toMatchObject([{ subject: claude, baselineVersion: 1, outside: 3, written: 3, suppressed: 0 }]);
  });

  test('the API serves drift events to a reader, newest first, and refuses without a token', async () => {
    const { startApi } = await import('../../src/api/server.js');
    const { loadConfig } = await import('../../src/config.js');
    const token = 'behavior-test-token-0123456789';
    const api = await startApi(graph, loadConfig({ ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: token }));
    try {
      const gql = async (query: string, auth?: string) => {
        const res = await fetch(new URL('graphql', api.url), { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) }, body: JSON.stringify({ query }) });
        return (await res.json()) as { data?: { driftEvents: Record<string, unknown>[] }; errors?: { extensions?: { code?: string } }[] };
      };
      const q = '{ driftEvents(subject: "ada-laptop/agent/claude") { kind target severity classification explainedBy certainty lineage coverageLostWindows } }';
      const ok = await gql(q, token);
      expect(ok.errors).toBeUndefined();
      expect(ok.data!.driftEvents.map((e) => [e.kind, e.target, e.classification, e.explainedBy]).sort()).toEqual([
        ['connect', '203.0.113.50:4444', 'unexplained', null],
        ['exec', '/bin/sh', 'unexplained', null],
        ['resolve', 'mcp.sentry.dev', 'explained', 'ada-laptop/agent/claude/config/mcp-servers-2'],
      ]);
      expect((await gql(q)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await api.stop();
    }
  });
});
