/**
 * Attack edges: who may act as which identity, computed from RBAC grants and pod facts. Pure.
 * Each method and its preconditions are catalogued in docs/kubernetes-attack-edges.md.
 *
 * Edges point from a subject (ServiceAccount, User, Group), a Pod or a Node to an identity it may act as
 * (ServiceAccount, User, Group, Node) or, for `bind`/`escalate`, a role or namespace whose grants it can take.
 */
import { serviceAccountPrincipal, type PermissionSet, type RbacIndex } from '../rbac/engine.js';
import type { Principal, Reason, ResourceRequest } from '../rbac/types.js';
import { nodeEscapes, type PodFacts } from './facts.js';

export type EntityRef =
  | { kind: 'ServiceAccount'; namespace: string; name: string }
  | { kind: 'User'; name: string }
  | { kind: 'Group'; name: string }
  | { kind: 'Node'; name: string }
  | { kind: 'Pod'; namespace: string; name: string }
  | { kind: 'ClusterRole'; name: string }
  | { kind: 'Namespace'; name: string };

export interface AttackEdge {
  from: EntityRef;
  to: EntityRef;
  /** MAY_ACT_AS: becomes that identity. MAY_ESCALATE_TO: can grant itself that role's permissions. */
  type: 'MAY_ACT_AS' | 'MAY_ESCALATE_TO';
  method: string;
  evidence: string;
}

/** A secret readable by a subject: MAY_ACCESS edges (names only, never values). */
export interface SecretAccess {
  from: EntityRef;
  secret: { namespace: string; name: string };
  verbs: string[];
  evidence: string;
}

export interface AttackInput {
  namespaces: ReadonlyArray<{ name: string; labels: Record<string, string> }>;
  serviceAccounts: ReadonlyArray<{ namespace: string; name: string }>;
  /** Secrets' metadata: `serviceAccount` is set for legacy token secrets (annotation kubernetes.io/service-account.name). */
  secrets: ReadonlyArray<{ namespace: string; name: string; serviceAccount?: string | undefined }>;
  nodes: readonly string[];
  pods: readonly PodFacts[];
  rbac: RbacIndex;
  /** Extra principals to evaluate besides every SA and every User/Group named by a binding. */
  extraPrincipals?: ReadonlyArray<{ ref: EntityRef; principal: Principal }>;
}

export interface AttackResult {
  edges: AttackEdge[];
  secretAccess: SecretAccess[];
}

const POD_CONTROLLERS: ReadonlyArray<[string, string]> = [
  ['', 'pods'],
  ['', 'replicationcontrollers'],
  ['apps', 'deployments'],
  ['apps', 'replicasets'],
  ['apps', 'statefulsets'],
  ['apps', 'daemonsets'],
  ['batch', 'jobs'],
  ['batch', 'cronjobs'],
];

/** Verb and pods subresource pairs that give control of a pod (exec, attach, ephemeral containers, patching). */
const POD_CONTROL: ReadonlyArray<[string, string]> = [
  ['create', 'exec'], ['get', 'exec'], ['create', 'attach'], ['get', 'attach'],
  ['patch', 'ephemeralcontainers'], ['update', 'ephemeralcontainers'], ['patch', ''], ['update', ''],
];

function res(verb: string, apiGroup: string, resource: string, namespace: string, name = '', subresource = ''): ResourceRequest {
  return { kind: 'resource', verb, apiGroup, resource, subresource, namespace, name };
}
function cite(r: Reason): string {
  return `${r.binding} → ${r.role}`;
}
function refKey(r: EntityRef): string {
  return 'namespace' in r ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`;
}

/** Pod Security Admission enforce level of a namespace ('privileged' when unlabeled). */
function psaLevel(labels: Record<string, string>): string {
  return labels['pod-security.kubernetes.io/enforce'] ?? 'privileged';
}

/** Every principal worth evaluating: each SA (with its implicit groups), each User and Group named by a binding. */
function principals(input: AttackInput): Array<{ ref: EntityRef; principal: Principal }> {
  const out: Array<{ ref: EntityRef; principal: Principal }> = [];
  const seen = new Set<string>();
  const add = (ref: EntityRef, principal: Principal) => {
    const k = refKey(ref);
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ ref, principal });
  };
  for (const sa of input.serviceAccounts) add({ kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name }, serviceAccountPrincipal(sa.namespace, sa.name));
  for (const rb of input.rbac.bindings) {
    for (const s of rb.binding.subjects) {
      if (s.kind === 'User') add({ kind: 'User', name: s.name }, { user: s.name, groups: s.name === 'system:anonymous' ? [] : ['system:authenticated'] });
      else if (s.kind === 'Group') add({ kind: 'Group', name: s.name }, { user: '', groups: [s.name] });
      else if (s.kind === 'ServiceAccount') {
        const ns = s.namespace || rb.namespace;
        if (ns) add({ kind: 'ServiceAccount', namespace: ns, name: s.name }, serviceAccountPrincipal(ns, s.name));
      }
    }
  }
  for (const e of input.extraPrincipals ?? []) add(e.ref, e.principal);
  return out;
}

/** Computes every attack edge. Cost: principals × namespaces × a fixed set of checks, each over the principal's own bindings. */
export function attackEdges(input: AttackInput): AttackResult {
  const edges: AttackEdge[] = [];
  const secretAccess: SecretAccess[] = [];
  const seen = new Set<string>();
  const push = (e: AttackEdge) => {
    const k = `${e.type}|${refKey(e.from)}|${refKey(e.to)}|${e.method}`;
    if (seen.has(k)) return;
    seen.add(k);
    edges.push(e);
  };

  const sasByNs = groupBy(input.serviceAccounts, (sa) => sa.namespace, (sa) => sa.name);
  const podsByNs = groupBy(input.pods, (p) => p.namespace, (p) => p);
  const secretsByNs = groupBy(input.secrets, (s) => s.namespace, (s) => s);
  const secretByName = new Map(input.secrets.map((s) => [`${s.namespace}/${s.name}`, s]));
  const nsNames = [...new Set([...input.namespaces.map((n) => n.name), ...sasByNs.keys(), ...podsByNs.keys()])].sort();
  const nsLabels = new Map(input.namespaces.map((n) => [n.name, n.labels]));
  const escapes = new Map(input.pods.map((p) => [p, nodeEscapes(p)]));

  // Pods: a pod holding a token acts as its SA; an escaping pod acts as its node.
  for (const p of input.pods) {
    const podRef: EntityRef = { kind: 'Pod', namespace: p.namespace, name: p.name };
    if (p.tokenMounted) {
      push({ type: 'MAY_ACT_AS', from: podRef, to: { kind: 'ServiceAccount', namespace: p.namespace, name: p.serviceAccount }, method: 'mounted-token', evidence: p.projectedAudiences.length ? `projected token (audiences ${p.projectedAudiences.join(', ')})` : 'service account token automounted' });
    }
    for (const sec of p.secretRefs) {
      const tokenOf = secretByName.get(`${p.namespace}/${sec}`)?.serviceAccount;
      if (tokenOf) push({ type: 'MAY_ACT_AS', from: podRef, to: { kind: 'ServiceAccount', namespace: p.namespace, name: tokenOf }, method: 'mounted-token-secret', evidence: `mounts secret ${sec} holding the token of ${tokenOf}` });
    }
    if (p.nodeName) {
      for (const e of escapes.get(p) ?? []) push({ type: 'MAY_ACT_AS', from: podRef, to: { kind: 'Node', name: p.nodeName }, method: e.method, evidence: `${e.evidence} [${e.confidence}]` });
      // The kubelet holds the tokens of every pod it runs.
      if (p.tokenMounted) push({ type: 'MAY_ACT_AS', from: { kind: 'Node', name: p.nodeName }, to: { kind: 'ServiceAccount', namespace: p.namespace, name: p.serviceAccount }, method: 'node-holds-pod-token', evidence: `pod ${p.namespace}/${p.name} runs on the node with the token mounted` });
    }
  }

  const users = new Set<string>();
  const groups = new Set<string>(['system:masters']);
  for (const rb of input.rbac.bindings) {
    for (const s of rb.binding.subjects) {
      if (s.kind === 'User') users.add(s.name);
      else if (s.kind === 'Group') groups.add(s.name);
    }
  }

  for (const { ref, principal } of principals(input)) {
    const perms = input.rbac.permissionsOf(principal);
    if (perms.bindings.length === 0 && !principal.groups.includes('system:masters')) continue;
    subjectEdges(ref, perms);
  }

  function subjectEdges(from: EntityRef, perms: PermissionSet): void {
    // Cluster-scoped capabilities.
    const proxy = perms.why(res('create', '', 'nodes', '', '', 'proxy')) ?? perms.why(res('get', '', 'nodes', '', '', 'proxy'));
    for (const n of input.nodes) {
      const r = proxy ?? perms.why(res('get', '', 'nodes', '', n, 'proxy')) ?? perms.why(res('create', '', 'nodes', '', n, 'proxy'));
      if (r) push({ type: 'MAY_ACT_AS', from, to: { kind: 'Node', name: n }, method: 'nodes-proxy', evidence: `nodes/proxy lets the kubelet API exec in every pod on ${n} (${cite(r)})` });
    }
    for (const u of users) {
      const r = perms.why(res('impersonate', '', 'users', '', u));
      if (r) push({ type: 'MAY_ACT_AS', from, to: { kind: 'User', name: u }, method: 'impersonate', evidence: `impersonate users ${u} (${cite(r)})` });
    }
    for (const g of groups) {
      const r = perms.why(res('impersonate', '', 'groups', '', g));
      if (r) push({ type: 'MAY_ACT_AS', from, to: { kind: 'Group', name: g }, method: 'impersonate', evidence: `impersonate groups ${g} (${cite(r)})` });
    }
    const bindCluster = perms.why(res('create', 'rbac.authorization.k8s.io', 'clusterrolebindings', ''));
    const bindAdmin = perms.why(res('bind', 'rbac.authorization.k8s.io', 'clusterroles', '', 'cluster-admin'));
    if (bindCluster && bindAdmin) push({ type: 'MAY_ESCALATE_TO', from, to: { kind: 'ClusterRole', name: 'cluster-admin' }, method: 'bind', evidence: `create clusterrolebindings (${cite(bindCluster)}) + bind clusterroles/cluster-admin (${cite(bindAdmin)})` });
    const escCluster = perms.why(res('escalate', 'rbac.authorization.k8s.io', 'clusterroles', ''));
    if (escCluster) {
      for (const m of perms.bindings) {
        if (m.rb.namespace !== '' || !m.rb.roleName.startsWith('ClusterRole/')) continue;
        const name = m.rb.roleName.slice('ClusterRole/'.length);
        const upd = perms.why(res('update', 'rbac.authorization.k8s.io', 'clusterroles', '', name)) ?? perms.why(res('patch', 'rbac.authorization.k8s.io', 'clusterroles', '', name));
        if (upd) push({ type: 'MAY_ESCALATE_TO', from, to: { kind: 'ClusterRole', name: 'cluster-admin' }, method: 'escalate', evidence: `escalate + update on clusterrole ${name} that it is bound to cluster-wide (${cite(escCluster)})` });
      }
    }
    // Client certificates: create a CSR for any user/group (O=system:masters included), approve it for the
    // kube-apiserver-client signer; the signer issues it (approval is the only gate).
    const csrCreate = perms.why(res('create', 'certificates.k8s.io', 'certificatesigningrequests', ''));
    const csrApprove = perms.why(res('update', 'certificates.k8s.io', 'certificatesigningrequests', '', '', 'approval')) ?? perms.why(res('patch', 'certificates.k8s.io', 'certificatesigningrequests', '', '', 'approval'));
    const signer = perms.why(res('approve', 'certificates.k8s.io', 'signers', '', 'kubernetes.io/kube-apiserver-client')) ?? perms.why(res('approve', 'certificates.k8s.io', 'signers', '', 'kubernetes.io/*'));
    if (csrCreate && csrApprove && signer) {
      push({ type: 'MAY_ACT_AS', from, to: { kind: 'Group', name: 'system:masters' }, method: 'csr-approve', evidence: `create + approve a client CSR for signer kubernetes.io/kube-apiserver-client with O=system:masters (${cite(csrApprove)}; ${cite(signer)})` });
    }
    const awsAuth = perms.why(res('patch', '', 'configmaps', 'kube-system', 'aws-auth')) ?? perms.why(res('update', '', 'configmaps', 'kube-system', 'aws-auth'));
    if (awsAuth) push({ type: 'MAY_ACT_AS', from, to: { kind: 'Group', name: 'system:masters' }, method: 'aws-auth-configmap', evidence: `can edit kube-system/aws-auth and map an AWS principal to system:masters (${cite(awsAuth)})` });

    const superuser = perms.principal.groups.includes('system:masters');
    const clusterWide = superuser || perms.bindings.some((m) => m.rb.namespace === '');
    const bound = new Set(perms.bindings.map((m) => m.rb.namespace));
    for (const ns of nsNames) {
      if (!clusterWide && !bound.has(ns)) continue;
      const sas = sasByNs.get(ns) ?? [];
      const pods = podsByNs.get(ns) ?? [];
      // Create a pod (directly or through any controller): run as any SA of the namespace, on any node.
      let create: Reason | undefined;
      let createWhat = '';
      for (const [g, r] of POD_CONTROLLERS) {
        create = perms.why(res('create', g, r, ns));
        if (create) {
          createWhat = g ? `${r}.${g}` : r;
          break;
        }
      }
      if (create) {
        for (const sa of sas) push({ type: 'MAY_ACT_AS', from, to: { kind: 'ServiceAccount', namespace: ns, name: sa }, method: 'create-workload', evidence: `create ${createWhat} in ${ns} with serviceAccountName ${sa} (${cite(create)})` });
        if (psaLevel(nsLabels.get(ns) ?? {}) === 'privileged') {
          for (const n of input.nodes) push({ type: 'MAY_ACT_AS', from, to: { kind: 'Node', name: n }, method: 'create-privileged-pod', evidence: `create ${createWhat} in ${ns} (no restricting Pod Security enforce label) with privileged + nodeName ${n} (${cite(create)})` });
        }
      }
      // Change a workload's pod template: swap its SA or code.
      for (const [g, r] of POD_CONTROLLERS.slice(1)) {
        const upd = perms.why(res('patch', g, r, ns)) ?? perms.why(res('update', g, r, ns));
        if (upd) {
          for (const sa of sas) push({ type: 'MAY_ACT_AS', from, to: { kind: 'ServiceAccount', namespace: ns, name: sa }, method: 'update-workload', evidence: `patch/update ${g ? `${r}.${g}` : r} in ${ns}: set serviceAccountName ${sa} (${cite(upd)})` });
          break;
        }
      }
      // Per pod: exec/attach/ephemeral containers/patch reach that pod's identities.
      const podControl = POD_CONTROL.some(([verb, sub]) => perms.couldAllow(res(verb, '', 'pods', ns, '', sub)));
      for (const p of podControl ? pods : []) {
        const via =
          ((r) => (r ? ['pods-exec', r] : undefined))(perms.why(res('create', '', 'pods', ns, p.name, 'exec')) ?? perms.why(res('get', '', 'pods', ns, p.name, 'exec'))) ??
          ((r) => (r ? ['pods-attach', r] : undefined))(perms.why(res('create', '', 'pods', ns, p.name, 'attach')) ?? perms.why(res('get', '', 'pods', ns, p.name, 'attach'))) ??
          ((r) => (r ? ['ephemeral-container', r] : undefined))(perms.why(res('patch', '', 'pods', ns, p.name, 'ephemeralcontainers')) ?? perms.why(res('update', '', 'pods', ns, p.name, 'ephemeralcontainers'))) ??
          ((r) => (r ? ['patch-pod-image', r] : undefined))(perms.why(res('patch', '', 'pods', ns, p.name)) ?? perms.why(res('update', '', 'pods', ns, p.name)));
        if (!via) continue;
        const [method, r] = via as [string, Reason];
        if (p.tokenMounted) push({ type: 'MAY_ACT_AS', from, to: { kind: 'ServiceAccount', namespace: ns, name: p.serviceAccount }, method, evidence: `${method} into pod ${ns}/${p.name}, which mounts the token of ${p.serviceAccount} (${cite(r)})` });
        if (p.nodeName && (escapes.get(p) ?? []).some((e) => e.method !== 'host-network' && e.method !== 'host-ipc')) {
          push({ type: 'MAY_ACT_AS', from, to: { kind: 'Node', name: p.nodeName }, method: `${method}-escape`, evidence: `${method} into pod ${ns}/${p.name}, which can take over node ${p.nodeName} (${cite(r)})` });
        }
      }
      // Secrets: reading a legacy token secret yields that SA's token; names only are recorded.
      const listAll = perms.why(res('list', '', 'secrets', ns)) ?? perms.why(res('watch', '', 'secrets', ns));
      const getSome = listAll !== undefined || perms.couldAllow(res('get', '', 'secrets', ns));
      for (const s of getSome ? secretsByNs.get(ns) ?? [] : []) {
        const get = perms.why(res('get', '', 'secrets', ns, s.name));
        const r = get ?? listAll;
        if (!r) continue;
        secretAccess.push({ from, secret: { namespace: ns, name: s.name }, verbs: get && listAll ? ['get', 'list'] : get ? ['get'] : ['list'], evidence: cite(r) });
        if (s.serviceAccount) push({ type: 'MAY_ACT_AS', from, to: { kind: 'ServiceAccount', namespace: ns, name: s.serviceAccount }, method: 'read-token-secret', evidence: `read secret ${ns}/${s.name} holding the token of ${s.serviceAccount} (${cite(r)})` });
      }
      // A new legacy token secret for any SA, read back.
      const createSecret = perms.why(res('create', '', 'secrets', ns));
      if (createSecret && listAll) {
        for (const sa of sas) push({ type: 'MAY_ACT_AS', from, to: { kind: 'ServiceAccount', namespace: ns, name: sa }, method: 'create-token-secret', evidence: `create a kubernetes.io/service-account-token secret for ${sa} and read it (${cite(createSecret)})` });
      }
      const tokens = perms.couldAllow(res('create', '', 'serviceaccounts', ns, '', 'token'));
      const impersonateSa = perms.couldAllow(res('impersonate', '', 'serviceaccounts', ns));
      for (const sa of tokens || impersonateSa ? sas : []) {
        const tok = perms.why(res('create', '', 'serviceaccounts', ns, sa, 'token'));
        if (tok) push({ type: 'MAY_ACT_AS', from, to: { kind: 'ServiceAccount', namespace: ns, name: sa }, method: 'token-request', evidence: `create serviceaccounts/token for ${sa} (${cite(tok)})` });
        const imp = perms.why(res('impersonate', '', 'serviceaccounts', ns, sa));
        if (imp) push({ type: 'MAY_ACT_AS', from, to: { kind: 'ServiceAccount', namespace: ns, name: sa }, method: 'impersonate', evidence: `impersonate serviceaccounts ${ns}/${sa} (${cite(imp)})` });
      }
      // Bind / escalate inside the namespace: any role's grants there.
      const createRb = perms.why(res('create', 'rbac.authorization.k8s.io', 'rolebindings', ns));
      const bindAny = perms.why(res('bind', 'rbac.authorization.k8s.io', 'clusterroles', ns, 'admin')) ?? perms.why(res('bind', 'rbac.authorization.k8s.io', 'roles', ns));
      if (createRb && bindAny) push({ type: 'MAY_ESCALATE_TO', from, to: { kind: 'Namespace', name: ns }, method: 'bind', evidence: `create rolebindings in ${ns} (${cite(createRb)}) + bind (${cite(bindAny)})` });
      const escRole = perms.why(res('escalate', 'rbac.authorization.k8s.io', 'roles', ns));
      const updRole = perms.why(res('update', 'rbac.authorization.k8s.io', 'roles', ns)) ?? perms.why(res('patch', 'rbac.authorization.k8s.io', 'roles', ns));
      if (escRole && updRole && perms.bindings.some((m) => m.rb.namespace === ns && m.rb.roleName.startsWith('Role/'))) {
        push({ type: 'MAY_ESCALATE_TO', from, to: { kind: 'Namespace', name: ns }, method: 'escalate', evidence: `escalate + update roles in ${ns}, bound to one of them (${cite(escRole)})` });
      }
    }
  }
  return { edges, secretAccess };
}

function groupBy<T, V>(xs: readonly T[], key: (x: T) => string, value: (x: T) => V): Map<string, V[]> {
  const m = new Map<string, V[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(value(x));
    else m.set(k, [value(x)]);
  }
  return m;
}
