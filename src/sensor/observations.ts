/**
 * Native batches -> graph records. Lineage events become Process nodes (CHILD_OF, PART_OF,
 * DID_EXEC); drained aggregates become DID_CONNECT / DID_ACCEPT / DID_RESOLVE / DID_OPEN from
 * the Workload, with counts, first and last seen; every window becomes a Coverage node.
 *
 * Counts are cumulative within one sync (the ingest core keeps the latest count of a sync and
 * adds it to earlier syncs' counts), so each window re-sends the changed edges with their
 * running totals: a replay of the same file is idempotent.
 */
import { node, rel, type Batch, type NodeRecord, type NodeRef, type PropValue, type RelRecord } from '../graph/records.js';
import type { Attributor, WorkloadRef } from './attribution.js';
import type { NativeBatch, NativeCounters, NativeExecEvent } from './native.js';
import { ExeResolver, readExe, readProc, startTicksFromNs } from './procfs.js';
import { redactArgv } from './redact.js';
import type { FileRule } from './rules.js';

const QTYPES: Record<number, string> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 64: 'SVCB', 65: 'HTTPS', 255: 'ANY' };
export const qtypeName = (t: number): string => QTYPES[t] ?? `TYPE${t}`;

const LOST_COUNTERS = ['execLost', 'forkLost', 'exitLost'] as const;
const MAPFULL_COUNTERS = ['connectMapFull', 'acceptMapFull', 'dnsMapFull', 'dnsAnswerMapFull', 'openMapFull', 'tagMapFull'] as const;

/** An endpoint id: ip:port, [ip6]:port, or the address alone. */
export function endpointId(address: string, family: 4 | 6, port?: number): string {
  const a = family === 6 ? `[${address}]` : address;
  return port === undefined ? a : `${a}:${port}`;
}

const iso = (ms: number) => new Date(ms).toISOString();

interface Cumulative {
  type: string;
  from: NodeRef;
  to: NodeRef;
  key: string;
  count: number;
  first: number;
  last: number;
  props: Record<string, PropValue>;
}

export interface WindowSummary {
  index: number;
  from: number;
  to: number;
  lost: boolean;
  ringLost: number;
  mapFull: number;
  queueOverflow: number;
  events: number;
  flows: number;
  opens: number;
  dns: number;
}

export interface BuilderOptions {
  host: string;
  syncId: string;
  probes: readonly string[];
  rules: readonly FileRule[];
  attributor: Attributor;
  exes?: ExeResolver;
  /** Drops of the JavaScript side (batches it could not keep up with); read at each window. */
  jsDropped?: () => number;
}

export class ObservationBuilder {
  private readonly exes: ExeResolver;
  private readonly known = new Map<number, string>(); // pid -> Process id, for exec'd processes of this run
  // pid -> what it exec'd, kept past its exit (bounded): one inode can have many paths (symlinks,
  // /bin vs /usr/bin), so an aggregate's executable is read from its last pid first.
  private readonly recentExec = new Map<number, { dev: number; ino: string; path: string }>();
  private readonly cumulative = new Map<string, Cumulative>();
  private readonly hostRef: NodeRef;
  private prevCounters: NativeCounters = {};
  private prevJsDropped = 0;
  private windowIndex = 0;
  private hostWritten = false;
  private windowWorkloads = new Set<string>();
  readonly windows: WindowSummary[] = [];
  readonly totals = { events: 0, flows: 0, opens: 0, dns: 0 };

  constructor(private readonly opts: BuilderOptions) {
    this.exes = opts.exes ?? new ExeResolver();
    this.hostRef = { label: 'Host', id: opts.host };
  }

  /** Records for one native batch (lineage first, then aggregates, then coverage). */
  async build(b: NativeBatch): Promise<Batch> {
    const nodes: NodeRecord[] = [];
    const rels: RelRecord[] = [];
    if (!this.hostWritten) {
      nodes.push(node('Host', this.opts.host, { name: this.opts.host }));
      this.hostWritten = true;
    }
    const cgroups = [...b.events.filter((e): e is NativeExecEvent => e.op === 'exec').map((e) => e.cgroupId), ...b.flows.map((f) => f.cgroupId), ...b.opens.map((o) => o.cgroupId), ...b.dns.map((d) => d.cgroupId)];
    await this.opts.attributor.prepare(cgroups);
    const seenWorkloads = new Map<string, WorkloadRef>();
    const workload = (cgroupId: string, tag: number): NodeRef => {
      const w = this.opts.attributor.workload(cgroupId, tag);
      if (!seenWorkloads.has(w.id)) seenWorkloads.set(w.id, w);
      this.windowWorkloads.add(w.id);
      return { label: 'Workload', id: w.id };
    };
    const changed = new Set<string>();
    const bump = (k: string, c: Omit<Cumulative, 'count' | 'first' | 'last'>, count: number, first: number, last: number) => {
      const prev = this.cumulative.get(k);
      if (prev) {
        prev.count += count;
        prev.first = Math.min(prev.first, first);
        prev.last = Math.max(prev.last, last);
        prev.props = mergeProps(prev.props, c.props);
      } else this.cumulative.set(k, { ...c, count, first, last });
      changed.add(k);
    };

    for (const e of b.events) {
      this.totals.events++;
      if (e.op === 'exec') {
        this.exes.learn(e.exeDev, e.exeIno, e.path);
        this.recentExec.delete(e.pid);
        this.recentExec.set(e.pid, { dev: e.exeDev, ino: e.exeIno, path: e.path });
        if (this.recentExec.size > 20_000) this.recentExec.delete(this.recentExec.keys().next().value!);
        const pid = `${this.opts.host}/${e.pid}/${startTicksFromNs(e.start)}`;
        const parent = `${this.opts.host}/${e.ppid}/${startTicksFromNs(e.pstart)}`;
        this.known.set(e.pid, pid);
        nodes.push(
          node('Process', pid, {
            pid: e.pid,
            ppid: e.ppid,
            uid: e.uid,
            comm: e.comm,
            executable: e.path,
            argv: redactArgv(e.argv),
            argvTruncated: e.argvTruncated,
            cgroupId: e.cgroupId,
            execAt: iso(e.time),
          }),
        );
        // The (workload, executable, parent executable) aggregate outlives per-process lineage (docs/behavior.md, retention).
        let parentExe = this.known.get(e.ppid) === parent ? this.recentExec.get(e.ppid)?.path : undefined;
        if (!this.known.has(e.ppid)) {
          const info = readProc(e.ppid);
          if (info && info.startTicks === startTicksFromNs(e.pstart)) {
            nodes.push(node('Process', parent, { pid: e.ppid, comm: info.comm, seenBy: 'procfs' }));
            parentExe = readExe(e.ppid)?.replace(/ \(deleted\)$/, '');
          }
        }
        nodes.push(node('Executable', e.path, { name: e.path.split('/').pop() ?? e.path }));
        const proc = { label: 'Process', id: pid };
        const w = workload(e.cgroupId, e.tag);
        rels.push(rel('CHILD_OF', proc, { label: 'Process', id: parent }));
        rels.push(rel('PART_OF', proc, w));
        rels.push(rel('DID_EXEC', proc, { label: 'Executable', id: e.path }, { count: 1, firstSeen: iso(e.time), lastSeen: iso(e.time) }));
        bump(`EXEC|${w.id}|${e.path}|${parentExe ?? ''}`, { type: 'DID_EXEC', from: w, to: { label: 'Executable', id: e.path }, key: parentExe ?? '', props: parentExe ? { parentExecutable: parentExe } : {} }, 1, e.time, e.time);
      } else if (e.op === 'exit') {
        const id = this.known.get(e.pid);
        if (id) {
          // the kernel reports the raw wait status: exit code in bits 8-15, or the killing signal in bits 0-6
          const sig = e.exitCode & 0x7f;
          nodes.push(node('Process', id, sig === 0 ? { exitCode: (e.exitCode >> 8) & 0xff, exitedAt: iso(e.time) } : { exitSignal: sig, exitedAt: iso(e.time) }));
          this.known.delete(e.pid);
        }
      }
      // fork events carry lineage the kernel already used (workload tags); exec events name the parent.
    }

    const exeOf = (a: { exeDev: number; exeIno: string; lastPid: number; comm: string }) => {
      const r = this.recentExec.get(a.lastPid);
      if (r && r.dev === a.exeDev && r.ino === a.exeIno) return r.path;
      return this.exes.resolve(a.exeDev, a.exeIno, a.lastPid) ?? `[${a.comm}]`;
    };

    for (const f of b.flows) {
      this.totals.flows++;
      const w = workload(f.cgroupId, f.tag);
      const exe = exeOf(f);
      const connect = f.dir === 'connect';
      const epId = connect ? endpointId(f.remote, f.family, f.port) : endpointId(f.remote, f.family);
      nodes.push(node('NetEndpoint', epId, { address: f.remote, family: f.family, ...(connect ? { port: f.port } : {}), loopback: isLoopback(f.remote) }));
      const type = connect ? 'DID_CONNECT' : 'DID_ACCEPT';
      const key = `${exe}|${f.port}/${f.protocol}`;
      bump(`${type}|${w.id}|${epId}|${key}`, { type, from: w, to: { label: 'NetEndpoint', id: epId }, key, props: { port: f.port, protocol: f.protocol, executable: exe, localAddress: f.local } }, f.count, f.first, f.last);
    }

    for (const o of b.opens) {
      this.totals.opens++;
      const w = workload(o.cgroupId, o.tag);
      const exe = exeOf(o);
      const cls = this.opts.rules[o.rule]?.class ?? 'other';
      nodes.push(node('File', o.path, { class: cls, relative: !o.path.startsWith('/') }));
      bump(`DID_OPEN|${w.id}|${o.path}|${exe}`, { type: 'DID_OPEN', from: w, to: { label: 'File', id: o.path }, key: exe, props: { class: cls, executable: exe } }, o.count, o.first, o.last);
    }

    for (const d of b.dns) {
      this.totals.dns++;
      if (d.name === '') continue;
      const w = workload(d.cgroupId, d.tag);
      const exe = exeOf(d);
      const qt = qtypeName(d.qtype);
      nodes.push(node('DNSName', d.name, { name: d.name }));
      const key = `${exe}|${qt}`;
      bump(`DID_RESOLVE|${w.id}|${d.name}|${key}`, { type: 'DID_RESOLVE', from: w, to: { label: 'DNSName', id: d.name }, key, props: { qtype: qt, answers: d.answers, executable: exe } }, d.count, d.first, d.last);
    }

    for (const w of seenWorkloads.values()) {
      nodes.push(node('Workload', w.id, w.props));
      rels.push(rel('ON_HOST', { label: 'Workload', id: w.id }, this.hostRef));
      if (w.podId) rels.push(rel('PART_OF', { label: 'Workload', id: w.id }, { label: 'K8sPod', id: w.podId }));
    }
    for (const k of changed) {
      const c = this.cumulative.get(k)!;
      rels.push(rel(c.type, c.from, c.to, { count: c.count, firstSeen: iso(c.first), lastSeen: iso(c.last), ...(c.key ? { key: c.key } : {}), ...(Object.keys(c.props).length ? { props: c.props } : {}) }));
    }

    if (b.window) this.closeWindow(b, nodes, rels);
    return { nodes: dedupeNodes(nodes), rels };
  }

  private closeWindow(b: NativeBatch, nodes: NodeRecord[], rels: RelRecord[]): void {
    const c = b.counters;
    const delta = (names: readonly string[]) => names.reduce((s, n) => s + Math.max(0, (c[n] ?? 0) - (this.prevCounters[n] ?? 0)), 0);
    const ringLost = delta(LOST_COUNTERS);
    const mapFull = delta(MAPFULL_COUNTERS);
    const jsDropped = this.opts.jsDropped?.() ?? 0;
    const queueOverflow = delta(['queueOverflowRecords']) + (jsDropped - this.prevJsDropped);
    this.prevJsDropped = jsDropped;
    this.prevCounters = { ...c };
    const index = this.windowIndex++;
    const id = `${this.opts.host}/${this.opts.syncId}/w${index}`;
    const workloads = [...this.windowWorkloads].sort();
    this.windowWorkloads = new Set();
    const lost = ringLost + mapFull + queueOverflow > 0;
    nodes.push(
      node('Coverage', id, {
        host: this.opts.host,
        probes: [...this.opts.probes],
        from: iso(b.window!.from),
        to: iso(b.window!.to),
        lost,
        ringLost,
        mapFull,
        queueOverflow,
        workloads,
        syncRef: this.opts.syncId,
      }),
    );
    rels.push(rel('ON_HOST', { label: 'Coverage', id }, this.hostRef));
    for (const w of workloads) rels.push(rel('COVERS', { label: 'Coverage', id }, { label: 'Workload', id: w }));
    this.windows.push({ index, from: b.window!.from, to: b.window!.to, lost, ringLost, mapFull, queueOverflow, events: b.events.length, flows: b.flows.length, opens: b.opens.length, dns: b.dns.length });
  }
}

function isLoopback(a: string): boolean {
  return a.startsWith('127.') || a === '::1' || a.startsWith('::ffff:127.');
}

/** Later props win; arrays are unioned (DNS answers seen over the run), capped. */
function mergeProps(a: Record<string, PropValue>, b: Record<string, PropValue>): Record<string, PropValue> {
  const out: Record<string, PropValue> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    if (Array.isArray(v) && Array.isArray(prev)) out[k] = [...new Set([...(prev as string[]), ...(v as string[])])].slice(0, 16) as string[];
    else out[k] = v;
  }
  return out;
}

/** One record per node id and label, props merged (a process's exec and exit in one batch). */
function dedupeNodes(nodes: NodeRecord[]): NodeRecord[] {
  const m = new Map<string, NodeRecord>();
  for (const n of nodes) {
    const k = `${n.label}\u0000${n.id}`;
    const prev = m.get(k);
    m.set(k, prev ? { ...prev, props: { ...(prev.props ?? {}), ...(n.props ?? {}) } } : n);
  }
  return [...m.values()];
}
