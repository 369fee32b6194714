/**
 * The normalized batch format: what every collector and the sensor hand to the ingest core,
 * and what `reachgraph ingest FILE` reads as JSON Lines (docs/ingest-format.md,
 * docs/ingest-format.schema.json).
 */
import { z } from 'zod';
import { familyOfType, isLabel, isRelType } from './model/index.js';

/** Longest string property value, in characters: larger blobs belong outside the graph. */
export const PROP_STRING_MAX = 1_048_576;
/** Most elements in an array property value. */
export const PROP_ARRAY_MAX = 10_000;

const propString = z.string().max(PROP_STRING_MAX, `property values are at most ${PROP_STRING_MAX} characters`);
const propArray = <T extends z.ZodType>(item: T) => z.array(item).max(PROP_ARRAY_MAX, `array property values have at most ${PROP_ARRAY_MAX} elements`);
/** Property values Neo4j can store: scalars and homogeneous arrays of scalars, size-limited. */
const scalar = z.union([propString, z.number().finite(), z.boolean()]);
export const propValueSchema = z.union([
  scalar,
  propArray(propString),
  propArray(z.number().finite()),
  propArray(z.boolean()),
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
/**
 * Scope and sync id name an owner in the claims the core keeps on every item (`source␟scope␟syncId`,
 * docs/graph-model.md): control characters would make those ambiguous.
 */
const noControl = /^[^\u0000-\u001f\u007f]*$/;
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
    scope: z.string().min(1).max(256).regex(noControl, 'scope may not contain control characters'),
    /** A fixed id makes a replay idempotent; default: a fresh one per run. */
    syncId: z.string().min(1).max(128).regex(noControl, 'syncId may not contain control characters').optional(),
    /** replace: after success, remove what this source+scope had that this sync did not touch. append: never remove (observations). */
    mode: z.enum(['replace', 'append']).optional(),
  })
  .strict();
export type SyncHeader = z.infer<typeof syncHeaderSchema>;


/**
 * The path of the first own `__proto__` key in a parsed JSON value (JSON.parse makes it an own key; zod
 * and object spreads would silently drop it or change a prototype), or undefined.
 */
export function protoKeyPath(v: unknown, path: string[] = []): string[] | undefined {
  // Records nest two levels deep; deeper values fail the schema anyway, and a bound keeps deep input off the stack.
  if (typeof v !== 'object' || v === null || path.length > 4) return undefined;
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) {
      const p = typeof x === 'object' && x !== null ? protoKeyPath(x, [...path, String(i)]) : undefined;
      if (p) return p;
    }
    return undefined;
  }
  if (Object.hasOwn(v, '__proto__')) return [...path, '__proto__'];
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    const p = typeof x === 'object' && x !== null ? protoKeyPath(x, [...path, k]) : undefined;
    if (p) return p;
  }
  return undefined;
}

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
