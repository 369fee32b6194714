import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { printJson, printTable, withGraph } from '../shared.js';

export function register(program: Command): void {
  program
    .command('findings')
    .description('the findings catalog run over every agent (or one subject), ranked by runtime-weighted priority')
    .option('--subject <subject>', 'only this subject (default: every AIAgent)')
    .option('-f, --format <format>', 'table, json or sarif (SARIF 2.1.0)', 'table')
    .action(async (o: { subject?: string; format: string }) => {
      if (!['table', 'json', 'sarif'].includes(o.format)) throw new InputError(`--format: must be table, json or sarif, got "${o.format}"`);
      const { findings } = await import('../../risk/run.js');
      const r = await withGraph((g) => findings(g, { subject: o.subject }));
      if (o.format === 'sarif') {
        const [{ toSarif }, { VERSION }] = await Promise.all([import('../../risk/sarif.js'), import('../../version.js')]);
        return printJson(toSarif(r.catalog, r.findings, VERSION));
      }
      if (o.format === 'json') return printJson({ subjects: r.subjects, findings: r.findings });
      printTable(r.findings.map((f) => ({ priority: f.priority, rule: f.ruleId, severity: f.severity, subject: f.subject.id, target: f.target, exercised: f.exercised, entry: f.entry, title: f.title })));
    });
}
