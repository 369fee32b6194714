/**
 * The sensor's public API: start the probes, attribute, turn windows into records and hand
 * them to a sink: the graph (through the ingest core's runSync) or an ingest JSON Lines file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type { Graph } from '../graph/driver.js';
import { runSync, type BatchSink, type SyncSummary } from '../graph/ingest.js';
import type { Batch } from '../graph/records.js';
import { InputError, SensorError } from '../errors.js';
import { DEFAULT_LINEAGE_RETENTION_MS, pruneLineage } from '../behavior/retention.js';
import { logger } from '../log.js';
import { loadAddon, toSensorError } from './addon.js';
import { Attributor, type PodLookup } from './attribution.js';
import { CgroupResolver, cgroup2Root } from './cgroup.js';
import type { NativeBatch, NativeProbe, NativeStats } from './native.js';
import { ObservationBuilder, type WindowSummary } from './observations.js';
import { listPids, readProc } from './procfs.js';
import { DEFAULT_FILE_RULES, toNativeRules, type FileRule } from './rules.js';

import { PROBES } from './probes.js';

export { PROBES };
export type Probe = NativeProbe;

export interface SensorOptions {
  probes?: readonly Probe[];
  /** Stop after this long; default: until `signal` aborts. */
  durationMs?: number;
  signal?: AbortSignal;
  /** Name of the agent process whose process tree is a Workload (matched against comm, 15 chars). */
  agent?: string;
  /** Host name (the sync scope and the prefix of every runtime id); default os.hostname(). */
  host?: string;
  /** Observation window (the kernel maps are drained once per window); default 5000 ms. */
  windowMs?: number;
  ringBufferBytes?: number;
  dnsPorts?: number[];
  fileRules?: readonly FileRule[];
  cgroupPath?: string;
  /** Ignore the sensor's own process (its Neo4j traffic); default true. */
  ignoreSelf?: boolean;
  /** Batches waiting for the sink before newer ones are dropped (counted as lost); default 64. */
  maxPendingBatches?: number;
  podLookup?: PodLookup;
  /** Called once the probes are attached. */
  onStarted?: (attached: string[]) => void;
  /** `sensor run`: per-process lineage older than this is pruned while it runs (docs/behavior.md); default 24 h, 0 keeps all. */
  lineageRetentionMs?: number;
}

export interface SensorRunSummary {
  host: string;
  syncId: string;
  probes: Probe[];
  attached: string[];
  startedAt: string;
  stoppedAt: string;
  windows: number;
  lostWindows: number;
  records: { nodes: number; rels: number };
  observed: { events: number; flows: number; opens: number; dns: number };
  stats: NativeStats;
  jsDroppedBatches: number;
}

export interface RecordSink {
  write(batch: Batch): Promise<void>;
}

export function validateProbes(list: readonly string[]): Probe[] {
  const out: Probe[] = [];
  for (const p of list) {
    if (!(PROBES as readonly string[]).includes(p)) throw new InputError(`--probes: unknown probe "${p}" (choose from ${PROBES.join(', ')})`);
    if (!out.includes(p as Probe)) out.push(p as Probe);
  }
  if (out.length === 0) throw new InputError('--probes: name at least one probe');
  return out;
}

/** Runs the sensor until the duration passes or the signal aborts; every window goes to `sink`. */
export async function runSensor(opts: SensorOptions, sink: RecordSink, syncId: string): Promise<SensorRunSummary> {
  const addon = loadAddon();
  const host = opts.host ?? os.hostname();
  const probes = [...(opts.probes ?? PROBES)];
  const rules = opts.fileRules ?? DEFAULT_FILE_RULES;
  const cgroupPath = opts.cgroupPath ?? cgroup2Root();
  const maxPending = opts.maxPendingBatches ?? 64;
  const attributor = new Attributor({ host, ...(opts.agent ? { agent: opts.agent } : {}), cgroups: new CgroupResolver(cgroupPath), ...(opts.podLookup ? { podLookup: opts.podLookup } : {}) });
  let jsDropped = 0;
  const builder = new ObservationBuilder({ host, syncId, probes, rules, attributor, jsDropped: () => jsDropped });
  const records = { nodes: 0, rels: 0 };
  let pending = 0;
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;

  const sensor = new addon.Sensor();
  const onBatch = (b: NativeBatch) => {
    if (b.error) {
      failure ??= new SensorError(`sensor: ${b.error}`);
    }
    if (failure !== undefined) return;
    if (pending >= maxPending && !b.window) {
      jsDropped += b.events.length; // lineage-only batch: dropped, counted in the next window
      return;
    }
    pending++;
    chain = chain
      .then(async () => {
        const batch = await builder.build(b);
        records.nodes += batch.nodes.length;
        records.rels += batch.rels.length;
        if (batch.nodes.length || batch.rels.length) await sink.write(batch);
      })
      .catch((e: unknown) => {
        failure ??= e;
      })
      .finally(() => {
        pending--;
      });
  };

  const startedAt = new Date();
  let attached: string[];
  try {
    attached = sensor.start(
      {
        probes,
        drainIntervalMs: opts.windowMs ?? 5000,
        ...(opts.ringBufferBytes ? { ringBufferBytes: opts.ringBufferBytes } : {}),
        ...(opts.dnsPorts ? { dnsPorts: opts.dnsPorts } : {}),
        fileRules: toNativeRules(rules),
        cgroupPath,
        ignoreSelf: opts.ignoreSelf ?? true,
        ...(opts.agent ? { agentComm: opts.agent.slice(0, 15) } : {}),
      },
      onBatch,
    );
  } catch (e) {
    throw toSensorError(e);
  }
  logger.info({ host, probes, attached }, 'sensor started');
  if (opts.agent && probes.includes('exec')) tagExistingAgentTrees(opts.agent.slice(0, 15), (pid, tag) => sensor.tagProcess(pid, tag));
  opts.onStarted?.(attached);

  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', done);
      clearInterval(poll);
      resolve();
    };
    if (opts.durationMs !== undefined) timer = setTimeout(done, opts.durationMs);
    if (opts.signal?.aborted) done();
    opts.signal?.addEventListener('abort', done, { once: true });
    // a failing sink stops the run early
    const poll = setInterval(() => {
      if (failure !== undefined) done();
    }, 200);
  });
  await sensor.stop();
  await chain;
  const stats = sensor.stats();
  if (failure !== undefined) throw failure instanceof Error ? failure : new SensorError(String(failure));
  const windows: WindowSummary[] = builder.windows;
  return {
    host,
    syncId,
    probes,
    attached,
    startedAt: startedAt.toISOString(),
    stoppedAt: new Date().toISOString(),
    windows: windows.length,
    lostWindows: windows.filter((w) => w.lost).length,
    records,
    observed: { ...builder.totals },
    stats,
    jsDroppedBatches: jsDropped,
  };
}

/** Processes already running under the agent's name, and their descendants, join its tree. */
export function tagExistingAgentTrees(comm: string, tag: (pid: number, tag: number) => void): number {
  const procs = listPids()
    .map((p) => readProc(p))
    .filter((p): p is NonNullable<typeof p> => p !== undefined);
  const children = new Map<number, number[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  let n = 0;
  for (const root of procs.filter((p) => p.comm === comm)) {
    const stack = [root.pid];
    while (stack.length) {
      const pid = stack.pop()!;
      try {
        tag(pid, root.pid);
        n++;
      } catch (e) {
        logger.warn({ pid, err: (e as Error).message }, 'could not tag a running agent process');
      }
      stack.push(...(children.get(pid) ?? []));
    }
  }
  return n;
}

export function newSensorSyncId(host: string): string {
  return `sensor:${host}:${new Date().toISOString()}:${crypto.randomBytes(4).toString('hex')}`;
}

/** Pod look-up through the graph (the Kubernetes collector's K8sPod uid / containerIds). */
export function graphPodLookup(graph: Graph): PodLookup {
  return async (rows) => {
    const res = await graph.read('queries/runtime/find-pods-by-container', { rows });
    const m = new Map<string, string>();
    for (const r of res) if (typeof r.podId === 'string') m.set(String(r.key), r.podId);
    return m;
  };
}

/** `sensor run`: observations stream into the graph as one append-mode sync of source "sensor". */
export async function runSensorIntoGraph(graph: Graph, opts: SensorOptions): Promise<{ sync: SyncSummary; run: SensorRunSummary }> {
  const host = opts.host ?? os.hostname();
  const syncId = newSensorSyncId(host);
  let run: SensorRunSummary | undefined;
  // Check the addon before a Sync node is written: a sensor that is off records no failed sync.
  loadAddon();
  const retention = opts.lineageRetentionMs ?? DEFAULT_LINEAGE_RETENTION_MS;
  let lastPrune = 0;
  const sync = await runSync(graph, { source: 'sensor', scope: host, syncId, mode: 'append', progress: false }, async (s: BatchSink) => {
    const write = async (b: Batch) => {
      await s.write(b);
      // bounded volume: the graph keeps lineage for the retention window, not every exec forever
      if (retention > 0 && Date.now() - lastPrune >= Math.min(retention, 600_000)) {
        lastPrune = Date.now();
        await pruneLineage(graph, { retentionMs: retention, host });
      }
    };
    run = await runSensor({ ...opts, host, podLookup: opts.podLookup ?? graphPodLookup(graph) }, { write }, syncId);
  });
  return { sync, run: run! };
}

/**
 * `sensor record`: the same records as an ingest JSON Lines file (docs/ingest-format.md), first
 * line the sync header, replayable with `reachgraph ingest FILE`.
 */
export async function recordSensorToFile(file: string, opts: SensorOptions): Promise<SensorRunSummary> {
  const host = opts.host ?? os.hostname();
  const syncId = newSensorSyncId(host);
  loadAddon();
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, JSON.stringify({ kind: 'sync', source: 'sensor', scope: host, syncId, mode: 'append' }) + '\n');
    return await runSensor({ ...opts, host }, {
      write: async (b) => {
        const lines = [...b.nodes, ...b.rels].map((r) => JSON.stringify(r)).join('\n');
        if (lines) fs.writeSync(fd, lines + '\n');
      },
    }, syncId);
  } finally {
    fs.closeSync(fd);
  }
}
