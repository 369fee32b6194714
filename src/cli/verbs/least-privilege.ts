import type { Command } from 'commander';
import { printJson, withGraph } from '../shared.js';

export function register(program: Command): void {
  program
    .command('least-privilege')
    .description('the smallest IAM policy, Kubernetes Role or egress NetworkPolicy that still allows everything SUBJECT was observed doing, with the diff against what is declared')
    .argument('<subject>', 'an AIAgent id, pod NS/NAME, workload NS/KIND/NAME, system:serviceaccount:NS:NAME, IAM user or role ARN, or sensor Workload id')
    .requiredOption('--kind <kind>', 'iam, rbac or netpol')
    .action(async (subject: string, o: { kind: string }) => {
      const { leastPrivilege, resolveSubject } = await import('../../risk/run.js');
      printJson(await withGraph(async (g) => leastPrivilege(g, await resolveSubject(g, subject), o.kind)));
    });
}
