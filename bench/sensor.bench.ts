/**
 * `npm run bench:sensor`: one syscall-heavy workload (open, TCP connect/accept, fork+exec loops;
 * bench/sensor-workload.c) run with the sensor off and on, alternating, in the same run. Prints
 * the CPU overhead as a ratio (the BPF programs run in the workload's own context, so their
 * cost is in the workload's CPU time), the kernel events per second the sensor handled, the
 * drops, and whether every aggregated observation arrived (watched-file opens counted in the
 * kernel vs opens the workload made). Needs root and a built addon.
 *   RK_BENCH_PROBES (default all: exec,net,dns,files), RK_BENCH_ROUNDS (default 5), RK_BENCH_OPENS (200000), RK_BENCH_CONNECTS (10000), RK_BENCH_EXECS (500)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/paths.js';
import { runSensor, validateProbes } from '../src/sensor/run.js';
import type { RelRecord } from '../src/graph/records.js';

const rounds = Number(process.env.RK_BENCH_ROUNDS ?? 5);
const opens = Number(process.env.RK_BENCH_OPENS ?? 200_000);
const connects = Number(process.env.RK_BENCH_CONNECTS ?? 10_000);
const execs = Number(process.env.RK_BENCH_EXECS ?? 500);
const probes = process.env.RK_BENCH_PROBES ? validateProbes(process.env.RK_BENCH_PROBES.split(',')) : undefined;

interface WorkloadResult {
  cpuUs: number;
  wallUs: number;
  opens: number;
  watchedOpens: number;
  connects: number;
  execs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log('bench:sensor needs root (CAP_BPF + CAP_PERFMON); skipped');
    return;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rk-bench-'));
  const bin = path.join(work, 'sensor-workload');
  execFileSync('cc', ['-O2', '-o', bin, path.join(projectRoot(), 'bench', 'sensor-workload.c')]);
  fs.writeFileSync(path.join(work, 'plain.txt'), 'x');
  fs.writeFileSync(path.join(work, 'weights.safetensors'), 'x');
  const watched = path.join(work, 'weights.safetensors');
  const runWorkload = (): WorkloadResult => JSON.parse(execFileSync(bin, [work, String(opens), String(connects), String(execs)], { encoding: 'utf8' })) as WorkloadResult;

  console.log(`sensor overhead benchmark: ${rounds} rounds, each ${opens} opens (1 in 10 watched), ${connects} loopback connects, ${execs} fork+exec; off and on alternate`);
  runWorkload(); // warm the page cache and the binary
  const off: WorkloadResult[] = [];
  const on: { w: WorkloadResult; events: number; drops: number; counted: number; sensorCpuMs: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    off.push(runWorkload());
    const rels: RelRecord[] = [];
    let w: WorkloadResult | undefined;
    let before: Record<string, number> = {};
    const ac = new AbortController();
    let cpu0 = process.cpuUsage();
    const summary = await runSensor(
      {
        windowMs: 1000,
        signal: ac.signal,
        ...(probes ? { probes } : {}),
        host: 'bench',
        onStarted: () => {
          cpu0 = process.cpuUsage();
          setImmediate(() => {
            w = runWorkload();
            ac.abort();
          });
        },
      },
      { write: async (b) => void rels.push(...b.rels) },
      `bench-${r}`,
    );
    const cpu = process.cpuUsage(cpu0);
    const c = summary.stats.counters;
    before = {};
    const events = ['openChecked', 'connectSeen', 'acceptSeen', 'execSeen', 'forkSeen', 'exitSeen', 'dnsSeen'].reduce((s, k) => s + (c[k] ?? 0) - (before[k] ?? 0), 0);
    const drops = ['execLost', 'forkLost', 'exitLost', 'connectMapFull', 'acceptMapFull', 'openMapFull', 'dnsMapFull'].reduce((s, k) => s + (c[k] ?? 0), 0) + summary.stats.queueOverflowRecords + summary.jsDroppedBatches;
    // cumulative counts: the last record of each key is its total
    const finalCounts = new Map<string, number>();
    for (const x of rels) if (x.type === 'DID_OPEN' && x.to.id === watched) finalCounts.set(`${x.from.id}|${x.key}`, x.count ?? 0);
    const counted = [...finalCounts.values()].reduce((a, b) => a + b, 0);
    on.push({ w: w!, events, drops, counted, sensorCpuMs: (cpu.user + cpu.system) / 1000 });
    console.log(
      `round ${r + 1}: off cpu ${(off[r]!.cpuUs / 1000).toFixed(0)} ms | on cpu ${(w!.cpuUs / 1000).toFixed(0)} ms, wall ${(w!.wallUs / 1000).toFixed(0)} ms, ` +
        `${events} kernel events (${Math.round(events / (w!.wallUs / 1e6))}/s), drops ${drops}, watched opens counted ${counted}/${w!.watchedOpens}, sensor process cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`,
    );
  }
  const offCpu = median(off.map((x) => x.cpuUs));
  const onCpu = median(on.map((x) => x.w.cpuUs));
  const ratio = onCpu / offCpu;
  const opsPerSec = median(on.map((x) => (x.w.opens + 2 * x.w.connects + 3 * x.w.execs) / (x.w.wallUs / 1e6)));
  const evPerSec = median(on.map((x) => x.events / (x.w.wallUs / 1e6)));
  const drops = on.reduce((s, x) => s + x.drops, 0);
  const lostAgg = on.reduce((s, x) => s + (x.w.watchedOpens - x.counted), 0);
  console.log('');
  console.log(`workload cpu (median): off ${(offCpu / 1000).toFixed(0)} ms, on ${(onCpu / 1000).toFixed(0)} ms`);
  console.log(`overhead ratio: ${ratio.toFixed(3)} (added cpu ${((ratio - 1) * 100).toFixed(1)}% for this syscall-heavy workload)`);
  console.log(`workload rate with the sensor on: ${Math.round(opsPerSec)} probed syscalls/s`);
  const ops = opens + 2 * connects + 3 * execs;
  const perOpUs = (onCpu - offCpu) / ops;
  console.log(`added cpu per probed operation: ${perOpUs.toFixed(3)} us; at an ordinary 10000 probed operations/s that is ${((perOpUs * 10_000) / 1e4).toFixed(2)}% of one core`);
  console.log(`events handled: ${Math.round(evPerSec)} kernel events/s (median)`);
  console.log(`drops: ${drops} (ring buffer lost + map full + queue overflow, all rounds)`);
  console.log(`aggregated observations lost: ${lostAgg} (watched opens made minus opens counted in the kernel, all rounds)`);
  console.log(`sensor process cpu per on-round (median): ${median(on.map((x) => x.sensorCpuMs)).toFixed(0)} ms`);
  fs.rmSync(work, { recursive: true, force: true });
}

await main();
