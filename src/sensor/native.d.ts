/**
 * Raw typings of the native addon (native/, built by scripts/build-native.mjs). Only
 * src/sensor/addon.ts imports this file; everything else uses the typed API of src/sensor/.
 * The shapes mirror native/src/convert.cc, which mirrors bpf/include/rk_events.h.
 */

export type NativeProbe = 'exec' | 'net' | 'dns' | 'files';

export interface NativeFileRule {
  prefix?: string;
  suffix?: string;
  contains?: string;
  /** enum rk_file_class: 1 credential, 2 model, 3 agent package, 4 other */
  klass?: number;
}

export interface NativeStartOptions {
  probes?: NativeProbe[];
  ringBufferBytes?: number;
  drainIntervalMs?: number;
  maxQueuedBatches?: number;
  maxEventsPerBatch?: number;
  cgroupPath?: string;
  ignoreSelf?: boolean;
  agentComm?: string;
  dnsPorts?: number[];
  fileRules?: NativeFileRule[];
}

export interface NativeExecEvent {
  op: 'exec';
  time: number;
  pid: number;
  ppid: number;
  uid: number;
  tag: number;
  start: string;
  pstart: string;
  cgroupId: string;
  exeIno: string;
  exeDev: number;
  comm: string;
  path: string;
  argv: string[];
  argvTruncated: boolean;
}

export interface NativeForkEvent {
  op: 'fork';
  time: number;
  pid: number;
  ppid: number;
  tag: number;
  start: string;
  pstart: string;
}

export interface NativeExitEvent {
  op: 'exit';
  time: number;
  pid: number;
  tag: number;
  start: string;
  exitCode: number;
}

export type NativeLineageEvent = NativeExecEvent | NativeForkEvent | NativeExitEvent;

/** Fields every aggregate carries: who (cgroup, executable, workload tag) and how often. */
export interface NativeAggregate {
  cgroupId: string;
  exeIno: string;
  exeDev: number;
  tag: number;
  count: number;
  first: number;
  last: number;
  lastPid: number;
  comm: string;
}

export interface NativeFlow extends NativeAggregate {
  dir: 'connect' | 'accept';
  family: 4 | 6;
  protocol: 'TCP' | 'UDP';
  remote: string;
  local: string;
  port: number;
}

export interface NativeOpen extends NativeAggregate {
  rule: number;
  path: string;
}

export interface NativeDns extends NativeAggregate {
  qtype: number;
  name: string;
  answers: string[];
}

export type NativeCounters = Record<string, number>;

export interface NativeBatch {
  events: NativeLineageEvent[];
  flows: NativeFlow[];
  opens: NativeOpen[];
  dns: NativeDns[];
  /** Set when the batch closes an observation window (the aggregation maps were drained). */
  window: { from: number; to: number } | null;
  /** Cumulative kernel counters plus queueOverflowBatches, queueOverflowRecords, ringEvents. */
  counters: NativeCounters;
  error?: string;
}

export interface NativeStats {
  running: boolean;
  counters: NativeCounters;
  queueOverflowBatches: number;
  queueOverflowRecords: number;
  queued: number;
  ringEvents: number;
  batchesDelivered: number;
  attached: string[];
  lastCallbackError?: string;
}

export interface NativeSensor {
  /** Loads and attaches; returns the attached program names. Throws NativeError. */
  start(options: NativeStartOptions, onBatch: (batch: NativeBatch) => void): string[];
  /** Resolves after the final batch was delivered and the probes are detached. */
  stop(): Promise<void>;
  stats(): NativeStats;
  /** Marks a running process as part of a workload tree (inherited by its future children). */
  tagProcess(pid: number, tag: number): void;
}

/** What the addon throws from start(): an Error with these fields. */
export interface NativeError extends Error {
  code: string;
  errno: number;
  step: string;
  hint: string;
  log: string;
}

export interface NativeModule {
  Sensor: new () => NativeSensor;
  eventVersion: number;
  limits: { pathMax: number; argsMax: number; maxRules: number; maxDnsPorts: number };
}
