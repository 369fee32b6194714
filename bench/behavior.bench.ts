/**
 * `npm run bench:behavior`: graph growth per host-hour from exec lineage, with and without the lineage
 * retention (docs/behavior.md). A simulated host execs at the idle-host rate issue 15 measured (4,536
 * execs in 200 s: 22.7/s) for RK_BENCH_MINUTES (default 60) of simulated time: 10 systemd services, each
 * a long-lived daemon that spawns short-lived children (a third of them spawn a grandchild), every
 * child exiting. Records come from the sensor's own ObservationBuilder (what `sensor run` writes) and go
 * through the ingest core into the configured Neo4j in 5 s windows. Then the lineage older than
 * RK_BENCH_RETENTION_MIN (default 10) is pruned. Prints Process nodes, lineage relationships and
 * aggregate (workload, executable, parent executable) edges before and after.
 */
import crypto from 'node:crypto';
import { loadConfig } from '../src/config.js';
import { pruneLineage } from '../src/behavior/retention.js';
import { openGraph } from '../src/graph/driver.js';
import { runSync } from '../src/graph/ingest.js';
import { Attributor } from '../src/sensor/attribution.js';
import type { NativeBatch, NativeExecEvent, NativeExitEvent } from '../src/sensor/native.js';
import { ObservationBuilder } from '../src/sensor/observations.js';
import { ExeResolver } from '../src/sensor/procfs.js';
import { DEFAULT_FILE_RULES } from '../src/sensor/rules.js';

const minutes = Number(process.env.RK_BENCH_MINUTES ?? 60);
const retentionMin = Number(process.env.RK_BENCH_RETENTION_MIN ?? 10);
const RATE = 4536 / 200;
const WINDOW_MS = 5000;
const SERVICES = 10;
const EXES = ['/usr/bin/sh', '/usr/bin/grep', '/usr/bin/awk', '/usr/bin/date', '/usr/bin/cat', '/usr/bin/sed', '/usr/bin/ip', '/usr/bin/systemctl', '/usr/bin/curl', '/usr/bin/python3'];

async function main(): Promise<void> {
  const host = `bench-behavior-${crypto.randomBytes(3).toString('hex')}`;
  const graph = await openGraph({ config: loadConfig(), start: true });
  const syncId = `sensor:${host}:bench`;
  const t0 = Date.parse('2026-11-20T00:00:00Z');
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const attributor = new Attributor({ host, cgroups: { pathOf: (id) => `/system.slice/svc${id}.service` } });
  const exes = new ExeResolver();
  EXES.forEach((p, i) => exes.learn(1, String(900 + i), p));
  const builder = new ObservationBuilder({ host, syncId, probes: ['exec', 'net', 'dns', 'files'], rules: DEFAULT_FILE_RULES, attributor, exes });
  const startOf = (pid: number) => String(BigInt(pid) * 10_000_000n);
  let nextPid = 10_000;
  const execEv = (pid: number, ppid: number, exe: number, cg: number, time: number): NativeExecEvent => ({
    op: 'exec', time, pid, ppid, uid: 0, tag: 0, start: startOf(pid), pstart: startOf(ppid), cgroupId: String(cg), exeIno: String(900 + exe), exeDev: 1,
    comm: EXES[exe]!.split('/').pop()!, path: EXES[exe]!, argv: [EXES[exe]!.split('/').pop()!, '--flag', String(exe)], argvTruncated: false,
  });
  const exitEv = (pid: number, time: number): NativeExitEvent => ({ op: 'exit', time, pid, tag: 0, start: startOf(pid), exitCode: 0 });

  const windows = Math.round((minutes * 60_000) / WINDOW_MS);
  let execs = 0;
  const started = Date.now();
  await runSync(graph, { source: 'sensor', scope: host, syncId, mode: 'append', progress: false }, async (sink) => {
    // the daemons: one long-lived python per service
    const daemons: number[] = [];
    const first: NativeBatch = { events: [], flows: [], opens: [], dns: [], window: null, counters: {} };
    for (let s = 0; s < SERVICES; s++) {
      const pid = nextPid++;
      daemons.push(pid);
      first.events.push(execEv(pid, 1, 9, s, t0));
    }
    await sink.write(await builder.build(first));
    for (let w = 0; w < windows; w++) {
      const from = t0 + w * WINDOW_MS;
      const b: NativeBatch = { events: [], flows: [], opens: [], dns: [], window: { from, to: from + WINDOW_MS }, counters: {} };
      // a third of the children exec a grandchild: 3/4 of the exec rate are children
      let due = RATE * 0.75 * (WINDOW_MS / 1000) + (rnd() - 0.5);
      while (due-- > 0) {
        const s = Math.floor(rnd() * SERVICES);
        const at = from + Math.floor(rnd() * (WINDOW_MS - 50));
        const child = nextPid++;
        b.events.push(execEv(child, daemons[s]!, Math.floor(rnd() * 8), s, at));
        execs++;
        if (rnd() < 1 / 3) {
          const grand = nextPid++;
          b.events.push(execEv(grand, child, 1 + Math.floor(rnd() * 7), s, at + 2), exitEv(grand, at + 10));
          execs++;
        }
        b.events.push(exitEv(child, at + 20));
      }
      await sink.write(await builder.build(b));
    }
  });
  const ingestS = (Date.now() - started) / 1000;
  const count = async () => {
    const [r] = await graph.readText(
      `MATCH (p:Process) WHERE p.id STARTS WITH $prefix
       OPTIONAL MATCH (p)-[r]-()
       WITH count(DISTINCT p) AS processes, count(DISTINCT r) AS lineageRels
       OPTIONAL MATCH (:Workload)-[a:DID_EXEC]->(:Executable) WHERE a.scope = $host
       RETURN processes, lineageRels, count(a) AS aggregates`,
      { prefix: `${host}/`, host },
      'bench:behavior',
    );
    return r as { processes: number; lineageRels: number; aggregates: number };
  };
  const before = await count();
  const pruneStart = Date.now();
  const pruned = await pruneLineage(graph, { host, retentionMs: retentionMin * 60_000, now: t0 + minutes * 60_000 });
  const pruneS = (Date.now() - pruneStart) / 1000;
  const after = await count();
  const perHour = (n: number) => Math.round((n * 60) / minutes);
  console.log(JSON.stringify({ host, simulatedMinutes: minutes, execs, execRatePerS: +RATE.toFixed(1), ingestSeconds: +ingestS.toFixed(1), before, perHostHourWithoutRetention: { processes: perHour(before.processes), lineageRels: perHour(before.lineageRels), aggregates: before.aggregates }, retentionMinutes: retentionMin, pruned: pruned.deleted, pruneSeconds: +pruneS.toFixed(1), after }, null, 2));
  // the simulated host's lineage does not stay in the graph
  await pruneLineage(graph, { host, retentionMs: 1, now: Date.now() + 86_400_000 * 3650 });
  await graph.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
