/**
 * `reachgraph collect kubernetes`: a live cluster (list, then --watch for changes) or --from-dir manifests,
 * into the graph as source 'kubernetes', scope = cluster name.
 */
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { parseFormat, printJson, withGraph } from '../shared.js';

interface Opts {
  fromDir?: string;
  cluster?: string;
  kubeconfig?: string;
  watch?: boolean;
  format: string;
}

export function register(program: Command): void {
  const collect = program.commands.find((c) => c.name() === 'collect') ?? program.command('collect').description('collect a declared source into the graph');
  collect
    .command('kubernetes')
    .description('Kubernetes workloads, RBAC (with attack edges), NetworkPolicy and service-account cloud links (secrets: metadata only)')
    .option('--from-dir <dir>', 'read YAML manifests / kubectl -o json dumps instead of a cluster')
    .option('--cluster <name>', 'cluster name = graph scope (default: the kubeconfig context, or "offline" with --from-dir)')
    .option('--kubeconfig <path>', 'kubeconfig (default: KUBECONFIG or ~/.kube/config)')
    .option('--watch', 'after the first sync, keep watching and apply changes until interrupted')
    .option('-f, --format <format>', 'table or json', 'table')
    .action(async (o: Opts) => {
      const format = parseFormat(o.format);
      const print = (s: object) => (format === 'json' ? printJson(s) : process.stdout.write(`${JSON.stringify(s)}\n`));
      const { collectFromDir, KubernetesCollector } = await import('../../collectors/kubernetes/collect.js');
      if (o.fromDir) {
        if (o.watch) throw new InputError('--watch needs a cluster, not --from-dir');
        const cluster = o.cluster ?? 'offline';
        const s = await withGraph((g) => collectFromDir(g, o.fromDir!, cluster));
        print(s);
        return;
      }
      const { loadKubeConfig } = await import('../../collectors/kubernetes/api.js');
      const { logger } = await import('../../log.js');
      const kc = loadKubeConfig(o.kubeconfig);
      const cluster = o.cluster ?? kc.getCurrentContext() ?? 'default';
      await withGraph(async (g) => {
        const c = new KubernetesCollector(g, { cluster, kubeConfig: kc, onSync: (s) => (s.trigger === 'watch' ? logger.info({ nodes: s.nodes, rels: s.rels, removedNodes: s.removedNodes }, 'watch sync') : undefined) });
        const first = await c.start({ watch: o.watch === true });
        print(first);
        if (!o.watch) return;
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await c.stop();
      });
    });
}
