/** `reachgraph collect aws`: AWS IAM into the graph (source `aws`, scope = account id). */
import type { Command } from 'commander';
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
    .option('--resources', 'also collect the resource inventory: S3, Secrets Manager (never values), KMS, DynamoDB, Lambda, ECR, SageMaker, Bedrock')
    .option('--services <list>', 'comma-separated inventory families (default all): sagemaker,bedrock,bedrock-agent,s3,secretsmanager,kms,dynamodb,lambda,ecr')
    .option('--regions <list>', 'comma-separated regions for the inventory (default: --region, AWS_REGION or us-east-1)')
    .option('--from-dir <dir>', 'offline inventory: saved `aws` CLI outputs, <dir>/<region>/<service>/<operation>.json (docs/aws-iam.md)')
    .option('--sensitive <regex>', 'names or tags that make a bucket, table or repository a crown jewel (case-insensitive)')
    .action(async (o: { endpoint?: string; region?: string; fromFile?: string; lastAccessed?: string; lastAccessedLive?: boolean; cluster: string[]; podIdentity?: string; scps?: string; resources?: boolean; services?: string; regions?: string; fromDir?: string; sensitive?: string }) => {
      const { collectAws } = await import('../../collectors/aws/collect.js');
      const { parseClusterMappings, readPodIdentityFile, readScpFile } = await import('../../collectors/aws/files.js');
      const clusters = parseClusterMappings(o.cluster);
      const podIdentity = o.podIdentity ? readPodIdentityFile(o.podIdentity) : undefined;
      const scps = o.scps ? readScpFile(o.scps) : undefined;
      const regions = o.regions ? o.regions.split(',').map((r) => r.trim()).filter((r) => r !== '') : o.region ? [o.region] : undefined;
      let sensitive: RegExp | undefined;
      try {
        sensitive = o.sensitive ? new RegExp(o.sensitive, 'i') : undefined;
      } catch (e) {
        const { InputError } = await import('../../errors.js');
        throw new InputError(`--sensitive ${o.sensitive}: ${(e as Error).message}`);
      }
      const { RESOURCE_FAMILIES } = await import('../../collectors/aws/inventory-types.js');
      const families = o.services?.split(',').map((f) => f.trim()).filter((f) => f !== '');
      const unknown = families?.filter((f) => !(RESOURCE_FAMILIES as readonly string[]).includes(f));
      if (unknown && unknown.length > 0) {
        const { InputError } = await import('../../errors.js');
        throw new InputError(`--services: unknown ${unknown.join(', ')}; known: ${RESOURCE_FAMILIES.join(', ')}`);
      }
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
          ...(o.resources ? { resources: true } : {}),
          ...(regions ? { regions } : {}),
          ...(o.fromDir ? { fromDir: o.fromDir } : {}),
          ...(sensitive ? { sensitive } : {}),
          ...(families ? { families: families as (typeof RESOURCE_FAMILIES)[number][] } : {}),
        }),
      );
      for (const p of res.problems) process.stderr.write(`reachgraph: warning: policy ${p.name}: ${p.message} (skipped)\n`);
      printJson(res);
    });
}
