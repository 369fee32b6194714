import type { Command } from 'commander';
import { parseFormat, printJson, printTable, withGraph } from '../shared.js';

export function register(program: Command): void {
  program
    .command('paths')
    .description('shortest and k-shortest attack paths from entry points (or --from) to crown jewels (or --to)')
    .option('--from <node>', 'start: a subject or any node id (default: the entry points, tagged or inferred)')
    .option('--to <node>', 'target node id')
    .option('--to-crown-jewels', 'every crown jewel, tagged or inferred')
    .option('--k <n>', 'paths per (entry, target), 1..8', '1')
    .option('--max-hops <n>', 'longest path, 1..10', '8')
    .option('-f, --format <format>', 'table or json', 'table')
    .action(async (o: { from?: string; to?: string; toCrownJewels?: boolean; k: string; maxHops: string; format: string }) => {
      const format = parseFormat(o.format);
      const { attackPaths } = await import('../../risk/run.js');
      const r = await withGraph((g) => attackPaths(g, { from: o.from, to: o.to, toCrownJewels: o.toCrownJewels, k: Number(o.k), maxHops: Number(o.maxHops) }));
      if (format === 'json') return printJson(r);
      process.stdout.write(`${r.entries.length} entry point(s), ${r.targets.length} target(s), k ${r.k}, max hops ${r.maxHops}\n`);
      printTable(r.paths.map((p) => ({ entry: p.entry, target: p.target, length: p.length, observed: p.observed, path: p.path.map((h) => `${h.type}>${h.to}`).join(' ') })));
    });
}
