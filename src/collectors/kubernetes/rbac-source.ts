/** Where `rbac can` reads RBAC objects from: a manifest directory or a live cluster (list only, no watch). */
import type { KubeConfig } from '@kubernetes/client-node';
import { rbacStateFrom } from '../../identity/kubernetes/rbac/from-objects.js';
import type { RbacState } from '../../identity/kubernetes/rbac/types.js';
import { KINDS, KubeHttp, listAll } from './api.js';
import { describeSource, manifestSource, readManifestDir } from './manifests.js';

export async function rbacFromDir(dir: string): Promise<RbacState> {
  const m = await readManifestDir(dir);
  return rbacStateFrom(m, (o) => {
    const s = manifestSource(o);
    return s ? describeSource(s) : undefined;
  });
}

export async function rbacFromCluster(kc: KubeConfig): Promise<RbacState> {
  const api = new KubeHttp(kc);
  const get = async (bucket: string) => (await listAll(api, KINDS.find((k) => k.bucket === bucket)!)).items;
  const [roles, clusterRoles, roleBindings, clusterRoleBindings] = await Promise.all([get('roles'), get('clusterRoles'), get('roleBindings'), get('clusterRoleBindings')]);
  return rbacStateFrom({ roles, clusterRoles, roleBindings, clusterRoleBindings });
}
