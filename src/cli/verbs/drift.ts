import type { Command } from 'commander';
import type { DetectedDrift } from '../../behavior/store.js';
import { InputError } from '../../errors.js';
import { parseFormat, printJson, printTable, withGraph } from '../shared.js';

interface DriftOpts {
  agent?: string;
  follow?: boolean;
  interval: string;
  correlation: string;
  maxEvents: string;
  format: string;
  webhook?: string;
}

type Event = DetectedDrift['events'][number];

const row = (e: Event) => ({
  severity: e.severity.level,
  score: e.severity.score,
  kind: e.kind,
  target: e.target,
  subject: e.subject,
  class: e.classification.classification === 'explained' ? `explained by ${e.classification.explainedBy.kind} ${e.classification.explainedBy.id}` : 'unexplained',
  certainty: e.certainty,
  count: e.count,
  firstSeen: new Date(e.firstSeen).toISOString(),
  executables: e.executables.join(' '),
});

/** `reachgraph drift`: measure drift against locked baselines, write DriftEvent nodes, print them (docs/behavior.md). */
export function register(program: Command): void {
  program
    .command('drift')
    .description('observed edges outside locked baselines: detect, record as DriftEvent nodes, print; --follow keeps measuring and prints new events')
    .option('--agent <subject>', 'one subject (Workload id, agent name, IAM ARN); default every locked baseline')
    .option('--follow', 'keep measuring every --interval until Ctrl-C; print each new event once')
    .option('--interval <duration>', 'how often --follow measures', '5s')
    .option('--correlation <duration>', 'how long after a declared-state change new behaviour counts as explained', '1h')
    .option('--max-events <n>', 'most events per subject and run; the rest are counted by kind', '1000')
    .option('--webhook <url>', 'also POST each new event there, signed with REACHGRAPH_WEBHOOK_SECRET (HMAC-SHA256), retried with backoff, never blocking')
    .option('-f, --format <format>', 'table or json (with --follow: one JSON object per line)', 'table')
    .action(async (o: DriftOpts) => {
      const format = parseFormat(o.format);
      const { parseDuration } = await import('../../behavior/baseline.js');
      const correlationMs = parseDuration(o.correlation, '--correlation');
      const intervalMs = parseDuration(o.interval, '--interval');
      const maxEvents = Number(o.maxEvents);
      if (!Number.isInteger(maxEvents) || maxEvents < 1) throw new InputError(`--max-events: a positive integer, got "${o.maxEvents}"`);
      const { WebhookSender } = await import('../../behavior/webhook.js');
      const hook = o.webhook ? new WebhookSender({ url: o.webhook, secret: process.env.REACHGRAPH_WEBHOOK_SECRET ?? '' }) : undefined;
      const store = await import('../../behavior/store.js');
      const opts = { correlationMs, maxEvents, ...(o.agent ? { subject: o.agent } : {}) };
      const deliver = (r: DetectedDrift) => {
        for (const e of r.events) if (e.created) hook?.send(e);
      };
      const report = async () => {
        const s = await hook?.close();
        if (s) process.stderr.write(`webhook: ${s.delivered} delivered, ${s.retried} retries, ${s.failed} failed, ${s.dropped} dropped\n`);
      };
      if (!o.follow) {
        const res = await withGraph((g) => store.detect(g, opts));
        res.forEach(deliver);
        await report();
        if (format === 'json') return printJson(res);
        printTable(res.flatMap((r) => r.events.map(row)));
        for (const r of res) if (r.suppressed.total) process.stdout.write(`${r.subject}: ${r.suppressed.total} more events suppressed (${JSON.stringify(r.suppressed.byKind)})\n`);
        return;
      }
      const ac = new AbortController();
      const stop = () => ac.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        const lastSuppressed = new Map<string, number>();
        await withGraph(async (g) => {
          while (!ac.signal.aborted) {
            for (const r of await store.detect(g, opts)) {
              deliver(r);
              for (const e of r.events.filter((x) => x.created)) process.stdout.write(format === 'json' ? JSON.stringify(e) + '\n' : Object.values(row(e)).join('  ') + '\n');
              // a flood is summarized once per change of its size, not once per poll
              if (r.suppressed.total !== (lastSuppressed.get(r.subject) ?? 0)) {
                lastSuppressed.set(r.subject, r.suppressed.total);
                process.stdout.write(format === 'json' ? JSON.stringify({ subject: r.subject, suppressed: r.suppressed }) + '\n' : `${r.subject}: ${r.suppressed.total} events suppressed (${JSON.stringify(r.suppressed.byKind)})\n`);
              }
            }
            await new Promise((res) => {
              const t = setTimeout(res, intervalMs);
              ac.signal.addEventListener('abort', () => (clearTimeout(t), res(undefined)), { once: true });
            });
          }
        });
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        await report();
      }
    });
}
