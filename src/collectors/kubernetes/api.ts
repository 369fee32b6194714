/**
 * The API side of the collector: for each kind, list (page by page, following `continue` tokens),
 * then watch from the list's resourceVersion so later changes arrive as events; a watch that ends is
 * resumed from the last resourceVersion seen, and a 410 Gone (expired version) relists.
 *
 * Transport: @kubernetes/client-node's KubeConfig supplies the server, TLS and credentials
 * (`applyToHTTPSOptions`); requests are plain HTTPS so that Secrets and ConfigMaps can be asked for
 * as PartialObjectMetadata: their values are never sent to this process at all.
 */
import https from 'node:https';
import http from 'node:http';
import { URL } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import { CollectorError, InputError } from '../../errors.js';
import type { ClusterSnapshot } from './transform.js';

/** Loads a kubeconfig (a file, or KUBECONFIG / ~/.kube/config) and requires a current cluster; errors name the file. */
export function loadKubeConfig(file: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (file) kc.loadFromFile(file);
    else kc.loadFromDefault();
  } catch (e) {
    throw new InputError(`kubeconfig ${file ?? '(default)'}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!kc.getCurrentCluster()) throw new InputError(`kubeconfig ${file ?? '(default)'}: no current cluster; give --kubeconfig with a current context, or --from-dir DIR`);
  return kc;
}

export interface KindSpec {
  /** Snapshot bucket the objects go to. */
  bucket: keyof ClusterSnapshot;
  kind: string;
  /** Collection path for all namespaces, e.g. /api/v1/pods. */
  path: string;
  /** Serializer type of one item. */
  type: string;
  /** Ask for metadata only (PartialObjectMetadata). */
  metadataOnly?: boolean;
  /** A custom resource that may not be installed: a 404 lists nothing and starts no watch. */
  optional?: boolean;
}

/** Every kind the collector reads. */
export const KINDS: readonly KindSpec[] = [
  { bucket: 'namespaces', kind: 'Namespace', path: '/api/v1/namespaces', type: 'V1Namespace' },
  { bucket: 'nodes', kind: 'Node', path: '/api/v1/nodes', type: 'V1Node' },
  { bucket: 'pods', kind: 'Pod', path: '/api/v1/pods', type: 'V1Pod' },
  { bucket: 'services', kind: 'Service', path: '/api/v1/services', type: 'V1Service' },
  { bucket: 'serviceAccounts', kind: 'ServiceAccount', path: '/api/v1/serviceaccounts', type: 'V1ServiceAccount' },
  { bucket: 'secrets', kind: 'Secret', path: '/api/v1/secrets', type: 'V1Secret', metadataOnly: true },
  { bucket: 'configMaps', kind: 'ConfigMap', path: '/api/v1/configmaps', type: 'V1ConfigMap', metadataOnly: true },
  { bucket: 'deployments', kind: 'Deployment', path: '/apis/apps/v1/deployments', type: 'V1Deployment' },
  { bucket: 'replicaSets', kind: 'ReplicaSet', path: '/apis/apps/v1/replicasets', type: 'V1ReplicaSet' },
  { bucket: 'statefulSets', kind: 'StatefulSet', path: '/apis/apps/v1/statefulsets', type: 'V1StatefulSet' },
  { bucket: 'daemonSets', kind: 'DaemonSet', path: '/apis/apps/v1/daemonsets', type: 'V1DaemonSet' },
  { bucket: 'jobs', kind: 'Job', path: '/apis/batch/v1/jobs', type: 'V1Job' },
  { bucket: 'cronJobs', kind: 'CronJob', path: '/apis/batch/v1/cronjobs', type: 'V1CronJob' },
  { bucket: 'endpointSlices', kind: 'EndpointSlice', path: '/apis/discovery.k8s.io/v1/endpointslices', type: 'V1EndpointSlice' },
  { bucket: 'roles', kind: 'Role', path: '/apis/rbac.authorization.k8s.io/v1/roles', type: 'V1Role' },
  { bucket: 'clusterRoles', kind: 'ClusterRole', path: '/apis/rbac.authorization.k8s.io/v1/clusterroles', type: 'V1ClusterRole' },
  { bucket: 'roleBindings', kind: 'RoleBinding', path: '/apis/rbac.authorization.k8s.io/v1/rolebindings', type: 'V1RoleBinding' },
  { bucket: 'clusterRoleBindings', kind: 'ClusterRoleBinding', path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', type: 'V1ClusterRoleBinding' },
  { bucket: 'networkPolicies', kind: 'NetworkPolicy', path: '/apis/networking.k8s.io/v1/networkpolicies', type: 'V1NetworkPolicy' },
  { bucket: 'inferenceServices', kind: 'InferenceService', path: '/apis/serving.kserve.io/v1beta1/inferenceservices', type: 'any', optional: true },
];

const METADATA_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const METADATA_WATCH_ACCEPT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

interface RawObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; uid?: string; annotations?: Record<string, string>; managedFields?: unknown };
  [k: string]: unknown;
}

/** Turns a raw item into the typed object, keeping only metadata for metadata-only kinds. */
export function toTyped(spec: KindSpec, raw: RawObject): object {
  const meta: Record<string, unknown> = { ...(raw.metadata ?? {}) };
  delete meta['managedFields'];
  const ann = meta['annotations'] as Record<string, string> | undefined;
  if (ann && 'kubectl.kubernetes.io/last-applied-configuration' in ann) {
    const { ['kubectl.kubernetes.io/last-applied-configuration']: _drop, ...rest } = ann;
    meta['annotations'] = rest;
  }
  const body = spec.metadataOnly ? { metadata: meta } : { ...raw, metadata: meta };
  return ObjectSerializer.deserialize(body, spec.type, '') as object;
}

/** A minimal HTTPS client over a KubeConfig. */
export class KubeHttp {
  private readonly server: URL;
  constructor(private readonly kc: KubeConfig) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new CollectorError('kubeconfig has no current cluster');
    this.server = new URL(cluster.server);
  }

  get serverUrl(): string {
    return this.server.toString();
  }

  async request(path: string, opts: { accept?: string; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<http.IncomingMessage> {
    const url = new URL(path, this.server);
    const options: https.RequestOptions = {
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      headers: { Accept: opts.accept ?? 'application/json' },
    };
    await this.kc.applyToHTTPSOptions(options);
    return new Promise((resolve, reject) => {
      const lib = url.protocol === 'http:' ? http : https;
      const req = lib.request(options, resolve);
      req.on('error', reject);
      if (opts.timeoutMs) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`timeout after ${opts.timeoutMs} ms`)));
      if (opts.signal) {
        const signal = opts.signal;
        if (signal.aborted) req.destroy(new Error('aborted'));
        const onAbort = () => req.destroy(new Error('aborted'));
        signal.addEventListener('abort', onAbort, { once: true });
        // Long-running watches reconnect many times: drop the listener when this request is done.
        req.on('close', () => signal.removeEventListener('abort', onAbort));
      }
      req.end();
    });
  }

  async getJson(path: string, accept?: string): Promise<{ status: number; body: unknown }> {
    const res = await this.request(path, { accept, timeoutMs: 60_000 });
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.statusCode ?? 0, body };
  }
}

/** Error text from an API Status without echoing request or object bodies. */
function statusMessage(status: number, body: unknown): string {
  const b = body as { reason?: string; message?: string } | undefined;
  return `HTTP ${status}${b?.reason ? ` ${b.reason}` : ''}${b?.message ? `: ${b.message.slice(0, 300)}` : ''}`;
}

/** Lists one kind completely, page by page; returns typed items and the list's resourceVersion. */
export async function listAll(api: KubeHttp, spec: KindSpec, pageSize = 500): Promise<{ items: object[]; resourceVersion: string; pages: number }> {
  const items: object[] = [];
  let cont = '';
  let resourceVersion = '';
  let pages = 0;
  for (;;) {
    const q = new URLSearchParams({ limit: String(pageSize) });
    if (cont) q.set('continue', cont);
    const { status, body } = await api.getJson(`${spec.path}?${q}`, spec.metadataOnly ? METADATA_ACCEPT : undefined);
    if (status === 410 && cont) {
      // The continue token expired mid-list: start over for a consistent snapshot.
      items.length = 0;
      cont = '';
      continue;
    }
    // The CRD is not installed (or not served at this version): nothing to read, not a failure.
    if (status === 404 && spec.optional && !cont) return { items: [], resourceVersion: '', pages: 0 };
    if (status !== 200) throw new CollectorError(`list ${spec.kind} (${spec.path}): ${statusMessage(status, body)}`);
    const list = body as { metadata?: { continue?: string; resourceVersion?: string }; items?: RawObject[] };
    pages++;
    for (const raw of list.items ?? []) items.push(toTyped(spec, raw));
    resourceVersion = list.metadata?.resourceVersion ?? resourceVersion;
    cont = list.metadata?.continue ?? '';
    if (!cont) break;
  }
  return { items, resourceVersion, pages };
}

export type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: object } | { type: 'BOOKMARK'; resourceVersion: string };

/**
 * Watches one kind from `resourceVersion` until `signal` aborts. Calls `onEvent` per event;
 * on 410 Gone calls `relist` (which returns a fresh resourceVersion) and continues from there.
 */
export async function watchKind(
  api: KubeHttp,
  spec: KindSpec,
  resourceVersion: string,
  onEvent: (e: WatchEvent) => void,
  relist: () => Promise<string>,
  signal: AbortSignal,
  onError: (err: Error) => void,
): Promise<void> {
  let rv = resourceVersion;
  while (!signal.aborted) {
    try {
      const q = new URLSearchParams({ watch: '1', allowWatchBookmarks: 'true', resourceVersion: rv, timeoutSeconds: '300' });
      const res = await api.request(`${spec.path}?${q}`, { accept: spec.metadataOnly ? METADATA_WATCH_ACCEPT : undefined, signal });
      if (res.statusCode === 410) {
        res.resume();
        rv = await relist();
        continue;
      }
      if (res.statusCode !== 200) {
        res.resume();
        throw new CollectorError(`watch ${spec.kind}: HTTP ${res.statusCode}`);
      }
      let buf = '';
      let gone = false;
      res.setEncoding('utf8');
      for await (const chunk of res) {
        buf += chunk as string;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (!line.trim()) continue;
          let ev: { type: string; object: RawObject & { code?: number } };
          try {
            ev = JSON.parse(line) as typeof ev;
          } catch {
            // Node's JSON.parse error quotes the input; object bodies must never reach a log line.
            throw new CollectorError(`watch ${spec.kind}: unreadable event (${line.length} bytes)`);
          }
          if (ev.type === 'ERROR') {
            if (ev.object.code === 410) gone = true;
            break;
          }
          const objRv = ev.object.metadata?.resourceVersion;
          if (objRv) rv = objRv;
          if (ev.type === 'BOOKMARK') onEvent({ type: 'BOOKMARK', resourceVersion: rv });
          else if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED') onEvent({ type: ev.type, object: toTyped(spec, ev.object) });
        }
        if (gone) break;
      }
      if (gone) {
        res.destroy();
        rv = await relist();
      }
    } catch (e) {
      if (signal.aborted) return;
      onError(e as Error);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
