import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'An observed edge outside a locked behavioural baseline (docs/behavior.md).' })
export class DriftEvent {
  @Field(() => String)
  id!: string;

  @Field(() => String, { description: 'The subject (sensor Workload id or IAM ARN).' })
  subject!: string;

  @Field(() => String, { description: 'exec, connect, accept, resolve, open, iam or mcp.' })
  kind!: string;

  @Field(() => String, { description: 'Id of the node the new edge reached.' })
  target!: string;

  @Field(() => String, { description: 'critical, high, medium or low.' })
  severity!: string;

  @Field(() => Int)
  score!: number;

  @Field(() => String, { description: 'explained or unexplained.' })
  classification!: string;

  @Field(() => String, { nullable: true, description: 'The StateChange that explains it.' })
  explainedBy!: string | null;

  @Field(() => String, { description: 'certain, or uncertain when coverage had a gap.' })
  certainty!: string;

  @Field(() => [String])
  reasons!: string[];

  @Field(() => Int)
  count!: number;

  @Field(() => String)
  firstSeen!: string;

  @Field(() => String)
  lastSeen!: string;

  @Field(() => String)
  detectedAt!: string;

  @Field(() => [String], { description: 'The evidence process and its ancestors: pid, executable, redacted argv.' })
  lineage!: string[];

  @Field(() => Int)
  coverageLostWindows!: number;
}

/** A DriftEvent node's properties (behavior/list-drift-events, times as ISO text) as the API's DriftEvent. */
export function driftEventOf(r: Record<string, unknown>): DriftEvent {
  return {
    id: String(r.id),
    subject: String(r.subject),
    kind: String(r.kind),
    target: String(r.target),
    severity: String(r.severity),
    score: Number(r.score ?? 0),
    classification: String(r.classification),
    explainedBy: (r.explainedBy as string | undefined) ?? null,
    certainty: String(r.certainty),
    reasons: (r.reasons as string[] | undefined) ?? [],
    count: Number(r.count ?? 0),
    firstSeen: String(r.firstSeen),
    lastSeen: String(r.lastSeen),
    detectedAt: String(r.detectedAt),
    lineage: (r.lineage as string[] | undefined) ?? [],
    coverageLostWindows: Number(r.coverageLostWindows ?? 0),
  };
}

@ObjectType({ description: 'What the latest drift run of a subject did not write as events, beyond the per-run cap (docs/behavior.md, "Bounded volume").' })
export class DriftSummary {
  @Field(() => String)
  id!: string;

  @Field(() => String, { description: 'The subject (sensor Workload id, IAM ARN or AIAgent id).' })
  subject!: string;

  @Field(() => Int)
  baselineVersion!: number;

  @Field(() => Int, { description: 'Most events written per subject and run.' })
  cap!: number;

  @Field(() => Int, { description: 'Edges outside the baseline, seen after its window, in the latest run.' })
  outside!: number;

  @Field(() => Int, { description: 'Events written in the latest run (the highest scores).' })
  written!: number;

  @Field(() => Int, { description: 'Edges outside the baseline not written as events: outside - written.' })
  suppressed!: number;

  @Field(() => [DriftSuppressedKind], { description: 'The suppressed count by kind (kinds with none left out).' })
  byKind!: DriftSuppressedKind[];

  @Field(() => String)
  updatedAt!: string;
}

@ObjectType({ description: 'Suppressed drift of one kind.' })
export class DriftSuppressedKind {
  @Field(() => String, { description: 'exec, connect, accept, resolve, open, iam or mcp.' })
  kind!: string;

  @Field(() => Int)
  count!: number;
}

/** A DriftSummary node's properties (behavior/list-drift-summaries) as the API's DriftSummary. */
export function driftSummaryOf(r: Record<string, unknown>, kinds: readonly string[], propOf: (kind: string) => string): DriftSummary {
  return {
    id: String(r.id),
    subject: String(r.subject),
    baselineVersion: Number(r.baselineVersion ?? 0),
    cap: Number(r.cap ?? 0),
    outside: Number(r.outside ?? 0),
    written: Number(r.written ?? 0),
    suppressed: Number(r.suppressed ?? 0),
    byKind: kinds.map((kind) => ({ kind, count: Number(r[propOf(kind)] ?? 0) })).filter((k) => k.count > 0),
    updatedAt: String(r.updatedAt),
  };
}
