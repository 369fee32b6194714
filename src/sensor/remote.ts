/**
 * `sensor run --api URL`: observations go to a remote reachgraph API (`POST /ingest`, docs/api.md,
 * "Remote ingest") instead of a local graph. Every batch is first written to a spool directory on disk
 * (one 0600 file per batch, named in send order) and a single drain loop sends the oldest file and
 * deletes it once the API answered 200, so batches arrive in order, survive an API outage and even a
 * sensor restart. The spool is bounded by bytes (and by age): when full, the oldest batches are
 * evicted and counted, and the next batch carries a `Coverage` window marked `lost` over what was
 * evicted, so the graph never reads the gap as "not seen".
 *
 * Batch ids are `<syncId>#<sequence>`: a retried batch (the answer was lost, the API restarted) is
 * recognised by the API and applied once. Counts are cumulative within the sync, so batches must be
 * applied in order: the drain loop never skips ahead of an unsent batch, except one the API refused.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError, SensorError } from '../errors.js';
import type { Batch, NodeRecord, RelRecord } from '../graph/records.js';
import { node, rel } from '../graph/records.js';
import { logger } from '../log.js';
import type { RecordSink, SensorOptions, SensorRunSummary } from './run.js';

/** Default spool bound: a day of busy windows on a small host. */
export const DEFAULT_SPOOL_MAX_BYTES = 256 * 1024 * 1024;
/** Spooled batches older than this are evicted: the API forgets batch ids after 30 days, and stale counts help no one. */
export const DEFAULT_SPOOL_MAX_AGE_MS = 7 * 86_400_000;

/** What the spool keeps about a batch beside its body: enough to count and describe it when evicted. */
export interface BatchMeta {
  batchId: string;
  /** Node and relationship records in the body (the header not counted). */
  records: number;
  createdAt: string;
  /** The observation time the batch covers (its Coverage windows; else its creation). */
  from: string;
  to: string;
  workloads: string[];
  probes: string[];
  /** The loss this batch's `lost` Coverage mark stands for: evicting the batch loses the mark too. */
  carries?: { batches: number; records: number };
}

/** Evicted batches not yet reported to the graph: the next batch carries a `lost` Coverage window over them. */
export interface Loss {
  batches: number;
  records: number;
  from: string;
  to: string;
  workloads: string[];
  probes: string[];
}

interface Entry {
  file: string;
  bytes: number;
  meta: BatchMeta;
}

export interface SpoolOptions {
  dir: string;
  /** Upper bound of the spool's files, in bytes. */
  maxBytes?: number;
  /** Batches older than this are evicted (counted) instead of sent. */
  maxAgeMs?: number;
  now?: () => number;
}

/** Totals of what the spool evicted, for the run summary. */
export interface Evictions {
  batches: number;
  records: number;
  bytes: number;
}

/**
 * A bounded, ordered, on-disk queue of batches. Files are `<16-digit sequence>.batch`: a JSON line of
 * metadata, then the request body. Writes go to a temporary name and are renamed, so a crash leaves
 * whole batches only. Synchronous on purpose: a few small files per window, and the order of put,
 * evict and remove must never interleave.
 */
export class Spool {
  readonly dir: string;
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly entries: Entry[] = [];
  private seq = 0;
  private total = 0;
  private loss: Loss | undefined;
  readonly evicted: Evictions = { batches: 0, records: 0, bytes: 0 };

  constructor(opts: SpoolOptions) {
    this.dir = opts.dir;
    this.maxBytes = opts.maxBytes ?? DEFAULT_SPOOL_MAX_BYTES;
    this.maxAgeMs = opts.maxAgeMs ?? DEFAULT_SPOOL_MAX_AGE_MS;
    this.now = opts.now ?? Date.now;
    if (!(this.maxBytes > 0)) throw new InputError(`spool: the byte bound must be more than zero, got ${this.maxBytes}`);
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // Batches an earlier run could not send are replayed first, in their order.
    for (const name of fs.readdirSync(this.dir).sort()) {
      const file = path.join(this.dir, name);
      if (name.endsWith('.tmp')) {
        fs.rmSync(file, { force: true });
        continue;
      }
      const m = /^(\d{16})\.batch$/.exec(name);
      if (!m) continue;
      this.seq = Math.max(this.seq, Number(m[1]));
      const meta = readMeta(file);
      const bytes = fs.statSync(file).size;
      if (!meta) {
        // A file we cannot read back is a lost batch: counted, not guessed at.
        fs.rmSync(file, { force: true });
        this.evicted.batches++;
        this.evicted.bytes += bytes;
        continue;
      }
      this.entries.push({ file, bytes, meta });
      this.total += bytes;
    }
    this.evictOverflow(0);
  }

  /** Batches waiting to be sent. */
  get count(): number {
    return this.entries.length;
  }

  /** Bytes of the waiting batches. */
  get bytes(): number {
    return this.total;
  }

  /** Batch ids waiting, oldest first. */
  ids(): string[] {
    return this.entries.map((e) => e.meta.batchId);
  }

  /** Adds a batch as the newest, evicting the oldest ones until it fits; a batch larger than the whole bound is itself evicted. */
  put(meta: BatchMeta, body: string): void {
    const text = JSON.stringify(meta) + '\n' + body;
    const bytes = Buffer.byteLength(text);
    if (bytes > this.maxBytes) {
      this.evict({ file: '', bytes, meta });
      return;
    }
    this.evictOverflow(bytes);
    const name = `${String(++this.seq).padStart(16, '0')}.batch`;
    const file = path.join(this.dir, name);
    const tmp = file + '.tmp';
    fs.writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, file);
    this.entries.push({ file, bytes, meta });
    this.total += bytes;
  }

  /** The oldest batch (its metadata and body), after evicting batches past the age limit; undefined when empty. */
  peek(): { meta: BatchMeta; body: string } | undefined {
    for (;;) {
      const e = this.entries[0];
      if (!e) return undefined;
      if (this.now() - Date.parse(e.meta.createdAt) > this.maxAgeMs) {
        this.entries.shift();
        this.total -= e.bytes;
        this.evict(e);
        continue;
      }
      const text = fs.readFileSync(e.file, 'utf8');
      return { meta: e.meta, body: text.slice(text.indexOf('\n') + 1) };
    }
  }

  /** Removes the oldest batch once applied, if it is still `batchId` (a put may have evicted it while it was being sent). */
  shift(batchId: string): void {
    if (this.entries[0]?.meta.batchId !== batchId) return;
    const e = this.entries.shift()!;
    this.total -= e.bytes;
    fs.rmSync(e.file, { force: true });
  }

  /** Records the oldest batch, if still `batchId`, as lost (the API refused it): counted like an eviction. */
  drop(batchId: string): void {
    if (this.entries[0]?.meta.batchId !== batchId) return;
    const e = this.entries.shift()!;
    this.total -= e.bytes;
    this.evict(e);
  }

  /** Whether evicted batches still wait for their `lost` mark. */
  hasLoss(): boolean {
    return this.loss !== undefined;
  }

  /** The loss not yet reported to the graph, handed over once (the caller puts a `lost` window in its next batch). */
  takeLoss(): Loss | undefined {
    const l = this.loss;
    this.loss = undefined;
    return l;
  }

  private evictOverflow(incoming: number): void {
    while (this.entries.length > 0 && this.total + incoming > this.maxBytes) {
      const e = this.entries.shift()!;
      this.total -= e.bytes;
      this.evict(e);
    }
  }

  private evict(e: Entry): void {
    if (e.file) fs.rmSync(e.file, { force: true });
    const m = e.meta;
    // The batches a lost mark stood for were counted when they went; the mark's loss moves on to the next mark.
    this.evicted.batches += 1;
    this.evicted.records += m.records;
    this.evicted.bytes += e.bytes;
    const l = this.loss;
    this.loss = {
      batches: (l?.batches ?? 0) + 1 + (m.carries?.batches ?? 0),
      records: (l?.records ?? 0) + m.records + (m.carries?.records ?? 0),
      from: l && l.from < m.from ? l.from : m.from,
      to: l && l.to > m.to ? l.to : m.to,
      workloads: [...new Set([...(l?.workloads ?? []), ...m.workloads])].sort(),
      probes: [...new Set([...(l?.probes ?? []), ...m.probes])].sort(),
    };
    logger.warn({ batchId: m.batchId, records: m.records, spoolBytes: this.total, maxBytes: this.maxBytes }, 'sensor spool: batch evicted (the API was unreachable too long, or it refused the batch)');
  }
}

function readMeta(file: string): BatchMeta | undefined {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      const text = buf.subarray(0, n).toString('utf8');
      const nl = text.indexOf('\n');
      if (nl < 0) return undefined;
      const meta = JSON.parse(text.slice(0, nl)) as BatchMeta;
      return typeof meta.batchId === 'string' && typeof meta.createdAt === 'string' && Number.isInteger(meta.records) ? meta : undefined;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** Metadata of a batch from its records: the Coverage windows give the time range, workloads and probes. */
export function describeBatch(batchId: string, records: (NodeRecord | RelRecord)[], now: Date): BatchMeta {
  let from: string | undefined;
  let to: string | undefined;
  const workloads = new Set<string>();
  const probes = new Set<string>();
  for (const r of records) {
    if (r.kind !== 'node' || r.label !== 'Coverage') continue;
    const p = r.props ?? {};
    if (typeof p.from === 'string' && (from === undefined || p.from < from)) from = p.from;
    if (typeof p.to === 'string' && (to === undefined || p.to > to)) to = p.to;
    for (const w of Array.isArray(p.workloads) ? p.workloads : []) workloads.add(String(w));
    for (const x of Array.isArray(p.probes) ? p.probes : []) probes.add(String(x));
  }
  const at = now.toISOString();
  return { batchId, records: records.length, createdAt: at, from: from ?? at, to: to ?? at, workloads: [...workloads].sort(), probes: [...probes].sort() };
}

/** The `lost` Coverage window standing for evicted batches (docs/sensor.md, "Remote ingest"). */
export function lossRecords(host: string, syncId: string, index: number, loss: Loss): (NodeRecord | RelRecord)[] {
  const id = `${host}/${syncId}/spool-lost-${index}`;
  return [
    node('Coverage', id, {
      host,
      probes: loss.probes,
      from: loss.from,
      to: loss.to,
      lost: true,
      ringLost: 0,
      mapFull: 0,
      queueOverflow: 0,
      spoolEvicted: loss.batches,
      spoolEvictedRecords: loss.records,
      workloads: loss.workloads,
      syncRef: syncId,
    }),
    rel('ON_HOST', { label: 'Coverage', id }, { label: 'Host', id: host }),
    ...loss.workloads.map((w) => rel('COVERS', { label: 'Coverage', id }, { label: 'Workload', id: w })),
  ];
}

export interface RemoteOptions {
  /** The API's base URL (`https://reachgraph.example:4000/`); batches go to `<url>/ingest`. */
  url: string;
  /** The API key (role ingest); never logged. */
  apiKey: string;
  host: string;
  syncId: string;
  spool: Spool;
  /** First retry delay after a failure; doubles up to `maxBackoffMs`. Default 500 ms. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** One request's time limit; default 30 s. */
  requestTimeoutMs?: number;
}

/** What the remote sink did, for the run summary. */
export interface RemoteSummary {
  url: string;
  sent: number;
  duplicates: number;
  /** Batches the API refused (4xx): dropped from the spool, counted as lost. */
  rejected: number;
  /** The first refusals, with the API's code and message. */
  refusals: { batchId: string; status: number; code: string; message: string }[];
  /** Failed attempts (network errors, 5xx) that were retried later. */
  retries: number;
  evicted: Evictions;
  /** Batches still in the spool at the end (sent first by the next run with the same spool). */
  pending: { batches: number; bytes: number; dir: string };
}

/** `https://api.example:4000/` → `https://api.example:4000/ingest`; InputError naming --api for anything else. */
export function ingestEndpoint(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`--api: not a URL, got "${url.slice(0, 200)}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InputError(`--api: an http:// or https:// URL, got "${url.slice(0, 200)}"`);
  if (u.username || u.password) throw new InputError('--api: put no credentials in the URL; use --api-key-file or REACHGRAPH_API_KEY');
  return new URL('ingest', u.href.endsWith('/') ? u.href : u.href + '/').href;
}

type Attempt = { ok: true; duplicate: boolean } | { ok: false; retry: true; delayMs?: number; reason: string } | { ok: false; retry: false; status: number; code: string; message: string; fatal: boolean };

/**
 * The sensor's sink when it sends to an API. `write` only spools (fast, never blocks the sensor on the
 * network); one drain loop sends. Authentication failures stop the run (every batch would fail) and keep
 * the spool for a later run; a batch the API refuses as bad is dropped and counted; everything else
 * (unreachable, 5xx, 429) is retried with backoff, while the spool bounds what is kept meanwhile.
 */
export class RemoteSink implements RecordSink {
  private readonly endpoint: string;
  private seq = 0;
  private lossMarks = 0;
  private draining: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private closing = false;
  private fatal: SensorError | undefined;
  private backoff: number;
  private readonly stats = { sent: 0, duplicates: 0, rejected: 0, retries: 0, refusals: [] as RemoteSummary['refusals'] };

  constructor(private readonly opts: RemoteOptions) {
    this.endpoint = ingestEndpoint(opts.url);
    this.backoff = opts.backoffMs ?? 500;
  }

  /** Spools one batch (with a `lost` window for anything evicted since the last one) and wakes the sender. */
  async write(batch: Batch): Promise<void> {
    if (this.fatal) throw this.fatal;
    this.enqueue([...batch.nodes, ...batch.rels]);
    this.kick();
  }

  private enqueue(own: (NodeRecord | RelRecord)[]): void {
    const { host, syncId, spool } = this.opts;
    const loss = spool.takeLoss();
    const records = [...own, ...(loss ? lossRecords(host, syncId, this.lossMarks++, loss) : [])];
    const batchId = `${syncId}#${++this.seq}`;
    const meta = describeBatch(batchId, records, new Date());
    if (loss) meta.carries = { batches: loss.batches, records: loss.records };
    const header = JSON.stringify({ kind: 'sync', source: 'sensor', scope: host, syncId, mode: 'append' });
    spool.put(meta, [header, ...records.map((r) => JSON.stringify(r))].join('\n') + '\n');
  }

  /** Sends what the spool holds already (an earlier run's batches). */
  start(): void {
    if (this.opts.spool.count > 0) this.kick();
  }

  /** Starts the drain loop if it is idle. */
  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      // A batch spooled while the loop was finishing.
      if (!this.fatal && this.opts.spool.count > 0 && !this.closing) this.kick();
    });
  }

  private async drain(): Promise<void> {
    const { spool } = this.opts;
    for (let next = spool.peek(); next && !this.fatal; next = spool.peek()) {
      const r = await this.send(next.meta.batchId, next.body);
      if (r.ok) {
        spool.shift(next.meta.batchId);
        if (r.duplicate) this.stats.duplicates++;
        else this.stats.sent++;
        this.backoff = this.opts.backoffMs ?? 500;
        continue;
      }
      if (r.retry) {
        this.stats.retries++;
        if (this.closing) return;
        const delay = r.delayMs ?? this.backoff;
        this.backoff = Math.min(this.backoff * 2, this.opts.maxBackoffMs ?? 30_000);
        logger.warn({ batchId: next.meta.batchId, reason: r.reason, retryInMs: delay, spooled: spool.count }, 'remote ingest: API not available; batches wait in the spool');
        await this.sleep(delay);
        if (this.closing) return;
        continue;
      }
      if (this.stats.refusals.length < 10) this.stats.refusals.push({ batchId: next.meta.batchId, status: r.status, code: r.code, message: r.message });
      if (r.fatal) {
        // Every batch would be refused the same way: keep them for a run with a working key.
        this.fatal = new SensorError(`remote ingest: the API refused the sensor's key (${r.status} ${r.code}: ${r.message}); ${spool.count} batches kept in ${spool.dir}`, { code: 'REMOTE_INGEST_REFUSED' });
        logger.error({ status: r.status, code: r.code }, 'remote ingest: the API refused the key; stopping');
        return;
      }
      this.stats.rejected++;
      logger.error({ batchId: next.meta.batchId, status: r.status, code: r.code, message: r.message }, 'remote ingest: the API refused a batch; dropped and counted as lost');
      spool.drop(next.meta.batchId);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  private async send(batchId: string, body: string): Promise<Attempt> {
    let res: Response;
    try {
      res = await fetch(this.endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.opts.apiKey}`, 'content-type': 'application/x-ndjson', 'x-reachgraph-batch-id': batchId },
        body,
        signal: AbortSignal.timeout(this.opts.requestTimeoutMs ?? 30_000),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      return { ok: false, retry: true, reason: cause?.code ?? (e as Error).name };
    }
    const text = await res.text().catch(() => '');
    if (res.status === 200) {
      const reply = safeJson(text) as { duplicate?: boolean } | undefined;
      return { ok: true, duplicate: reply?.duplicate === true };
    }
    const err = (safeJson(text) as { errors?: { message?: string; extensions?: { code?: string } }[] } | undefined)?.errors?.[0];
    const code = err?.extensions?.code ?? `HTTP_${res.status}`;
    const message = String(err?.message ?? text.slice(0, 200));
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      const after = Number(res.headers.get('retry-after'));
      return { ok: false, retry: true, reason: `${res.status} ${code}`, ...(after > 0 ? { delayMs: Math.min(after * 1000, this.opts.maxBackoffMs ?? 30_000) } : {}) };
    }
    return { ok: false, retry: false, status: res.status, code, message, fatal: res.status === 401 || res.status === 403 };
  }

  /**
   * Stops accepting batches and keeps sending until the spool is empty or `graceMs` passed; what is
   * left stays in the spool for the next run. Throws when the API refused the key.
   */
  async close(graceMs = 10_000): Promise<RemoteSummary> {
    const deadline = Date.now() + graceMs;
    // Batches evicted by the last window's put still need their lost mark; it may evict in turn, hence the loop.
    for (let i = 0; i < 3 && !this.fatal && this.opts.spool.hasLoss(); i++) this.enqueue([]);
    while (!this.fatal && this.opts.spool.count > 0 && Date.now() < deadline) {
      this.kick();
      await Promise.race([this.draining, new Promise((r) => setTimeout(r, Math.max(0, Math.min(250, deadline - Date.now()))))]);
    }
    this.closing = true;
    this.wake?.();
    await this.draining;
    if (this.fatal) throw this.fatal;
    return this.summary();
  }

  /** Counters so far. */
  summary(): RemoteSummary {
    const { spool } = this.opts;
    return { url: this.endpoint, ...this.stats, refusals: [...this.stats.refusals], evicted: { ...spool.evicted }, pending: { batches: spool.count, bytes: spool.bytes, dir: spool.dir } };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Where `sensor run --api` sends and spools. */
export interface RemoteTarget {
  url: string;
  apiKey: string;
  spoolDir: string;
  spoolMaxBytes?: number;
}

/**
 * `sensor run --api URL`: the sensor's records go to a remote API through the spool. Batches left in
 * the spool by an earlier run are sent first. Pod attribution has no graph to ask here, so workloads
 * are named by container (the API's graph joins them to pods by the Kubernetes collector's ids).
 */
export async function runSensorToApi(opts: SensorOptions, target: RemoteTarget): Promise<{ remote: RemoteSummary; run: SensorRunSummary }> {
  const { loadAddon } = await import('./addon.js');
  const { newSensorSyncId, runSensor } = await import('./run.js');
  ingestEndpoint(target.url);
  const host = opts.host ?? os.hostname();
  const syncId = newSensorSyncId(host);
  // A sensor that is off creates no spool and sends nothing.
  loadAddon();
  const spool = new Spool({ dir: target.spoolDir, ...(target.spoolMaxBytes ? { maxBytes: target.spoolMaxBytes } : {}) });
  const sink = new RemoteSink({ url: target.url, apiKey: target.apiKey, host, syncId, spool });
  sink.start();
  let run: SensorRunSummary;
  try {
    run = await runSensor({ ...opts, host }, sink, syncId);
  } catch (e) {
    await sink.close().catch(() => undefined);
    throw e;
  }
  return { remote: await sink.close(), run };
}
