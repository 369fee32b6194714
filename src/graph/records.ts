/**
 * The normalized batch format: what every collector and the sensor hand to the ingest core,
 * and what `reachgraph ingest FILE` reads as JSON Lines (docs/ingest-format.md,
 * docs/ingest-format.schema.json).
 */
import { z } from 'zod';
import { familyOfType, isLabel, isRelType } from './model/index.js';

/** Property values Neo4j can store: scalars and homogeneous arrays of scalars. */
const scalar = z.union([z.string(), z.number().finite(), z.boolean()]);
export const propValueSchema = z.union([
  scalar,
  z.array(z.string()),
  z.array(z.number().finite()),
  z.array(z.boolean()),
  z.null(),
]);
export type PropValue = z.infer<typeof propValueSchema>;

/** Names the core sets itself; a record may not carry them in `props`. */
export const RESERVED_PROPS = ['id', 'source', 'scope', 'syncId', 'firstSeen', 'lastSeen', 'count'] as const;

const propName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'property names are letters, digits and _ (max 64), starting with a letter');
export const propsSchema = z
  .record(propName, propValueSchema)
  .refine((p) => RESERVED_PROPS.every((k) => !(k in p)), { message: `props may not set ${RESERVED_PROPS.join(', ')}: use the record's own fields` });

const labelSchema = z.string().refine(isLabel, { error: (iss) => `unknown label "${String(iss.input).slice(0, 80)}" (see docs/graph-model.md)` });
const relTypeSchema = z.string().refine(isRelType, { error: (iss) => `unknown relationship type "${String(iss.input).slice(0, 80)}" (see docs/graph-model.md)` });
const idSchema = z.string().min(1).max(2048);
const isoTime = z.string().datetime({ offset: true });

export const nodeRefSchema = z.object({ label: labelSchema, id: idSchema }).strict();
export type NodeRef = z.infer<typeof nodeRefSchema>;

export const nodeRecordSchema = z
  .object({
    kind: z.literal('node'),
    label: labelSchema,
    id: idSchema,
    props: propsSchema.optional(),
  })
  .strict();
export type NodeRecord = z.infer<typeof nodeRecordSchema>;

export const relRecordSchema = z
  .object({
    kind: z.literal('rel'),
    type: relTypeSchema,
    from: nodeRefSchema,
    to: nodeRefSchema,
    /** Observation window of this record; default: the time of ingest. */
    firstSeen: isoTime.optional(),
    lastSeen: isoTime.optional(),
    /** Observed (DID_*) relationships: how many times in this sync; default 1. */
    count: z.number().int().nonnegative().optional(),
    /** Distinguishes parallel relationships of one type between the same two nodes (e.g. port/protocol). */
    key: z.string().max(512).optional(),
    props: propsSchema.optional(),
  })
  .strict()
  .refine((r) => r.count === undefined || familyOfType(r.type) === 'observed', { message: 'count is only for observed (DID_*) relationships', path: ['count'] });
export type RelRecord = z.infer<typeof relRecordSchema>;

export const syncHeaderSchema = z
  .object({
    kind: z.literal('sync'),
    source: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'source is lower-case letters, digits and -'),
    scope: z.string().min(1).max(256),
    /** A fixed id makes a replay idempotent; default: a fresh one per run. */
    syncId: z.string().min(1).max(128).optional(),
    /** replace: after success, remove what this source+scope had that this sync did not touch. append: never remove (observations). */
    mode: z.enum(['replace', 'append']).optional(),
  })
  .strict();
export type SyncHeader = z.infer<typeof syncHeaderSchema>;


/** A batch as collectors produce it. */
export interface Batch {
  nodes: NodeRecord[];
  rels: RelRecord[];
}

/** Helpers for collectors: build records without spelling `kind`. */
export function node(label: string, id: string, props?: Record<string, PropValue>): NodeRecord {
  return props === undefined ? { kind: 'node', label, id } : { kind: 'node', label, id, props };
}
export function rel(type: string, from: NodeRef, to: NodeRef, extra?: Omit<RelRecord, 'kind' | 'type' | 'from' | 'to'>): RelRecord {
  return { kind: 'rel', type, from, to, ...extra };
}
