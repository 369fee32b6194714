/** A behavioural baseline as the API shows it (docs/behavior.md); resolvers in baseline.resolver.ts. */
import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { StoredBaseline } from '../behavior/store.js';

@ObjectType({ description: 'What is normal for one behaviour subject (a sensor Workload or IAM role): learned over a window, then locked.' })
export class Baseline {
  @Field(() => ID, { description: 'The subject the baseline describes (a sensor Workload id or an IAM ARN).' })
  agent!: string;

  @Field(() => String, { description: 'learning or locked; drift is measured against a locked baseline only.' })
  state!: string;

  @Field(() => Int, { description: 'Bumped by every relearn; drift events name the version they were measured against.' })
  version!: number;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Start of the learning window.' })
  learnedFrom!: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'End of the learning window.' })
  learnedTo!: string | null;

  @Field(() => Int, { description: 'Observed edges the baseline holds.' })
  entries!: number;

  @Field(() => Boolean, { description: 'False when the learning window had lost events or a stopped probe.' })
  coverageComplete!: boolean;

  @Field(() => DateTimeResolver, { nullable: true })
  lockedAt!: string | null;

  @Field(() => String, { nullable: true, description: 'The API principal of the last lock or relearn through the API (null when done by the CLI).' })
  changedBy!: string | null;

  @Field(() => String, { nullable: true, description: 'What that principal did: lock or relearn.' })
  change!: string | null;

  @Field(() => DateTimeResolver, { nullable: true })
  changedAt!: string | null;
}

const isoOrNull = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  const t = typeof v === 'number' ? v : Date.parse(String(v));
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
};

/** The behaviour store's baseline as the API's Baseline. */
export function baselineOf(b: StoredBaseline): Baseline {
  const p = b.props;
  return {
    agent: b.subject,
    state: b.state,
    version: b.version,
    learnedFrom: isoOrNull(b.windowFrom),
    learnedTo: isoOrNull(b.windowTo),
    entries: b.entryCount,
    coverageComplete: p.coverageComplete !== false,
    lockedAt: isoOrNull(p.lockedAt),
    changedBy: typeof p.changedBy === 'string' ? p.changedBy : null,
    change: typeof p.change === 'string' ? p.change : null,
    changedAt: isoOrNull(p.changedAt),
  };
}
