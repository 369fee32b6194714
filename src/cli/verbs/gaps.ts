import type { Command } from 'commander';
import { parseFormat, printJson, printTable, withGraph } from '../shared.js';

export function register(program: Command): void {
  program
    .command('gaps')
    .description('granted but unused, and done but not granted or declared, for SUBJECT; "unused" only under full sensor coverage (RBAC: an audit log covering the window under a known policy), else "unknown"')
    .argument('<subject>', 'an AIAgent id, pod NS/NAME, workload NS/KIND/NAME, system:serviceaccount:NS:NAME, IAM user or role ARN, or sensor Workload id')
    .option('--since <when>', 'start of the evidence window: ISO date or 30d/12h/90m back from now (default: the span of the subject\'s coverage)')
    .option('-f, --format <format>', 'table or json', 'table')
    .action(async (subject: string, o: { since?: string; format: string }) => {
      const format = parseFormat(o.format);
      const { gaps, parseSince, resolveSubject } = await import('../../risk/run.js');
      const since = parseSince(o.since);
      const r = await withGraph(async (g) => gaps(g, await resolveSubject(g, subject), { since }));
      if (format === 'json') return printJson(r);
      process.stdout.write(`subject ${r.subject.label} ${r.subject.id}; evidence window ${r.window ? `${r.window.from} .. ${r.window.to}` : 'none'}\n`);
      process.stdout.write(
        `completeness: ${Object.entries(r.completeness)
          .map(([d, c]) => `${d} ${c.complete ? 'complete' : `incomplete (${c.reason})`}`)
          .join('; ')}\n\ngranted but unused:\n`,
      );
      printTable(r.grantedUnused as unknown as Record<string, unknown>[]);
      process.stdout.write('\ndone but not granted or declared:\n');
      printTable(r.doneUndeclared as unknown as Record<string, unknown>[]);
    });
}
