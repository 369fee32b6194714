import type { Command } from 'commander';
import { parseFormat, printJson, printTable, withGraph } from '../shared.js';

export function register(program: Command): void {
  program
    .command('blast-radius')
    .description('every sensitive target SUBJECT can reach (identity, network, tools), each with its shortest evidence path and a score')
    .argument('<subject>', 'an AIAgent id, pod NS/NAME, workload NS/KIND/NAME, system:serviceaccount:NS:NAME, IAM user or role ARN, or sensor Workload id')
    .option('--mode <mode>', 'declared (MAY_*), observed (DID_*) or both', 'both')
    .option('--depth <n>', 'longest path, in hops (1..10)', '6')
    .option('--domain <domain...>', 'identity, network and/or tools (default: all)')
    .option('-f, --format <format>', 'table or json', 'table')
    .action(async (subject: string, o: { mode: string; depth: string; domain?: string[]; format: string }) => {
      const format = parseFormat(o.format);
      const { blastRadius, checkBlastOptions, resolveSubject } = await import('../../risk/run.js');
      const opts = checkBlastOptions(o);
      const result = await withGraph(async (g) => blastRadius(g, await resolveSubject(g, subject), opts));
      if (format === 'json') return printJson(result);
      process.stdout.write(`subject ${result.subject.label} ${result.subject.id}; mode ${result.mode}, depth ${result.depth}, domains ${result.domains.join(',')}\n`);
      printTable(result.targets.map((t) => ({ score: t.score, kind: t.kind, target: t.target, hops: t.hops, observed: t.observed, path: t.path.map((h) => `${h.type}>${h.to}`).join(' ') })));
    });
}
