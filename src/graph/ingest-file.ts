/**
 * `reachgraph ingest FILE`: loads a JSON Lines file of the normalized batch format
 * (docs/ingest-format.md). The input is read exactly once: streamed into a private spooled copy
 * while every line is validated, so a malformed line writes nothing and a pipe, FIFO or a file that
 * changes during the run cannot yield a partial or empty sync; then the spool is streamed into the
 * graph in batches through the ingest core and removed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { InputError } from '../errors.js';
import type { Graph } from './driver.js';
import { describeIssue, runSync, type SyncSummary } from './ingest.js';
import { nodeRecordSchema, protoKeyPath, relRecordSchema, syncHeaderSchema, type NodeRecord, type RelRecord, type SyncHeader } from './records.js';

/** Longest line accepted, in bytes: a few maximal property values fit; a runaway line is refused, not buffered. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

type Line = { kind: 'node'; rec: NodeRecord } | { kind: 'rel'; rec: RelRecord } | { kind: 'sync'; rec: SyncHeader };

/** Parses one line; throws InputError naming file, line and field. */
export function parseLine(file: string, lineNo: number, text: string): Line {
  const where = `${file}:${lineNo}`;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${where}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError(`${where}: a line must be a JSON object`);
  const proto = protoKeyPath(v);
  if (proto) throw new InputError(`${where}: field \`${proto.join('.')}\`: the key "__proto__" is not allowed`);
  const kind = (v as { kind?: unknown }).kind;
  const schema = kind === 'node' ? nodeRecordSchema : kind === 'rel' ? relRecordSchema : kind === 'sync' ? syncHeaderSchema : undefined;
  if (!schema) throw new InputError(`${where}: field \`kind\`: must be "node", "rel" or "sync", got ${JSON.stringify(kind)?.slice(0, 40)}`);
  const r = schema.safeParse(v);
  if (!r.success) throw new InputError(`${where}: ${describeIssue(r.error.issues[0]!)}`);
  return { kind, rec: r.data } as Line;
}

/**
 * The lines of a byte stream, numbered from 1, blank ones skipped. Splits on bytes, so no line is held
 * beyond MAX_LINE_BYTES; each line is decoded as strict UTF-8 (a bad byte is refused, never turned into
 * U+FFFD, which could merge distinct ids); a UTF-8 byte order mark at the start of the input is dropped.
 * `tap` sees every chunk as read (the spool).
 */
export async function* streamLines(input: AsyncIterable<Buffer | string>, file: string, tap?: (chunk: Buffer) => Promise<void>): AsyncGenerator<[number, string]> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let n = 0;
  const tooLong = () => new InputError(`${file}:${n + 1}: line longer than ${MAX_LINE_BYTES} bytes (a record is one line of at most ${MAX_LINE_BYTES / 1024 / 1024} MiB)`);
  const decode = (bytes: Buffer): string => {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new InputError(`${file}:${n}: not valid UTF-8 (byte ${firstInvalidUtf8(bytes) + 1} of the line)`);
    }
    if (n === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  };
  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    if (tap) await tap(chunk);
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      if (pendingLen + piece.length > MAX_LINE_BYTES) throw tooLong();
      const bytes = pendingLen ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      pendingLen = 0;
      n++;
      const text = decode(bytes);
      if (text.trim() !== '') yield [n, text];
      start = nl + 1;
    }
    if (start < chunk.length) {
      if (pendingLen + chunk.length - start > MAX_LINE_BYTES) throw tooLong();
      pending.push(chunk.subarray(start));
      pendingLen += chunk.length - start;
    }
  }
  if (pendingLen) {
    n++;
    const text = decode(Buffer.concat(pending));
    if (text.trim() !== '') yield [n, text];
  }
}

/** Where strict decoding fails in a line (for the message): the offset of the first byte that starts no valid character. */
function firstInvalidUtf8(bytes: Buffer): number {
  const strict = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i]!;
    const len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    try {
      if (len > 1) strict.decode(bytes.subarray(i, i + len));
    } catch {
      return i;
    }
    i += len;
  }
  return bytes.length;
}

/** Options of `ingestFile`: the `reachgraph ingest` flags, overriding the file's sync header. */
export interface IngestFileOptions {
  source?: string;
  scope?: string;
  syncId?: string;
  mode?: 'replace' | 'append';
  batchSize?: number;
  progress?: boolean;
  /** Let an input without records run a replace-mode sync (which removes everything the source and scope had). */
  allowEmpty?: boolean;
  /** Passed to the ingest core: how long to wait for another sync of the same source and scope. */
  leaseWaitMs?: number;
}

/** What validating an input found: its optional header and how many records follow. */
export interface InputScan {
  header?: SyncHeader;
  records: number;
}

/** Validates every line of an input (one pass, bounded memory); throws InputError naming file and line. */
export async function validateInput(input: AsyncIterable<Buffer | string>, file: string, tap?: (chunk: Buffer) => Promise<void>): Promise<InputScan> {
  let header: SyncHeader | undefined;
  let records = 0;
  for await (const [n, text] of streamLines(input, file, tap)) {
    const parsed = parseLine(file, n, text);
    if (parsed.kind === 'sync') {
      if (records > 0 || header) throw new InputError(`${file}:${n}: a "sync" header may only be the first record`);
      header = parsed.rec;
    } else records++;
  }
  return header ? { header, records } : { records };
}

/** Opens an input for one read: a path (a regular file, FIFO, `<(…)`) or `-` / `/dev/stdin` for standard input. */
function openInput(file: string): Readable {
  // Standard input through the process's own stream: opening /dev/stdin again fails when it is a socket.
  if (file === '-' || file === '/dev/stdin') return process.stdin;
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new InputError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read (${(e as NodeJS.ErrnoException).code})`}`);
  }
  if (st.isDirectory()) throw new InputError(`${file}: is a directory`);
  return fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
}

/** Reads the input once into a private spool while validating it, then ingests the spool as one sync. */
export async function ingestFile(graph: Graph, file: string, opts: IngestFileOptions = {}): Promise<SyncSummary> {
  const input = openInput(file);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachgraph-ingest-'));
  const spool = path.join(dir, 'input.jsonl');
  try {
    const out = await fs.promises.open(spool, 'wx', 0o600);
    let scan: InputScan;
    try {
      scan = await validateInput(readErrorsAsInput(input, file), file, async (chunk) => {
        await out.write(chunk);
      });
    } finally {
      await out.close();
      input.destroy();
    }
    const { header, records } = scan;
    const source = opts.source ?? header?.source ?? 'file';
    const scope = opts.scope ?? header?.scope ?? (file === '-' ? 'stdin' : path.basename(file));
    const mode = opts.mode ?? header?.mode ?? 'replace';
    if (records === 0 && mode === 'replace' && !opts.allowEmpty) {
      throw new InputError(`${file}: no node or relationship records; a replace-mode sync of an empty input would remove everything ${source}/${scope} holds (pass --allow-empty to mean that, or use --mode append)`);
    }
    const batchSize = opts.batchSize ?? 5_000;
    return await runSync(
      graph,
      { source, scope, syncId: opts.syncId ?? header?.syncId, mode, total: records, batchSize, prevalidated: true, progress: opts.progress, leaseWaitMs: opts.leaseWaitMs },
      async (sink) => {
        let nodes: NodeRecord[] = [];
        let rels: RelRecord[] = [];
        for await (const [n, text] of streamLines(fs.createReadStream(spool, { highWaterMark: 1024 * 1024 }), file)) {
          const parsed = parseLine(file, n, text);
          if (parsed.kind === 'node') nodes.push(parsed.rec);
          else if (parsed.kind === 'rel') rels.push(parsed.rec);
          if (nodes.length + rels.length >= batchSize) {
            await sink.write({ nodes, rels });
            nodes = [];
            rels = [];
          }
        }
        await sink.write({ nodes, rels });
      },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A read error of the input (EISDIR, EACCES, EIO) as an InputError naming it. */
async function* readErrorsAsInput(input: Readable, file: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of input) yield chunk as Buffer;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
}
