/** Where `rbac can` reads RBAC objects from: a manifest directory or a live cluster (list only, no watch). */
import type { KubeConfig } from '@kubernetes/client-node';
import { rbacStateFrom } from '../../identity/kubernetes/rbac/from-objects.js';
import type { RbacState } from '../../identity/kubernetes/rbac/types.js';
import { describeSource, manifestSource, readManifestDir } from './manifests.js';

/** RBAC objects from manifests; aggregated ClusterRoles get what the aggregation controller would write. */
export async function rbacFromDir(dir: string): Promise<RbacState> {
  const m = await readManifestDir(dir);
  return rbacStateFrom(m, (o) => {
    const s = manifestSource(o);
    return s ? describeSource(s) : undefined;
  });
}

/**
 * RBAC objects listed from a live cluster. Aggregated ClusterRoles are evaluated by the rules the server
 * stores (what it enforces), never recomputed from their selectors: the aggregation controller keeps rules
 * it did not write when its selection is empty, and may lag behind label changes.
 */
export async function rbacFromCluster(kc: KubeConfig): Promise<RbacState> {
  // The client loads only for a live cluster: `rbac can --from-dir` should start as fast as the engine.
  const { KINDS, KubeHttp, listAll } = await import('./api.js');
  const api = new KubeHttp(kc);
  const get = async (bucket: string) => (await listAll(api, KINDS.find((k) => k.bucket === bucket)!)).items;
  const [roles, clusterRoles, roleBindings, clusterRoleBindings] = await Promise.all([get('roles'), get('clusterRoles'), get('roleBindings'), get('clusterRoleBindings')]);
  return rbacStateFrom({ roles, clusterRoles, roleBindings, clusterRoleBindings }, undefined, 'stored');
}
