/**
 * Baselines and drift end to end with the real sensor on the real kernel (root; CI runs as root): a demo
 * agent process learns a baseline (one loopback connect), the baseline is locked, then the agent connects
 * somewhere new and reads a planted credential file: both drift events appear, unexplained. After a
 * recorded image-digest change, the same kinds of event (another new port, another credential file) are
 * classified explained. Each phase is one sensor run; how long detection took is printed, not asserted.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detect, learn, lock, type DetectedDrift } from '../../src/behavior/store.js';
import type { Graph } from '../../src/graph/driver.js';
import { runSync } from '../../src/graph/ingest.js';
import { node, rel } from '../../src/graph/records.js';
import { runSensorIntoGraph } from '../../src/sensor/run.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';
import { sensorUnavailable } from '../helpers/setup-status.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const why = sensorUnavailable();
const maybe = why ? describe.skip : describe;
if (why) console.log(`test/native/behavior-drift.test.ts: skipped: ${why}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function runAgent(bin: string, port: number, cred?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [path.join(here, 'fixtures', 'drift-agent.cjs'), String(port), ...(cred ? [cred] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve((JSON.parse(out.trim()) as { pid: number }).pid) : reject(new Error(`agent exited ${code}: ${err}`))));
  });
}

async function listener(): Promise<{ port: number; close: () => Promise<void> }> {
  const srv = net.createServer((s) => s.end());
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { port: (srv.address() as net.AddressInfo).port, close: () => new Promise((r) => srv.close(() => r())) };
}

/** Measures drift until `done` holds for the events (or 30 s pass); returns them and how long it took. */
async function until(graph: Graph, subject: string, done: (e: DetectedDrift['events']) => boolean): Promise<{ events: DetectedDrift['events']; ms: number }> {
  const start = Date.now();
  for (;;) {
    const [r] = await detect(graph, { subject });
    if (done(r!.events) || Date.now() - start > 30_000) return { events: r!.events, ms: Date.now() - start };
    await sleep(100);
  }
}

maybe('baselines and drift with the real sensor', () => {
  let graph: Graph;
  beforeAll(async () => {
    if (!fs.existsSync('/sys/kernel/tracing/events')) execFileSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing']);
    graph = await testGraph();
  });
  afterAll(async () => graph?.close());

  test('a locked agent connects somewhere new and reads a credential: unexplained drift; after an image-digest change the same kinds are explained', async () => {
    const host = uniqueScope('drift-e2e');
    const agent = `rkdr${Math.random().toString(36).slice(2, 8)}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rk-drift-'));
    const bin = path.join(dir, agent);
    fs.symlinkSync(process.execPath, bin);
    fs.mkdirSync(path.join(dir, 'home', '.aws'), { recursive: true });
    const cred = path.join(dir, 'home', '.aws', 'credentials');
    const cred2 = path.join(dir, 'home', '.aws', 'config');
    fs.writeFileSync(cred, '[default]\naws_access_key_id = planted-not-a-secret\n');
    fs.writeFileSync(cred2, '[default]\nregion = eu-west-1\n');
    const [usual, fresh, fresh2] = [await listener(), await listener(), await listener()];
    const wl = `${host}/agent/${agent}`;
    // One sensor run per phase: every run ends with its last window written, so what the agent did is in the
    // graph when the run returns, however busy the machine (live latency depends on the host's whole exec rate).
    const observe = async (work: () => Promise<void>): Promise<{ from: number; to: number }> => {
      const ac = new AbortController();
      let from = 0;
      let failure: unknown;
      await runSensorIntoGraph(graph, {
        host,
        agent,
        windowMs: 300,
        ringBufferBytes: 4 << 20,
        probes: ['exec', 'net', 'files'],
        signal: ac.signal,
        onStarted: () => {
          from = Date.now();
          work()
            .catch((e: unknown) => (failure = e))
            .finally(() => setTimeout(() => ac.abort(), 700));
        },
      });
      if (failure) throw failure;
      return { from, to: Date.now() };
    };
    const results: Record<string, unknown> = {};
    try {
      const learning = await observe(async () => void (await runAgent(bin, usual.port)));
      await learn(graph, wl, { from: learning.from, windowMs: learning.to - 500 - learning.from });
      await lock(graph, wl);

      await observe(async () => void (await runAgent(bin, fresh.port, cred)));
      results.first = await until(graph, wl, (ev) => ev.some((e) => e.kind === 'connect') && ev.some((e) => e.kind === 'open'));

      const change = `${host}/image/sha256:${'c'.repeat(64)}`;
      await runSync(graph, { source: 'test-drift', scope: host, syncId: `${host}-change`, progress: false }, (s) =>
        s.write({ nodes: [node('StateChange', change, { kind: 'image', at: new Date().toISOString(), before: `sha256:${'a'.repeat(64)}`, after: `sha256:${'c'.repeat(64)}` })], rels: [rel('CHANGED', { label: 'StateChange', id: change }, { label: 'Workload', id: wl })] }),
      );
      results.change = change;
      await observe(async () => void (await runAgent(bin, fresh2.port, cred2)));
      results.second = await until(graph, wl, (ev) => ev.some((e) => e.target === `127.0.0.1:${fresh2.port}`) && ev.some((e) => e.target === cred2));
    } finally {
      await Promise.all([usual.close(), fresh.close(), fresh2.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    }

    const first = results.first as { events: DetectedDrift['events']; ms: number };
    const second = results.second as { events: DetectedDrift['events']; ms: number };
    console.log(`drift measured ${first.ms} ms after the run (unexplained), ${second.ms} ms (explained)`);
    const pick = (ev: DetectedDrift['events'], target: string) => ev.find((e) => e.target === target);
    const brief = (e: DetectedDrift['events'][number] | undefined) => e && [e.kind, e.severity.level, e.classification.classification, e.classification.classification === 'explained' ? e.classification.explainedBy.id : null];

    // the baseline's connect is not drift; the new connect and the credential read are, unexplained
    expect(pick(first.events, `127.0.0.1:${usual.port}`)).toBeUndefined();
    expect(brief(pick(first.events, `127.0.0.1:${fresh.port}`))).toEqual(['connect', 'low', 'unexplained', null]);
    expect(brief(pick(first.events, cred))).toEqual(['open', 'critical', 'unexplained', null]);
    expect(pick(first.events, cred)!.executables).toEqual([bin]);
    expect(pick(first.events, cred)!.lineage[0]).toMatch(new RegExp(`^\\d+ ${bin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
    // after the recorded image-digest change: the same kinds, explained by it
    expect(brief(pick(second.events, `127.0.0.1:${fresh2.port}`))).toEqual(['connect', 'low', 'explained', results.change]);
    expect(brief(pick(second.events, cred2))).toEqual(['open', 'critical', 'explained', results.change]);
    // and the first events stay unexplained
    expect(brief(pick(second.events, cred))).toEqual(['open', 'critical', 'unexplained', null]);
  });
});
