import { once } from 'node:events';
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import type { NetpolModel } from '../../identity/kubernetes/netpol/evaluate.js';
import { parseFormat, printJson, printTable, withGraph } from '../shared.js';

/** The ingest source of NetworkPolicy verdicts (scope: the cluster name). */
export const NETPOL_SOURCE = 'kubernetes-netpol';

interface Opts {
  fromDir?: string;
  cluster?: string;
  load?: boolean;
  ipBlocksExternalOnly?: boolean;
  format: string;
}

export function register(program: Command): void {
  program
    .command('netpol')
    .description('NetworkPolicy reachability: which pod may connect to which declared port of which other pod')
    .option('--from-dir <dir>', 'evaluate manifests offline (YAML, multi-document, or kubectl -o json dumps)')
    .option('--cluster <name>', 'cluster name: with --from-dir --load, the scope to store under; without --from-dir, the cluster to read back from the graph')
    .option('--load', 'with --from-dir: store the verdicts in the graph as MAY_CONNECT edges')
    .option('--ip-blocks-external-only', 'ipBlock peers match external IPs only, never pod IPs (np-guard/Cilium reading; default: pod IPs match too, as the upstream e2e suite expects)')
    .option('-f, --format <format>', 'table or json', 'table')
    .action(async (o: Opts) => {
      const format = parseFormat(o.format);
      if (o.fromDir === undefined) {
        if (!o.cluster) throw new InputError('netpol: give --from-dir DIR, or --cluster NAME to read stored verdicts');
        const rows = await withGraph((g) => g.read('queries/kubernetes/netpol-connections', { cluster: o.cluster, src: null, dst: null }));
        if (format === 'json') printJson({ connections: rows });
        else printTable(rows);
        return;
      }
      const { countManifests, describeSource, manifestSource, readManifestDir } = await import('../../collectors/kubernetes/manifests.js');
      const { allowedConnections, buildNetpolModel } = await import('../../identity/kubernetes/netpol/evaluate.js');
      const { logger } = await import('../../log.js');
      const m = await readManifestDir(o.fromDir);
      const { skipped } = countManifests(m);
      if (Object.keys(skipped).length > 0) logger.info({ skipped }, 'kinds the NetworkPolicy evaluator does not read were skipped');
      const started = Date.now();
      const model = buildNetpolModel(
        { namespaces: m.namespaces, pods: m.pods, networkPolicies: m.networkPolicies },
        {
          ipBlockMatchesPods: o.ipBlocksExternalOnly !== true,
          describe: (obj) => {
            const s = manifestSource(obj);
            return s && describeSource(s);
          },
        },
      );
      logger.debug({ pods: model.pods.length, classes: model.classes.length, policies: model.policies.length, ms: Date.now() - started }, 'netpol compiled');
      if (o.load) {
        const cluster = o.cluster ?? 'offline';
        const { netpolBatch } = await import('../../identity/kubernetes/netpol/graph.js');
        const { runSync } = await import('../../graph/ingest.js');
        const batch = netpolBatch(model, { cluster });
        const summary = await withGraph(async (g) => {
          // The Kubernetes collector stores the same MAY_CONNECT edges for the clusters it collects;
          // two owners of one cluster's edges would overwrite each other's provenance.
          const owned = await g.read('queries/count-syncs-of-scope', { source: 'kubernetes', scope: cluster });
          if (Number(owned[0]?.syncs ?? 0) > 0) throw new InputError(`--cluster ${cluster}: the Kubernetes collector already stores this cluster's NetworkPolicy edges (collect kubernetes); use another --cluster name for an offline what-if`);
          return runSync(g, { source: NETPOL_SOURCE, scope: cluster, mode: 'replace' }, (sink) => sink.write(batch));
        });
        logger.info({ ...batch.stats, syncId: summary.syncId }, 'netpol verdicts stored');
      }
      if (format === 'json') await writeAllowedJson(model);
      else printTable(allowedConnections(model) as unknown as Record<string, unknown>[]);
    });
}

/**
 * `{"allowed": [...]}` written block by block of source pods: a large estate has ~10⁸ rows, more
 * than memory or one JSON.stringify string holds. Same bytes as printJson would write.
 */
async function writeAllowedJson(model: NetpolModel): Promise<void> {
  const { forEachAllowedConnection } = await import('../../identity/kubernetes/netpol/evaluate.js');
  const out = process.stdout;
  const put = async (s: string) => {
    if (s !== '' && !out.write(s)) await once(out, 'drain');
  };
  let first = true;
  await put('{\n  "allowed": [');
  const BLOCK = 16;
  for (let s = 0; s < model.pods.length; s += BLOCK) {
    const parts: string[] = [];
    forEachAllowedConnection(
      model,
      (r) => {
        parts.push(`${first ? '\n' : ',\n'}    {\n      "src": ${JSON.stringify(r.src)},\n      "dst": ${JSON.stringify(r.dst)},\n      "port": ${r.port},\n      "protocol": ${JSON.stringify(r.protocol)}\n    }`);
        first = false;
      },
      s,
      s + BLOCK,
    );
    await put(parts.join(''));
  }
  await put(first ? ']\n}\n' : '\n  ]\n}\n');
}
