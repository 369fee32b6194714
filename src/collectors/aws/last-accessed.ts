/**
 * IAM's own usage data: GetServiceLastAccessedDetails responses (ACTION_LEVEL) become observed
 * DID_USE_ACTION edges from the principal to the action, with `lastSeen` = when IAM last saw it.
 * Saved form (offline): a JSON object mapping each principal ARN to the response AWS returned.
 */
import { z } from 'zod';
import { node, rel, type Batch } from '../../graph/records.js';
import { actionSensitivity, type ActionCatalog } from '../../identity/aws/index.js';

const date = z.union([z.string(), z.date()]).transform((d) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString()));

export const lastAccessedResponseSchema = z
  .object({
    JobStatus: z.string().optional(),
    JobType: z.string().optional(),
    JobCompletionDate: date.optional(),
    ServicesLastAccessed: z.array(
      z
        .object({
          ServiceName: z.string().optional(),
          ServiceNamespace: z.string(),
          LastAuthenticated: date.nullish(),
          LastAuthenticatedEntity: z.string().nullish(),
          LastAuthenticatedRegion: z.string().nullish(),
          TotalAuthenticatedEntities: z.number().nullish(),
          TrackedActionsLastAccessed: z
            .array(
              z
                .object({
                  ActionName: z.string(),
                  LastAccessedEntity: z.string().nullish(),
                  LastAccessedTime: date.nullish(),
                  LastAccessedRegion: z.string().nullish(),
                })
                .passthrough(),
            )
            .nullish(),
        })
        .passthrough(),
    ),
    IsTruncated: z.boolean().optional(),
  })
  .passthrough();
export type LastAccessedResponse = z.infer<typeof lastAccessedResponseSchema>;

export const savedLastAccessedSchema = z.record(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(user|role|group|policy)\//, 'keys are principal ARNs'), lastAccessedResponseSchema);

function labelOf(arn: string): 'AWSUser' | 'AWSRole' | 'AWSGroup' | 'AWSPolicy' {
  if (arn.includes(':user/')) return 'AWSUser';
  if (arn.includes(':role/')) return 'AWSRole';
  if (arn.includes(':group/')) return 'AWSGroup';
  return 'AWSPolicy';
}

/**
 * One principal's response → records. Actions never used (no LastAccessedTime) produce nothing:
 * absence of use is what the declared-vs-used query measures. A used service without action
 * detail yields `service:*` with granularity "service".
 */
export function lastAccessedRecords(principalArn: string, resp: LastAccessedResponse, catalog: ActionCatalog): Batch {
  const nodes: Batch['nodes'] = [];
  const rels: Batch['rels'] = [];
  const from = { label: labelOf(principalArn), id: principalArn };
  for (const svc of resp.ServicesLastAccessed) {
    const tracked = (svc.TrackedActionsLastAccessed ?? []).filter((a) => a.LastAccessedTime);
    if (tracked.length === 0) {
      if (!svc.LastAuthenticated) continue;
      const id = `${svc.ServiceNamespace.toLowerCase()}:*`;
      nodes.push(node('AWSAction', id, { name: id, service: svc.ServiceNamespace.toLowerCase(), sensitivity: 'unknown', granularity: 'service' }));
      rels.push(rel('DID_USE_ACTION', from, { label: 'AWSAction', id }, { lastSeen: svc.LastAuthenticated, count: 1, props: { region: svc.LastAuthenticatedRegion ?? null, granularity: 'service' } }));
      continue;
    }
    for (const a of tracked) {
      const name = catalog.canonical(`${svc.ServiceNamespace}:${a.ActionName}`);
      const id = name.toLowerCase();
      nodes.push(node('AWSAction', id, { name, service: svc.ServiceNamespace.toLowerCase(), sensitivity: actionSensitivity(id, catalog), granularity: 'action' }));
      rels.push(rel('DID_USE_ACTION', from, { label: 'AWSAction', id }, { lastSeen: a.LastAccessedTime!, count: 1, props: { region: a.LastAccessedRegion ?? null, granularity: 'action' } }));
    }
  }
  return { nodes, rels };
}
