/**
 * Small helpers the verbs share: opening the graph, printing results. Every verb imports this file
 * while the CLI registers its verbs, so it stays light: the driver loads when a verb opens the graph.
 */
import type { Graph } from '../graph/driver.js';
import { InputError } from '../errors.js';

/** Runs `fn` with the configured graph (the local Neo4j must be running, or NEO4J_URI set). */
export async function withGraph<T>(fn: (g: Graph) => Promise<T>, opts: { start?: boolean } = {}): Promise<T> {
  const { loadConfig } = await import('../config.js');
  const { openGraph } = await import('../graph/driver.js');
  const graph = await openGraph({ config: loadConfig(), start: opts.start ?? false });
  try {
    return await fn(graph);
  } finally {
    await graph.close();
  }
}

export type Format = 'table' | 'json';

export function parseFormat(v: string): Format {
  if (v !== 'table' && v !== 'json') throw new InputError(`--format: must be table or json, got "${v}"`);
  return v;
}

export function printJson(v: unknown): void {
  process.stdout.write(JSON.stringify(v, null, 2) + '\n');
}

/** Prints rows as an aligned text table. */
export function printTable(rows: Record<string, unknown>[]): void {
  if (rows.length === 0) {
    process.stdout.write('(no rows)\n');
    return;
  }
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v)).replace(/\s+/g, ' ');
  const cells = rows.map((r) => cols.map((c) => cell(r[c])));
  const widths = cols.map((c, i) => Math.min(80, Math.max(c.length, ...cells.map((r) => r[i]!.length))));
  const line = (vals: string[]) => vals.map((v, i) => (v.length > widths[i]! ? v.slice(0, widths[i]! - 1) + '…' : v.padEnd(widths[i]!))).join('  ').trimEnd();
  process.stdout.write([line(cols), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n');
  process.stdout.write(`(${rows.length} row${rows.length === 1 ? '' : 's'})\n`);
}
