/**
 * `reachgraph rbac can SUBJECT VERB RESOURCE[/SUBRESOURCE]`: the RBAC authorizer's answer, with the
 * bindings and rules behind a yes. Same answers as `kubectl auth can-i` (same default namespace,
 * same resource-name resolution); reads RBAC from --from-dir manifests or the cluster of the kubeconfig.
 */
import type { Command } from 'commander';
import { CollectorError, InputError } from '../../errors.js';
import { aggregationDrift, RbacIndex } from '../../identity/kubernetes/rbac/engine.js';
import { resolveResource } from '../../identity/kubernetes/rbac/resources.js';
import { parseSubject } from '../../identity/kubernetes/rbac/subject.js';
import type { AccessRequest, RbacState } from '../../identity/kubernetes/rbac/types.js';
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

/**
 * First path segments of the API server's own non-resource URLs (`/healthz`, `/version`, `/logs/…`); none
 * is a resource name, so RESOURCE spelled like one is a non-resource URL that lost its leading `/`.
 */
const NON_RESOURCE_ROOTS = new Set(['api', 'apis', 'healthz', 'livez', 'readyz', 'version', 'metrics', 'logs', 'openapi', 'debug', '.well-known', 'openid']);

/** Builds the request kubectl would send: namespace `default` unless -n or -A; a leading `/` is a non-resource URL. */
export function buildRequest(verb: string, resourceArg: string, o: { namespace?: string; allNamespaces?: boolean; name?: string }): { request: AccessRequest; warning?: string } {
  if (!verb.trim()) throw new InputError('VERB is empty');
  if (resourceArg.startsWith('/')) {
    if (o.name) throw new InputError('--name does not apply to a non-resource URL');
    return { request: { kind: 'nonResource', verb, path: resourceArg } };
  }
  // The API server would read these as a resource (and a subresource with slashes in it) and answer about
  // something nobody meant; a question about a non-resource URL must say so with its leading "/".
  const head = resourceArg.split('/')[0]!.trim();
  if (NON_RESOURCE_ROOTS.has(head.replace(/\*+$/, '')) || resourceArg.split('/').length > 2 || (head.startsWith('*') && head !== '*')) {
    throw new InputError(`RESOURCE "${resourceArg}" is not a resource name; a non-resource URL starts with "/" (e.g. /${resourceArg.replace(/^\/*/, '')})`);
  }
  const r = resolveResource(resourceArg);
  const namespace = o.allNamespaces ? '' : o.namespace ?? 'default';
  const request: AccessRequest = { kind: 'resource', verb, apiGroup: r.apiGroup, resource: r.resource, subresource: r.subresource, namespace, name: o.name ?? '' };
  return r.warning ? { request, warning: r.warning } : { request };
}

// The logger (pino) loads when there is something to log and the Kubernetes client only for a live
// cluster: registering this verb, which every `reachgraph` call does, must stay light.
const logger = async () => (await import('../../log.js')).logger;

async function loadState(o: { fromDir?: string; kubeconfig?: string }): Promise<RbacState> {
  const { rbacFromCluster, rbacFromDir } = await import('../../collectors/kubernetes/rbac-source.js');
  if (o.fromDir) return rbacFromDir(o.fromDir);
  const { loadKubeConfig } = await import('../../collectors/kubernetes/api.js');
  const kc = loadKubeConfig(o.kubeconfig);
  try {
    const state = await rbacFromCluster(kc);
    // Answers come from the stored rules (what the server enforces); a difference from what the selectors
    // give is worth knowing (a stopped controller, or rules an empty selection kept).
    for (const d of aggregationDrift(state.clusterRoles)) {
      (await logger()).warn({ clusterRole: d.name, storedRules: d.stored, selectedRules: d.selected }, `ClusterRole ${d.name}: stored rules differ from what its aggregationRule selects; answering from the stored rules`);
    }
    return state;
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
    .argument('<resource>', 'pods, pods/exec, deployments.apps, deployments.apps/scale, or a non-resource URL starting with "/", such as /healthz')
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
      if (warning) (await logger()).warn(warning);
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
