/**
 * `reachgraph ingest FILE`: loads a JSON Lines file of the normalized batch format
 * (docs/ingest-format.md). The whole file is validated first, so a malformed line writes nothing;
 * then it is streamed into the graph in batches through the ingest core.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { InputError } from '../errors.js';
import type { Graph } from './driver.js';
import { describeIssue, runSync, type SyncSummary } from './ingest.js';
import { nodeRecordSchema, relRecordSchema, syncHeaderSchema, type NodeRecord, type RelRecord, type SyncHeader } from './records.js';

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
  const kind = (v as { kind?: unknown }).kind;
  const schema = kind === 'node' ? nodeRecordSchema : kind === 'rel' ? relRecordSchema : kind === 'sync' ? syncHeaderSchema : undefined;
  if (!schema) throw new InputError(`${where}: field \`kind\`: must be "node", "rel" or "sync", got ${JSON.stringify(kind)?.slice(0, 40)}`);
  const r = schema.safeParse(v);
  if (!r.success) throw new InputError(`${where}: ${describeIssue(r.error.issues[0]!)}`);
  return { kind, rec: r.data } as Line;
}

async function* lines(file: string): AsyncGenerator<[number, string]> {
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const l of rl) {
    n++;
    if (l.trim() !== '') yield [n, l];
  }
}

export interface IngestFileOptions {
  source?: string;
  scope?: string;
  syncId?: string;
  mode?: 'replace' | 'append';
  batchSize?: number;
  progress?: boolean;
}

/** Validates the whole file, then ingests it as one sync. */
export async function ingestFile(graph: Graph, file: string, opts: IngestFileOptions = {}): Promise<SyncSummary> {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such file`);
  let header: SyncHeader | undefined;
  let total = 0;
  for await (const [n, text] of lines(file)) {
    const parsed = parseLine(file, n, text);
    if (parsed.kind === 'sync') {
      if (total > 0 || header) throw new InputError(`${file}:${n}: a "sync" header may only be the first record`);
      header = parsed.rec;
    } else total++;
  }
  const source = opts.source ?? header?.source ?? 'file';
  const scope = opts.scope ?? header?.scope ?? path.basename(file);
  const batchSize = opts.batchSize ?? 5_000;
  return runSync(
    graph,
    { source, scope, syncId: opts.syncId ?? header?.syncId, mode: opts.mode ?? header?.mode, total, batchSize, prevalidated: true, progress: opts.progress },
    async (sink) => {
      let nodes: NodeRecord[] = [];
      let rels: RelRecord[] = [];
      for await (const [n, text] of lines(file)) {
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
}
