/**
 * The runtime sensor against the real kernel (root; CI runs as root). Real processes exec a
 * child, connect over IPv4 and IPv6 to a loopback server, resolve a name through a local DNS
 * stub, open a planted credential file and a planted .safetensors file; every observation
 * must arrive with the right lineage and counts and land in the real Neo4j.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Graph } from '../../src/graph/driver.js';
import { ingestFile } from '../../src/graph/ingest-file.js';
import { recordSensorToFile, runSensorIntoGraph, type SensorRunSummary } from '../../src/sensor/run.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';
import { sensorUnavailable } from '../helpers/setup-status.js';
import { startDnsStub, type DnsStub } from './fixtures/dns-stub.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const why = sensorUnavailable();
const maybe = why ? describe.skip : describe;
if (why) console.log(`test/native/sensor.test.ts: skipped: ${why}`);

function ensureTracefs(): void {
  if (!fs.existsSync('/sys/kernel/tracing/events')) execFileSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing']);
}

interface Planted {
  dir: string;
  agentBin: string;
  cred: string;
  model: string;
}

/** A temp tree with a credential and a model file, and the node binary under an agent's name. */
function plant(agent: string): Planted {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rk-sensor-'));
  fs.mkdirSync(path.join(dir, 'home', '.aws'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'models'), { recursive: true });
  const cred = path.join(dir, 'home', '.aws', 'credentials');
  fs.writeFileSync(cred, '[default]\naws_access_key_id = planted-not-a-secret\n');
  const model = path.join(dir, 'models', 'tiny.safetensors');
  fs.writeFileSync(model, Buffer.alloc(64));
  const agentBin = path.join(dir, agent); // comm of the process = this file's name
  fs.symlinkSync(process.execPath, agentBin);
  return { dir, agentBin, cred, model };
}

function runWorkload(p: Planted, dnsPort: number, qname: string, v4: number, v6: number): Promise<{ pid: number; p4: number; p6: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(p.agentBin, [path.join(here, 'fixtures', 'workload.cjs'), String(dnsPort), qname, p.cred, p.model, String(v4), String(v6)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim())) : reject(new Error(`workload exited ${code}: ${err}`))));
  });
}

const n = (v: unknown) => Number(v ?? 0);

maybe('runtime sensor on the real kernel', () => {
  let graph: Graph;
  let stub: DnsStub;
  beforeAll(async () => {
    ensureTracefs();
    graph = await testGraph();
    stub = await startDnsStub('127.0.0.9');
  });
  afterAll(async () => {
    await stub?.close();
    await graph?.close();
  });

  test('given an agent workload, when it execs, connects, resolves and opens, then every observation lands in the graph with lineage and counts', async () => {
    // Given
    const host = uniqueScope('sensor-int');
    const agent = `rkag${Math.random().toString(36).slice(2, 8)}`;
    const planted = plant(agent);
    const qname = `${host}.agent-test.example`;
    let ports: { pid: number; p4: number; p6: number } | undefined;
    const ac = new AbortController();

    // When
    const { sync, run } = await runSensorIntoGraph(graph, {
      host,
      agent,
      windowMs: 300,
      ringBufferBytes: 4 << 20, // other test files may run bursts meanwhile: leave no room for loss
      dnsPorts: [stub.port],
      signal: ac.signal,
      onStarted: () => {
        runWorkload(planted, stub.port, qname, 3, 2)
          .then((p) => (ports = p))
          .catch((e: unknown) => console.error(e))
          .finally(() => setTimeout(() => ac.abort(), 700));
      },
    });

    // Then: the run itself
    expect(ports).toBeDefined();
    expect(sync.status).toBe('succeeded');
    expect(run.attached).toEqual(expect.arrayContaining(['exec', 'fork', 'exit', 'tcp_connect', 'accept4', 'dns_egress', 'dns_ingress', 'openat']));
    expect(run.windows).toBeGreaterThanOrEqual(2);
    expect(stub.questions).toContain(qname);

    const wl = `${host}/agent/${agent}`;
    const obs = await graph.read('queries/runtime/workload-observations', { workloadId: wl });
    const sum = (type: string, target: string) => obs.filter((r) => r.type === type && r.target === target).reduce((s, r) => s + n(r.count), 0);

    // TCP connect and accept, both families, exact counts
    expect(sum('DID_CONNECT', `127.0.0.1:${ports!.p4}`)).toBe(3);
    expect(sum('DID_CONNECT', `[::1]:${ports!.p6}`)).toBe(2);
    expect(sum('DID_ACCEPT', '127.0.0.1')).toBeGreaterThanOrEqual(3);
    expect(sum('DID_ACCEPT', '[::1]')).toBeGreaterThanOrEqual(2);
    const accept4 = obs.find((r) => r.type === 'DID_ACCEPT' && r.target === '127.0.0.1' && String(r.key).endsWith(`|${ports!.p4}/TCP`));
    expect(n(accept4?.count)).toBe(3);
    const connect = obs.find((r) => r.type === 'DID_CONNECT' && r.target === `127.0.0.1:${ports!.p4}`)!;
    expect((connect.props as Record<string, unknown>).executable).toBe(planted.agentBin);
    expect((connect.props as Record<string, unknown>).localAddress).toBe('127.0.0.1');

    // DNS question and answer
    const dns = obs.find((r) => r.type === 'DID_RESOLVE' && r.target === qname);
    expect(dns).toBeDefined();
    expect(n(dns!.count)).toBe(1);
    expect((dns!.props as { qtype: string; answers: string[] }).qtype).toBe('A');
    expect((dns!.props as { answers: string[] }).answers).toContain('127.0.0.9');

    // Watched files: the model opened twice by the agent, the credential once by its child cat
    expect(sum('DID_OPEN', planted.model)).toBe(2);
    const model = obs.find((r) => r.type === 'DID_OPEN' && r.target === planted.model)!;
    expect((model.props as { class: string }).class).toBe('model');
    const cred = obs.find((r) => r.type === 'DID_OPEN' && r.target === planted.cred);
    expect(cred).toBeDefined();
    expect((cred!.props as { class: string; executable: string }).class).toBe('credential');
    expect((cred!.props as { executable: string }).executable).toBe('/bin/cat');
    expect(n(cred!.count)).toBe(1);

    // Exec lineage: cat is a child of the agent process, both part of the agent workload
    expect(sum('DID_EXEC', '/bin/cat')).toBe(1);
    expect(sum('DID_EXEC', planted.agentBin)).toBe(1);
    const cat = await graph.readText(
      `MATCH (c:Process)-[:DID_EXEC]->(:Executable {id: '/bin/cat'}), (c)-[:PART_OF]->(w:Workload {id: $wl}), (c)-[:CHILD_OF]->(p:Process)-[:PART_OF]->(w)
       WHERE c.id STARTS WITH $host
       RETURN c.ppid AS ppid, p.pid AS parentPid, p.executable AS parentExe, c.argv AS argv`,
      { wl, host },
      'test/sensor-lineage',
    );
    expect(cat).toHaveLength(1);
    expect(n(cat[0]!.parentPid)).toBe(ports!.pid);
    expect(cat[0]!.parentExe).toBe(planted.agentBin);
    expect(cat[0]!.argv).toEqual(['/bin/cat', planted.cred]);

    // Coverage: every window is recorded with its probes, and says whether anything was lost
    const cov = await graph.read('queries/runtime/coverage-windows', { host });
    expect(cov.length).toBe(run.windows);
    const c = run.stats.counters;
    const dropped = ['execLost', 'forkLost', 'exitLost', 'connectMapFull', 'acceptMapFull', 'dnsMapFull', 'dnsAnswerMapFull', 'openMapFull', 'tagMapFull'].reduce((s, k) => s + (c[k] ?? 0), 0) + run.stats.queueOverflowRecords + run.jsDroppedBatches;
    expect(cov.some((w) => w.lost === true)).toBe(dropped > 0);
    expect(cov.every((w) => typeof w.lost === 'boolean')).toBe(true);
    expect(cov[0]!.probes).toEqual(['exec', 'net', 'dns', 'files']);
    expect(cov.some((c) => (c.workloads as string[]).includes(wl))).toBe(true);
    fs.rmSync(planted.dir, { recursive: true, force: true });
  });

  test('given a recording, when it is replayed with `ingest`, then the same observations land, and a second replay changes no count', async () => {
    // Given
    const host = uniqueScope('sensor-rec');
    const agent = `rkrc${Math.random().toString(36).slice(2, 8)}`;
    const planted = plant(agent);
    const file = path.join(planted.dir, 'rec.jsonl');
    const ac = new AbortController();
    const run: SensorRunSummary = await recordSensorToFile(file, {
      host,
      agent,
      windowMs: 300,
      dnsPorts: [stub.port],
      probes: ['exec', 'net', 'dns', 'files'],
      signal: ac.signal,
      onStarted: () => {
        runWorkload(planted, stub.port, `${host}.rec.example`, 1, 1)
          .catch((e: unknown) => console.error(e))
          .finally(() => setTimeout(() => ac.abort(), 700));
      },
    });
    expect(run.windows).toBeGreaterThanOrEqual(1);
    const first = JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[0]!);
    expect(first).toMatchObject({ kind: 'sync', source: 'sensor', scope: host, mode: 'append' });

    // When
    const s1 = await ingestFile(graph, file);
    const s2 = await ingestFile(graph, file);

    // Then
    expect(s1.status).toBe('succeeded');
    expect(s2.status).toBe('succeeded');
    const obs = await graph.read('queries/runtime/workload-observations', { workloadId: `${host}/agent/${agent}` });
    expect(obs.filter((r) => r.type === 'DID_OPEN' && r.target === planted.model).reduce((s, r) => s + n(r.count), 0)).toBe(2);
    expect(obs.some((r) => r.type === 'DID_RESOLVE' && r.target === `${host}.rec.example`)).toBe(true);
    fs.rmSync(planted.dir, { recursive: true, force: true });
  });
});
