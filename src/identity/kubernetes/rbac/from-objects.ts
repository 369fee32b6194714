import { z } from 'zod';
import { InputError } from '../../../errors.js';
import { clusterRoleBindingSchema, clusterRoleSchema, roleBindingSchema, roleSchema, type RbacState } from './types.js';

/** The four RBAC object lists as the API client or the manifest reader return them (items may lack `kind`). */
export interface RbacObjects {
  roles: readonly object[];
  clusterRoles: readonly object[];
  roleBindings: readonly object[];
  clusterRoleBindings: readonly object[];
}

function parseAll<T>(schema: z.ZodType<T>, kind: string, items: readonly object[], describe?: (o: object) => string | undefined): T[] {
  return items.map((o) => {
    const r = schema.safeParse({ ...(o as Record<string, unknown>), kind });
    if (r.success) return r.data;
    const meta = (o as { metadata?: { name?: string; namespace?: string } }).metadata;
    const where = describe?.(o) ?? `${kind} ${meta?.namespace ? meta.namespace + '/' : ''}${meta?.name ?? '(unnamed)'}`;
    const issue = r.error.issues[0];
    throw new InputError(`${where}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  });
}

/**
 * Validates and converts RBAC objects into the engine's state; errors name the object (and its file, given `describe`).
 * `aggregation`: `stored` for objects listed from a live cluster (see RbacState).
 */
export function rbacStateFrom(objs: RbacObjects, describe?: (o: object) => string | undefined, aggregation: 'stored' | 'controller' = 'controller'): RbacState {
  return {
    aggregation,
    roles: parseAll(roleSchema, 'Role', objs.roles, describe),
    clusterRoles: parseAll(clusterRoleSchema, 'ClusterRole', objs.clusterRoles, describe),
    roleBindings: parseAll(roleBindingSchema, 'RoleBinding', objs.roleBindings, describe),
    clusterRoleBindings: parseAll(clusterRoleBindingSchema, 'ClusterRoleBinding', objs.clusterRoleBindings, describe),
  };
}
