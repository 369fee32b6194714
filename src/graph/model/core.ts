/**
 * Graph model: core labels and the relationship families.
 *
 * Labels and relationship types are the only strings ever placed into query text; every
 * other value travels as a parameter. Each domain adds its labels in its own file under
 * `src/graph/model/` and `index.ts` unions them.
 */

/** A node label definition: its name and one line for docs/graph-model.md. */
export interface LabelDef {
  readonly label: string;
  readonly doc: string;
}

/** Relationship families: declared (configuration allows), observed (runtime did), structural (configuration facts). */
export type RelFamily = 'declared' | 'observed' | 'structural';

export interface RelDef {
  readonly type: string;
  readonly family: RelFamily;
  readonly doc: string;
}

export const coreLabels = [
  { label: 'Sync', doc: 'One run of one source over one scope: status, start/finish times, counts. Written by the ingest core.' },
  { label: 'SyncLease', doc: 'The lease one running sync holds on its source and scope (holder sync id, host, pid, expiry): a second sync of the pair waits for it; an expired or dead holder is taken over and its Sync recorded failed.' },
  { label: 'SchemaVersion', doc: 'The graph-model version applied by `reachgraph schema apply` (one node, id "reachgraph").' },
  { label: 'Coverage', doc: 'What an observation window covered: which probes ran, for which workloads, from when to when, and whether anything was lost.' },
  { label: 'ApiKey', doc: 'An API key made by `reachgraph api-key create`: public id, name, role, the SHA-256 of its secret (never the secret), created, last used, revoked.' },
  { label: 'IngestBatch', doc: 'A batch applied through the remote ingest endpoint (id = the sender\'s batch id), written in the same transaction as its records so a retried batch is applied once; kept 30 days (docs/api.md, "Remote ingest").' },
] as const satisfies readonly LabelDef[];

export const coreRels = [] as const satisfies readonly RelDef[];

/**
 * Labels of the program's own bookkeeping that the API's node(id) does not serve: credentials (an API
 * key's name, role and secret hash are for `api-key list`, an admin's), the remote-ingest ledger and the
 * sync leases (host and pid). Analysts with the Cypher console still read them.
 */
export const UNSERVED_LABELS: readonly string[] = ['ApiKey', 'IngestBatch', 'SyncLease'];

/** Relationship type naming rule: declared ones start with MAY_, observed ones with DID_. */
export function familyOfType(type: string): RelFamily {
  if (type.startsWith('MAY_')) return 'declared';
  if (type.startsWith('DID_')) return 'observed';
  return 'structural';
}
