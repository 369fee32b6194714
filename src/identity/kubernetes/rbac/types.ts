/**
 * RBAC objects as the engine reads them: only the fields the Kubernetes RBAC authorizer uses.
 * Parsed with zod at the edge (collector, manifests) so the engine works on typed data.
 */
import { z } from 'zod';

const strings = z.array(z.string()).nullish().transform((v) => v ?? []);

export const labelSelectorSchema = z.object({
  matchLabels: z.record(z.string(), z.string()).nullish(),
  matchExpressions: z
    .array(z.object({ key: z.string(), operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: strings }))
    .nullish(),
});
export type LabelSelector = z.infer<typeof labelSelectorSchema>;

export const policyRuleSchema = z.object({
  verbs: strings,
  apiGroups: strings,
  resources: strings,
  resourceNames: strings,
  nonResourceURLs: strings,
});
export type PolicyRule = z.infer<typeof policyRuleSchema>;

export const subjectSchema = z.object({
  kind: z.string(),
  name: z.string(),
  namespace: z.string().nullish(),
  apiGroup: z.string().nullish(),
});
export type Subject = z.infer<typeof subjectSchema>;

const meta = z.object({
  name: z.string().min(1),
  namespace: z.string().nullish(),
  labels: z.record(z.string(), z.string()).nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
  uid: z.string().nullish(),
});

export const roleSchema = z.object({
  kind: z.literal('Role'),
  metadata: meta.extend({ namespace: z.string().min(1) }),
  rules: z.array(policyRuleSchema).nullish().transform((v) => v ?? []),
});
export const clusterRoleSchema = z.object({
  kind: z.literal('ClusterRole'),
  metadata: meta,
  rules: z.array(policyRuleSchema).nullish().transform((v) => v ?? []),
  aggregationRule: z.object({ clusterRoleSelectors: z.array(labelSelectorSchema).nullish() }).nullish(),
});
const roleRefSchema = z.object({ kind: z.enum(['Role', 'ClusterRole']), name: z.string(), apiGroup: z.string().nullish() });
export const roleBindingSchema = z.object({
  kind: z.literal('RoleBinding'),
  metadata: meta.extend({ namespace: z.string().min(1) }),
  roleRef: roleRefSchema,
  subjects: z.array(subjectSchema).nullish().transform((v) => v ?? []),
});
export const clusterRoleBindingSchema = z.object({
  kind: z.literal('ClusterRoleBinding'),
  metadata: meta,
  roleRef: roleRefSchema.extend({ kind: z.literal('ClusterRole') }),
  subjects: z.array(subjectSchema).nullish().transform((v) => v ?? []),
});

export type Role = z.infer<typeof roleSchema>;
export type ClusterRole = z.infer<typeof clusterRoleSchema>;
export type RoleBinding = z.infer<typeof roleBindingSchema>;
export type ClusterRoleBinding = z.infer<typeof clusterRoleBindingSchema>;

/** Everything the authorizer consults. */
export interface RbacState {
  roles: Role[];
  clusterRoles: ClusterRole[];
  roleBindings: RoleBinding[];
  clusterRoleBindings: ClusterRoleBinding[];
  /**
   * Where aggregated ClusterRoles get their rules: `stored` (read from a live cluster: the rules the
   * server keeps and enforces) or `controller` (read from files: what the aggregation controller would
   * write; the default).
   */
  aggregation?: 'stored' | 'controller';
}

/** The authenticated identity a request is made as: user name and groups (as the API server sees them). */
export interface Principal {
  user: string;
  groups: string[];
}

/** A resource request, as SubjectAccessReview's resourceAttributes. `namespace` '' = cluster scope / all namespaces. */
export interface ResourceRequest {
  kind: 'resource';
  verb: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}
/** A non-resource request (e.g. GET /healthz), as SubjectAccessReview's nonResourceAttributes. */
export interface NonResourceRequest {
  kind: 'nonResource';
  verb: string;
  path: string;
}
export type AccessRequest = ResourceRequest | NonResourceRequest;

/** Why a request is allowed: the binding, the role it references and the rule that matched. */
export interface Reason {
  binding: string;
  role: string;
  subject: string;
  rule: { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[] };
}

export type Decision = { allowed: true; reasons: Reason[] } | { allowed: false; reasons: [] };

/** Parses a role/binding object of any of the four kinds; throws zod errors the caller turns into InputErrors. */
export function emptyState(): RbacState {
  return { roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [] };
}
