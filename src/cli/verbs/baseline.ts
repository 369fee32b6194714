import type { Command } from 'commander';
import type { StoredBaseline } from '../../behavior/store.js';
import { InputError } from '../../errors.js';
import { parseFormat, printJson, printTable, withGraph } from '../shared.js';

const SUBJECT = 'a sensor Workload id (host/kind/name), an agent name, an IAM role or user ARN, or an AIAgent id (its MCP tool calls)';
const iso = (ms: number) => new Date(ms).toISOString();

/** `reachgraph baseline learn|lock|relearn|show SUBJECT`: what is normal for a subject (docs/behavior.md). */
export function register(program: Command): void {
  const cmd = program.command('baseline').description('behavioural baselines: learn what a subject does over a window, lock it, re-learn after an accepted change');

  cmd
    .command('learn')
    .description('learn SUBJECT\'s baseline from its observed edges over a window ending now (or starting at --from); --lock locks it at once')
    .argument('<subject>', SUBJECT)
    .option('--window <duration>', 'learning window: 90s, 15m, 24h, 7d', '24h')
    .option('--from <iso>', 'start of the window (default: --window back from now)')
    .option('--lock', 'lock the baseline right after learning it')
    .option('-f, --format <format>', 'table or json', 'table')
    .action(async (subject: string, o: { window: string; from?: string; lock?: boolean; format: string }) => {
      const format = parseFormat(o.format);
      const { parseDuration } = await import('../../behavior/baseline.js');
      const windowMs = parseDuration(o.window);
      const from = parseFrom(o.from);
      const store = await import('../../behavior/store.js');
      const b = await withGraph(async (g) => {
        await store.learn(g, subject, { windowMs, ...(from !== undefined ? { from } : {}) });
        if (o.lock) await store.lock(g, subject);
        return store.showBaseline(g, subject);
      });
      print(b, format);
    });

  cmd
    .command('relearn')
    .description('after an accepted change: learn SUBJECT\'s baseline again over a window ending now, as the next version, and lock it')
    .argument('<subject>', SUBJECT)
    .option('--window <duration>', 'learning window: 90s, 15m, 24h, 7d', '24h')
    .option('-f, --format <format>', 'table or json', 'table')
    .action(async (subject: string, o: { window: string; format: string }) => {
      const format = parseFormat(o.format);
      const { parseDuration } = await import('../../behavior/baseline.js');
      const windowMs = parseDuration(o.window);
      const store = await import('../../behavior/store.js');
      print(
        await withGraph(async (g) => {
          await store.relearn(g, subject, { windowMs });
          return store.showBaseline(g, subject);
        }),
        format,
      );
    });

  // lock and show: one subject in, the stored baseline out
  for (const [name, description, verb] of [
    ['lock', "lock SUBJECT's learned baseline: edges outside it are drift from now on", 'lock'],
    ['show', "print SUBJECT's baseline: state, window, coverage of the window, entries", 'showBaseline'],
  ] as const) {
    cmd
      .command(name)
      .description(description)
      .argument('<subject>', SUBJECT)
      .option('-f, --format <format>', 'table or json', 'table')
      .action(async (subject: string, o: { format: string }) => {
        const format = parseFormat(o.format);
        const store = await import('../../behavior/store.js');
        print(await withGraph((g) => store[verb](g, subject)), format);
      });
  }
}

function parseFrom(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new InputError(`--from: "${v}" is not an ISO date`);
  return t;
}

function print(b: StoredBaseline, format: 'table' | 'json'): void {
  const view = {
    id: b.id,
    subject: b.subject,
    state: b.state,
    version: b.version,
    windowFrom: iso(b.windowFrom),
    windowTo: iso(b.windowTo),
    lockedAt: b.props.lockedAt ?? null,
    coverageComplete: b.props.coverageComplete,
    coverageWindows: b.props.coverageWindows,
    coverageLostWindows: b.props.coverageLostWindows,
    coverageGaps: b.props.coverageGaps,
    entryCount: b.entryCount,
    entries: b.entries.map((e) => ({ kind: e.kind, target: e.target, count: e.count, firstSeen: iso(e.firstSeen), lastSeen: iso(e.lastSeen) })),
  };
  if (format === 'json') return printJson(view);
  const gaps = (view.coverageGaps as string[] | undefined) ?? [];
  process.stdout.write(`baseline ${view.subject}: ${view.state}, version ${view.version}, window ${view.windowFrom} .. ${view.windowTo}\n`);
  process.stdout.write(`coverage: ${view.coverageComplete ? 'complete' : 'INCOMPLETE'} (${String(view.coverageWindows)} windows, ${String(view.coverageLostWindows)} lost)${gaps.length ? '\n  ' + gaps.join('\n  ') : ''}\n\n`);
  printTable(view.entries);
  // a baseline may hold any number of entries; show reads the first ones (Cypher reads the rest)
  if (b.entryCount > b.entries.length) process.stdout.write(`… ${b.entryCount - b.entries.length} more of ${b.entryCount} entries (MATCH (:Baseline {id: "${b.id}"})-[:HAS_ENTRY]->(e) RETURN e)\n`);
}
