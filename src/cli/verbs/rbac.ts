/**
 * `reachgraph rbac can SUBJECT VERB RESOURCE[/SUBRESOURCE]`: the RBAC authorizer's answer, with the
 * bindings and rules behind a yes. Same answers as `kubectl auth can-i` (same default namespace,
 * same resource-name resolution); reads RBAC from --from-dir manifests or the cluster of the kubeconfig.
 */
import type { Command } from 'commander';
import { loadKubeConfig } from '../../collectors/kubernetes/api.js';
import { rbacFromCluster, rbacFromDir } from '../../collectors/kubernetes/rbac-source.js';
import { CollectorError, InputError } from '../../errors.js';
import { RbacIndex } from '../../identity/kubernetes/rbac/engine.js';
import { resolveResource } from '../../identity/kubernetes/rbac/resources.js';
import { parseSubject } from '../../identity/kubernetes/rbac/subject.js';
import type { AccessRequest, RbacState } from '../../identity/kubernetes/rbac/types.js';
import { logger } from '../../log.js';
import { parseFormat, printJson, printTable } from '../shared.js';

interface CanOpts {
  subresource?: string;
  namespace?: string;
  allNamespaces?: boolean;
  name?: string;
  fromDir?: string;
  kubeconfig?: string;
  group: string[];
  format: string;
}

/** Builds the request kubectl would send: namespace `default` unless -n or -A; a leading `/` is a non-resource URL. */
export function buildRequest(verb: string, resourceArg: string, o: { namespace?: string; allNamespaces?: boolean; name?: string }): { request: AccessRequest; warning?: string } {
  if (!verb.trim()) throw new InputError('VERB is empty');
  if (resourceArg.startsWith('/')) {
    if (o.name) throw new InputError('--name does not apply to a non-resource URL');
    return { request: { kind: 'nonResource', verb, path: resourceArg } };
  }
  const r = resolveResource(resourceArg);
  const namespace = o.allNamespaces ? '' : o.namespace ?? 'default';
  const request: AccessRequest = { kind: 'resource', verb, apiGroup: r.apiGroup, resource: r.resource, subresource: r.subresource, namespace, name: o.name ?? '' };
  return r.warning ? { request, warning: r.warning } : { request };
}

async function loadState(o: { fromDir?: string; kubeconfig?: string }): Promise<RbacState> {
  if (o.fromDir) return rbacFromDir(o.fromDir);
  const kc = loadKubeConfig(o.kubeconfig);
  try {
    return await rbacFromCluster(kc);
  } catch (e) {
    if (e instanceof CollectorError) throw e;
    throw new CollectorError(`cannot read RBAC from ${kc.getCurrentCluster()?.server}: ${(e as Error).message}`, { cause: e });
  }
}

export function register(program: Command): void {
  const rbac = program.commands.find((c) => c.name() === 'rbac') ?? program.command('rbac').description('Kubernetes RBAC: effective permissions');
  rbac
    .command('can')
    .description('may SUBJECT do VERB on RESOURCE? (SUBJECT: system:serviceaccount:NS:NAME, user:NAME or group:NAME)')
    .argument('<subject>')
    .argument('<verb>')
    .argument('<resource>', 'pods, pods/exec, deployments.apps, deployments.apps/scale, or a non-resource URL such as /healthz')
    .option('-n, --namespace <ns>', 'namespace of the request (default: default, as kubectl)')
    .option('-A, --all-namespaces', 'ask about all namespaces (cluster-wide grants only)')
    .option('--name <name>', 'name of the object (for rules with resourceNames)')
    .option('--subresource <sub>', 'subresource, as kubectl spells it (same as RESOURCE/SUB)')
    .option('--from-dir <dir>', 'read Roles/ClusterRoles/bindings from manifests instead of a cluster')
    .option('--kubeconfig <path>', 'kubeconfig of the cluster to read RBAC from (default: KUBECONFIG or ~/.kube/config)')
    .option('--group <group>', 'a group of the user (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('-f, --format <format>', 'table or json', 'table')
    .action(async (subject: string, verb: string, resource: string, o: CanOpts) => {
      const format = parseFormat(o.format);
      const principal = parseSubject(subject, o.group);
      if (o.subresource !== undefined) {
        if (resource.includes('/')) throw new InputError(`RESOURCE "${resource}" already names a subresource; drop --subresource`);
        resource = `${resource}/${o.subresource}`;
      }
      const { request, warning } = buildRequest(verb, resource, o);
      if (warning) logger.warn(warning);
      const state = await loadState(o);
      const decision = new RbacIndex(state).authorize(principal, request);
      if (format === 'json') printJson({ allowed: decision.allowed, reasons: decision.reasons });
      else {
        process.stdout.write(`${decision.allowed ? 'yes' : 'no'}\n`);
        for (const r of decision.reasons) process.stdout.write(`  ${r.binding} → ${r.role} (subject ${r.subject}): ${JSON.stringify(r.rule)}\n`);
        if (!decision.allowed) process.exitCode = 1;
      }
    });

  rbac
    .command('list')
    .description("SUBJECT's effective permissions: every rule of every binding that applies to it (like kubectl auth can-i --list, for all namespaces)")
    .argument('<subject>')
    .option('-n, --namespace <ns>', 'only what applies in this namespace (cluster-wide grants included)')
    .option('--from-dir <dir>', 'read Roles/ClusterRoles/bindings from manifests instead of a cluster')
    .option('--kubeconfig <path>', 'kubeconfig of the cluster to read RBAC from')
    .option('--group <group>', 'a group of the user (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('-f, --format <format>', 'table or json', 'table')
    .action(async (subject: string, o: { namespace?: string; fromDir?: string; kubeconfig?: string; group: string[]; format: string }) => {
      const format = parseFormat(o.format);
      const perms = new RbacIndex(await loadState(o)).permissionsOf(parseSubject(subject, o.group));
      const bindings = o.namespace === undefined ? perms.bindings : perms.applicable(o.namespace);
      const rules = bindings.flatMap((m) =>
        m.rb.rules.map((r) => ({
          scope: m.rb.namespace === '' ? '*' : m.rb.namespace,
          binding: `${m.rb.binding.kind}/${m.rb.namespace ? `${m.rb.namespace}/` : ''}${m.rb.binding.metadata.name}`,
          role: m.rb.roleName,
          verbs: r.verbs,
          apiGroups: r.apiGroups,
          resources: r.resources,
          resourceNames: r.resourceNames,
          nonResourceURLs: r.nonResourceURLs,
        })),
      );
      if (format === 'json') printJson({ subject, user: perms.principal.user, groups: perms.principal.groups, rules });
      else printTable(rules);
    });
}
