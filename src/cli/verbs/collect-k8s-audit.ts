/**
 * `reachgraph collect k8s-audit FILE`: the API server's audit log (JSON lines) as observed Kubernetes
 * API use, into the graph as source 'k8s-audit', scope = cluster name, append mode (observations).
 */
import type { Command } from 'commander';
import { parseFormat, printJson, withGraph } from '../shared.js';

interface Opts {
  cluster: string;
  policy?: string;
  format: string;
}

export function register(program: Command): void {
  const collect = program.commands.find((c) => c.name() === 'collect') ?? program.command('collect').description('collect a declared source into the graph');
  collect
    .command('k8s-audit')
    .description('Kubernetes API audit log (audit.k8s.io/v1 JSON lines; metadata only, bodies never read) as DID_REQUEST edges of each service account and user')
    .argument('<file>', 'the audit log (--audit-log-path of kube-apiserver), or - for standard input')
    .requiredOption('--cluster <name>', 'the cluster name the Kubernetes collector used (the graph scope)')
    .option('--policy <file>', 'the audit policy the log was written under (--audit-policy-file): lets `gaps` call a grant missing from the log unused, not unknown')
    .option('-f, --format <format>', 'table or json', 'table')
    .action(async (file: string, o: Opts) => {
      const format = parseFormat(o.format);
      const { readAuditLog, auditRecords, auditSyncId, AUDIT_SOURCE } = await import('../../collectors/kubernetes/audit.js');
      const { runSync } = await import('../../graph/ingest.js');
      const policy = o.policy === undefined ? undefined : (await import('../../identity/kubernetes/audit-policy.js')).readAuditPolicy(o.policy);
      const ev = await readAuditLog(file);
      const batch = auditRecords(o.cluster, ev, policy);
      const summary = await withGraph((g) =>
        runSync(g, { source: AUDIT_SOURCE, scope: o.cluster, syncId: auditSyncId(o.cluster, ev), mode: 'append', progress: false }, async (sink) => {
          await sink.write(batch);
        }),
      );
      const out = { ...summary, events: ev.events, calls: ev.calls.length, window: ev.window, policy: policy !== undefined };
      if (format === 'json') printJson(out);
      else process.stdout.write(`k8s-audit ${o.cluster}: ${ev.events} requests in ${ev.calls.length} kinds${ev.window ? ` from ${ev.window.from} to ${ev.window.to}` : ''}${policy ? '' : ' (no --policy: unlogged and unused grants cannot be told apart)'}; sync ${summary.status}\n`);
    });
}
