/**
 * The sensor at its limits, on the real kernel (root): without CAP_BPF it fails with a clear
 * error and an exit code; a burst far above the ring buffer's size raises the lost counters,
 * marks the windows as lost, crashes nothing and keeps memory bounded.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadAddon } from '../../src/sensor/addon.js';
import { runSensor } from '../../src/sensor/run.js';
import { sensorUnavailable } from '../helpers/setup-status.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;
const why = sensorUnavailable();
const maybe = why ? describe.skip : describe;
if (why) console.log(`test/native/sensor-limits.test.ts: skipped: ${why}`);

maybe('runtime sensor limits', () => {
  beforeAll(() => {
    if (!fs.existsSync('/sys/kernel/tracing/events')) execFileSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing']);
  });

  test('given no CAP_BPF, when `sensor record` starts, then it exits 1 with the errno text and a hint, without crashing', () => {
    if (!hasSetpriv) throw new Error('setpriv (util-linux) is needed for this test; scripts/setup/50-sensor.sh installs it');
    // Given: root's capabilities dropped from every set (the bounding set too, so exec cannot regain them)
    const out = path.join(os.tmpdir(), `rk-noperm-${process.pid}.jsonl`);
    const r = spawnSync(
      'setpriv',
      ['--inh-caps=-all', '--ambient-caps=-all', '--bounding-set=-all', '--', process.execPath, '--import', 'tsx', path.join(root, 'src', 'cli', 'main.ts'), 'sensor', 'record', '--out', out, '--for', '1s'],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    // Then
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/reachgraph: sensor: load BPF programs( \(\w+\))? failed: Operation not permitted \(errno 1\); needs root, or CAP_BPF and CAP_PERFMON/);
    expect(r.stderr).not.toMatch(/internal error/);
    fs.rmSync(out, { force: true });
  });

  test('given a 4 KiB ring buffer, when a burst of thousands of fork+exec runs, then lost counters rise, windows say so, nothing crashes and memory stays bounded', async () => {
    // Given
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rk-burst-'));
    const bin = path.join(dir, 'burst');
    execFileSync('cc', ['-O2', '-o', bin, path.join(root, 'bench', 'sensor-workload.c')]);
    const ac = new AbortController();
    let records = 0;
    let lostCoverage = 0;
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);

    // When: 3 x 2000 fork+exec+exit = 18,000 lineage events (about 4 MB) through a 4 KiB buffer
    // (the sampler is cleared in `finally`: a sensor that fails to start must not keep jest alive)
    const summary = await runSensor(
      {
        host: 'burst-test',
        probes: ['exec'],
        ringBufferBytes: 4096,
        windowMs: 200,
        signal: ac.signal,
        onStarted: () => {
          const run = promisify(execFile);
          Promise.all([1, 2, 3].map(() => run(bin, [dir, '0', '0', '2000'])))
            .catch((e: unknown) => console.error(e))
            .finally(() => setTimeout(() => ac.abort(), 400));
        },
      },
      {
        write: async (b) => {
          records += b.nodes.length + b.rels.length;
          lostCoverage += b.nodes.filter((n) => n.label === 'Coverage' && n.props?.lost === true).length;
        },
      },
      'burst',
    ).finally(() => clearInterval(sample));

    // Then
    const c = summary.stats.counters;
    expect(c.execSeen).toBeGreaterThanOrEqual(6000);
    expect((c.execLost ?? 0) + (c.forkLost ?? 0) + (c.exitLost ?? 0)).toBeGreaterThan(0);
    expect(summary.lostWindows).toBeGreaterThan(0);
    expect(lostCoverage).toBe(summary.lostWindows);
    expect(summary.stats.running).toBe(false);
    expect(records).toBeGreaterThan(0);
    expect(peak - rss0).toBeLessThan(200 * 1024 * 1024);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('given JavaScript that falls behind, when batches pile up, then the bounded queue counts its overflow and delivery resumes', async () => {
    // Given: a queue of one batch, a window every 10 ms
    const { Sensor } = loadAddon();
    const sensor = new Sensor();
    const got: number[] = [];
    sensor.start({ probes: ['exec'], drainIntervalMs: 10, maxQueuedBatches: 1 }, (b) => got.push(b.events.length));
    try {
      // When: the event loop is blocked for 300 ms
      const until = Date.now() + 300;
      while (Date.now() < until) {
        /* busy: no batch can be delivered */
      }
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await sensor.stop();
    }
    // Then
    const st = sensor.stats();
    expect(st.queueOverflowBatches).toBeGreaterThan(5);
    expect(st.running).toBe(false);
    expect(got.length).toBeGreaterThan(0);
  });
});
