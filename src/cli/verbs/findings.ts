import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { printJson, printTable, withGraph } from '../shared.js';

/** Repeatable option: collects every value given. */
const many = (v: string, prev: string[] = []) => [...prev, ...v.split(',').filter(Boolean)];

export function register(program: Command): void {
  const cmd = program
    .command('findings')
    .description('the findings catalog run over every agent (or one subject), ranked by runtime-weighted priority; --refresh stores them, --stored lists what is stored')
    .option('--subject <subject>', 'only this subject (default: every AIAgent); not with --refresh or --stored')
    .option('--refresh', 'compute over every AIAgent and store: Finding nodes with status, resolution of findings gone, agents\' riskScore (docs/risk.md)')
    .option('--stored', 'list the stored findings (after a --refresh) with their status instead of computing')
    .option('--status <status>', 'with --stored: open, accepted or resolved')
    .option('--severity <severity>', 'with --stored: critical, high, medium or low (repeatable)', many)
    .option('--framework <key>', 'with --stored: owasp-llm, owasp-agentic, soc2, pci-dss, hipaa, or a control id such as LLM06 or CC6.1')
    .option('--agent <id>', 'with --stored: one AIAgent\'s findings')
    .option('--limit <n>', 'with --stored: at most this many, highest priority first', '100')
    .option('--model-sources <file>', 'model-source allowlist for RG-007 (JSON {"sources": [...]}, replaces cypher/findings/model-sources.json); for the computed report')
    .option('-f, --format <format>', 'table, json or sarif (SARIF 2.1.0; not with --refresh or --stored)', 'table')
    .action(async (o: { subject?: string; modelSources?: string; refresh?: boolean; stored?: boolean; status?: string; severity?: string[]; framework?: string; agent?: string; limit: string; format: string }) => {
      if (!['table', 'json', 'sarif'].includes(o.format)) throw new InputError(`--format: must be table, json or sarif, got "${o.format}"`);
      if (o.refresh && o.stored) throw new InputError('--refresh and --stored: give one of them');
      const storedOnly = [o.status !== undefined && '--status', o.severity !== undefined && '--severity', o.framework !== undefined && '--framework', o.agent !== undefined && '--agent'].filter(Boolean);
      if (!o.stored && storedOnly.length) throw new InputError(`${storedOnly.join(', ')}: only with --stored`);
      if ((o.refresh || o.stored) && o.subject !== undefined) throw new InputError(`--subject: not with ${o.refresh ? '--refresh (it runs over every AIAgent so that what it no longer finds can be resolved)' : '--stored (use --agent)'}`);
      if ((o.refresh || o.stored) && o.format === 'sarif') throw new InputError('--format sarif: only for the computed report (without --refresh or --stored)');
      if (o.refresh) {
        const { refreshFindings } = await import('../../risk/store.js');
        const r = await withGraph((g) => refreshFindings(g));
        if (o.format === 'json') printJson(r);
        else printTable([{ agents: r.subjects, found: r.found, new: r.created, reopened: r.reopened, resolved: r.resolved, complete: r.complete, scored: r.agentsScored }]);
        for (const f of r.failures) process.stderr.write(`reachgraph: findings refresh: ${f.rule} failed for ${f.subjects} agents: ${f.error}\n`);
        if (!r.complete) throw new InputError('findings refresh incomplete: the findings above were stored, none was resolved');
        return;
      }
      if (o.stored) {
        const limit = Number(o.limit);
        const { listFindings, MAX_FINDINGS_PAGE } = await import('../../risk/store.js');
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_FINDINGS_PAGE) throw new InputError(`--limit: must be an integer from 1 to ${MAX_FINDINGS_PAGE}, got "${o.limit}"`);
        const page = await withGraph((g) => listFindings(g, { filter: { status: o.status ?? null, severity: o.severity ?? null, framework: o.framework ?? null, agent: o.agent ?? null }, first: limit }));
        if (o.format === 'json') return printJson({ findings: page.findings, more: page.hasNext });
        printTable(page.findings.map((f) => ({ id: f.id, status: f.status, priority: f.priority, severity: f.severity, subject: f.subject.id, target: f.target, exercised: f.exercised, entry: f.entry, firstSeen: f.firstSeen, acceptedUntil: f.status === 'accepted' ? f.acceptance?.expires : undefined })));
        if (page.hasNext) process.stderr.write(`(more than ${limit}: raise --limit or narrow the filter)\n`);
        return;
      }
      const [{ findings }, { loadModelSources }] = await Promise.all([import('../../risk/run.js'), import('../../risk/findings.js')]);
      const modelSources = o.modelSources !== undefined ? loadModelSources(o.modelSources) : undefined;
      const r = await withGraph((g) => findings(g, { subject: o.subject, modelSources }));
      if (o.format === 'sarif') {
        const [{ toSarif }, { VERSION }] = await Promise.all([import('../../risk/sarif.js'), import('../../version.js')]);
        return printJson(toSarif(r.catalog, r.findings, VERSION));
      }
      if (o.format === 'json') return printJson({ subjects: r.subjects, findings: r.findings });
      printTable(r.findings.map((f) => ({ priority: f.priority, rule: f.ruleId, severity: f.severity, subject: f.subject.id, target: f.target, exercised: f.exercised, entry: f.entry, title: f.title })));
    });
  cmd
    .command('accept')
    .description('accept a stored finding\'s risk until a date: recorded as a RiskAcceptance (who, when, why) kept for audit; the finding reads accepted until then, open after')
    .argument('<finding-id>', 'a stored finding id (RG-NNN-…, from `findings --stored`)')
    .requiredOption('--reason <text>', 'why the risk is accepted')
    .requiredOption('--expires <date>', 'until when: an ISO date (end of that day, UTC) or date-time, at most a year ahead')
    .action(async (id: string, o: { reason: string; expires: string }) => {
      // --format belongs to `findings` (commander hands it to the parent wherever it is written): table or json here.
      const format = (cmd.opts() as { format: string }).format;
      if (!['table', 'json'].includes(format)) throw new InputError(`--format: must be table or json for accept, got "${format}"`);
      const [{ acceptRisk }, os] = [await import('../../risk/store.js'), await import('node:os')];
      let user = process.env.USER ?? 'unknown';
      try {
        user = os.userInfo().username;
      } catch {
        // No passwd entry (some containers): the environment's USER names the caller.
      }
      const by = `cli:${user}@${os.hostname()}`;
      const names = { findingId: 'FINDING_ID', reason: '--reason', expires: '--expires' } as const;
      const f = await withGraph((g) => acceptRisk(g, { findingId: id, reason: o.reason, expires: o.expires, by }, { argName: (n) => names[n] }));
      if (format === 'json') return printJson(f);
      printTable([{ id: f.id, status: f.status, by: f.acceptance?.by, at: f.acceptance?.at, expires: f.acceptance?.expires, reason: f.acceptance?.reason }]);
    });
}
