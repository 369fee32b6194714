/**
 * The facts of a pod that decide its attack edges, read from a V1Pod (API or manifest).
 * Pure: no I/O. docs/kubernetes-attack-edges.md explains each fact and why it matters.
 */
import type { V1Container, V1Pod, V1ServiceAccount } from '@kubernetes/client-node';

export interface HostPathMount {
  path: string;
  readOnly: boolean;
  container: string;
}

export interface ContainerFacts {
  name: string;
  image: string;
  privileged: boolean;
  allowPrivilegeEscalation: boolean;
  capabilitiesAdd: string[];
  runAsRoot: boolean | undefined;
  hostPaths: HostPathMount[];
}

export interface PodFacts {
  namespace: string;
  name: string;
  nodeName: string | undefined;
  serviceAccount: string;
  /** The SA token is in the pod: automount (pod, else SA, else true) or an explicit projected token volume. */
  tokenMounted: boolean;
  /** Audiences of explicit serviceAccountToken projections (e.g. sts.amazonaws.com for IRSA). */
  projectedAudiences: string[];
  /** Secrets mounted as volumes or referenced from env (names only). */
  secretRefs: string[];
  hostPID: boolean;
  hostNetwork: boolean;
  hostIPC: boolean;
  shareProcessNamespace: boolean;
  containers: ContainerFacts[];
  /** Pod security (PSA) / AppArmor facts that make escapes easier. */
  appArmorUnconfined: boolean;
}

function capsOf(c: V1Container): string[] {
  return (c.securityContext?.capabilities?.add ?? []).map((x) => x.toUpperCase().replace(/^CAP_/, ''));
}

/** Reads pod facts. `sa` is the pod's ServiceAccount when known (its automount default applies). */
export function podFacts(pod: V1Pod, sa: V1ServiceAccount | undefined): PodFacts {
  const spec = pod.spec;
  const namespace = pod.metadata?.namespace ?? 'default';
  const volumes = new Map((spec?.volumes ?? []).map((v) => [v.name, v]));
  const projectedAudiences: string[] = [];
  let projectedToken = false;
  const secretRefs = new Set<string>();
  for (const v of spec?.volumes ?? []) {
    if (v.secret?.secretName) secretRefs.add(v.secret.secretName);
    for (const src of v.projected?.sources ?? []) {
      if (src.serviceAccountToken) {
        projectedToken = true;
        if (src.serviceAccountToken.audience) projectedAudiences.push(src.serviceAccountToken.audience);
      }
      if (src.secret?.name) secretRefs.add(src.secret.name);
    }
  }
  const all: V1Container[] = [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...((spec?.ephemeralContainers ?? []) as V1Container[])];
  for (const c of all) {
    for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef?.name) secretRefs.add(e.valueFrom.secretKeyRef.name);
    for (const e of c.envFrom ?? []) if (e.secretRef?.name) secretRefs.add(e.secretRef.name);
  }
  const podRoot = spec?.securityContext?.runAsNonRoot === true ? false : spec?.securityContext?.runAsUser === 0 ? true : undefined;
  const containers: ContainerFacts[] = all.map((c) => {
    const hostPaths: HostPathMount[] = [];
    for (const m of c.volumeMounts ?? []) {
      const v = volumes.get(m.name);
      if (v?.hostPath?.path) hostPaths.push({ path: v.hostPath.path, readOnly: m.readOnly === true, container: c.name });
    }
    const sc = c.securityContext;
    const runAsRoot = sc?.runAsNonRoot === true ? false : sc?.runAsUser === 0 ? true : sc?.runAsUser !== undefined ? false : podRoot;
    return {
      name: c.name,
      image: c.image ?? '',
      privileged: sc?.privileged === true,
      allowPrivilegeEscalation: sc?.allowPrivilegeEscalation !== false,
      capabilitiesAdd: capsOf(c),
      runAsRoot,
      hostPaths,
    };
  });
  const automount = spec?.automountServiceAccountToken ?? sa?.automountServiceAccountToken ?? true;
  const apparmorUnconfined =
    spec?.securityContext?.appArmorProfile?.type === 'Unconfined' ||
    all.some((c) => c.securityContext?.appArmorProfile?.type === 'Unconfined') ||
    Object.entries(pod.metadata?.annotations ?? {}).some(([k, v]) => k.startsWith('container.apparmor.security.beta.kubernetes.io/') && v === 'unconfined');
  return {
    namespace,
    name: pod.metadata?.name ?? '',
    nodeName: spec?.nodeName || undefined,
    serviceAccount: spec?.serviceAccountName || 'default',
    tokenMounted: automount || projectedToken,
    projectedAudiences,
    secretRefs: [...secretRefs].sort(),
    hostPID: spec?.hostPID === true,
    hostNetwork: spec?.hostNetwork === true,
    hostIPC: spec?.hostIPC === true,
    shareProcessNamespace: spec?.shareProcessNamespace === true,
    containers,
    appArmorUnconfined: apparmorUnconfined,
  };
}

/** Host paths whose read access alone exposes the node (credentials, kubelet state, every pod's token). */
export const SENSITIVE_READ_PATHS = ['/', '/etc', '/root', '/home', '/proc', '/var/lib/kubelet', '/var/lib/kubelet/pods', '/etc/kubernetes', '/var/log'];
/** Directories where everything below holds credentials. */
const SECRET_DIRS = ['/var/lib/kubelet', '/etc/kubernetes', '/root', '/home', '/etc/shadow'];
/** Container-runtime sockets: control of the runtime = every container on the node. */
export const RUNTIME_SOCKETS = ['/run/containerd/containerd.sock', '/var/run/containerd/containerd.sock', '/var/run/docker.sock', '/run/docker.sock', '/var/run/dockershim.sock', '/run/crio/crio.sock', '/var/run/crio/crio.sock', '/var/run/cri-dockerd.sock'];
/** Writable host paths assumed harmless (scratch/udev), after KubeHound's safe-list. */
const SAFE_WRITE_PREFIXES = ['/tmp', '/var/tmp', '/mnt', '/run/udev', '/lib/udev', '/etc/udev', '/sys/kernel/debug', '/dev/shm'];
/** Capabilities that each allow leaving the container (with the extra condition noted in the docs). */
export const ESCAPE_CAPABILITIES = ['SYS_ADMIN', 'SYS_MODULE', 'SYS_RAWIO', 'DAC_READ_SEARCH', 'BPF', 'ALL'];

function normalize(p: string): string {
  const s = p.replace(/\/+$/, '');
  return s === '' ? '/' : s;
}
function under(p: string, prefix: string): boolean {
  return p === prefix || p.startsWith(prefix === '/' ? '/' : `${prefix}/`);
}

/** Why a pod's containers can take over their node, one entry per finding: [method, evidence]. */
export function nodeEscapes(p: PodFacts): Array<{ method: string; evidence: string; confidence: 'escape' | 'exposure' }> {
  const out: Array<{ method: string; evidence: string; confidence: 'escape' | 'exposure' }> = [];
  for (const c of p.containers) {
    if (c.privileged) out.push({ method: 'privileged-container', evidence: `container ${c.name} is privileged${p.hostPID ? ' (and hostPID: nsenter)' : ''}`, confidence: 'escape' });
    for (const cap of c.capabilitiesAdd) {
      if (ESCAPE_CAPABILITIES.includes(cap)) out.push({ method: 'dangerous-capability', evidence: `container ${c.name} adds ${cap}`, confidence: 'escape' });
      else if (cap === 'SYS_PTRACE' && p.hostPID) out.push({ method: 'ptrace-host-processes', evidence: `container ${c.name} adds SYS_PTRACE with hostPID`, confidence: 'escape' });
      else if ((cap === 'NET_ADMIN' || cap === 'NET_RAW') && p.hostNetwork) out.push({ method: 'host-network-capability', evidence: `container ${c.name} adds ${cap} with hostNetwork`, confidence: 'exposure' });
    }
    for (const m of c.hostPaths) {
      const path = normalize(m.path);
      if (RUNTIME_SOCKETS.some((s) => under(s, path))) {
        out.push({ method: 'runtime-socket', evidence: `container ${c.name} mounts ${path} (reaches the container runtime socket)`, confidence: 'escape' });
      }
      if (!m.readOnly && !SAFE_WRITE_PREFIXES.some((s) => under(path, s))) {
        out.push({ method: 'hostpath-write', evidence: `container ${c.name} mounts host path ${path} writable`, confidence: 'escape' });
      } else if (SENSITIVE_READ_PATHS.some((s) => under(s, path)) || SECRET_DIRS.some((s) => under(path, s))) {
        out.push({ method: 'hostpath-read', evidence: `container ${c.name} mounts host path ${path}${m.readOnly ? ' read-only' : ''}`, confidence: 'escape' });
      }
    }
  }
  if (p.hostPID) out.push({ method: 'host-pid', evidence: 'pod shares the host PID namespace', confidence: 'exposure' });
  if (p.hostNetwork) out.push({ method: 'host-network', evidence: 'pod shares the host network namespace', confidence: 'exposure' });
  if (p.hostIPC) out.push({ method: 'host-ipc', evidence: 'pod shares the host IPC namespace', confidence: 'exposure' });
  return out;
}
