/** `reachgraph collect aws`: AWS IAM into the graph (source `aws`, scope = account id). */
import type { Command } from 'commander';
import { collectAws } from '../../collectors/aws/collect.js';
import { parseClusterMappings, readPodIdentityFile, readScpFile } from '../../collectors/aws/files.js';
import { printJson, withGraph } from '../shared.js';

export function register(program: Command): void {
  const collect = program.commands.find((c) => c.name() === 'collect') ?? program.command('collect').description('collect a declared source into the graph');
  collect
    .command('aws')
    .description('AWS IAM: users, groups, roles, policies, trust, effective permissions, escalation paths, IRSA links, last-accessed usage')
    .option('--endpoint <url>', 'IAM endpoint override (e.g. a local moto server)')
    .option('--region <region>', 'AWS region for the client (IAM is global)')
    .option('--from-file <file>', 'offline: JSON from `aws iam get-account-authorization-details`')
    .option('--last-accessed <file>', 'saved GetServiceLastAccessedDetails responses: {"<principal arn>": <response>}')
    .option('--last-accessed-live', 'generate action-level last-accessed reports through the API (one job per principal)')
    .option('--cluster <issuer=name>', 'EKS OIDC issuer → Kubernetes cluster name, for IRSA links (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--pod-identity <file>', 'EKS Pod Identity associations (describe-pod-identity-association outputs)')
    .option('--scps <file>', 'SCP levels, root first: {"levels":[[{"name","document"}]]}')
    .action(async (o: { endpoint?: string; region?: string; fromFile?: string; lastAccessed?: string; lastAccessedLive?: boolean; cluster: string[]; podIdentity?: string; scps?: string }) => {
      const clusters = parseClusterMappings(o.cluster);
      const podIdentity = o.podIdentity ? readPodIdentityFile(o.podIdentity) : undefined;
      const scps = o.scps ? readScpFile(o.scps) : undefined;
      const res = await withGraph((g) =>
        collectAws(g, {
          ...(o.endpoint ? { endpoint: o.endpoint } : {}),
          ...(o.region ? { region: o.region } : {}),
          ...(o.fromFile ? { fromFile: o.fromFile } : {}),
          ...(o.lastAccessed ? { lastAccessedFile: o.lastAccessed } : {}),
          ...(o.lastAccessedLive ? { lastAccessedLive: true } : {}),
          clusters,
          ...(podIdentity ? { podIdentity } : {}),
          ...(scps ? { scps } : {}),
        }),
      );
      for (const p of res.problems) process.stderr.write(`reachgraph: warning: policy ${p.name}: ${p.message} (skipped)\n`);
      printJson(res);
    });
}
