import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { ROLE_READER } from './auth.js';
import { once, type ApiContext } from './context.js';
import { DriftEvent } from './drift.type.js';
import { COST_NEO4J_READ } from './limits.js';

@Resolver(() => DriftEvent)
export class DriftResolver {
  @Authorized(ROLE_READER)
  @Query(() => [DriftEvent], { description: 'Drift events, newest first: all, or one subject\'s (docs/behavior.md).', complexity: COST_NEO4J_READ })
  async driftEvents(
    @Ctx() ctx: ApiContext,
    @Arg('subject', () => String, { nullable: true }) subject: string | null,
    @Arg('limit', () => Int, { defaultValue: 100 }) limit: number,
  ): Promise<DriftEvent[]> {
    const n = Math.max(1, Math.min(limit, 1000));
    return once(ctx, `driftEvents\u0000${subject ?? ''}\u0000${n}`, async () => {
      const { listDrift } = await import('../behavior/store.js');
      const rows = await listDrift(ctx.graph, { ...(subject ? { subject } : {}), limit: n });
      return rows.map((r) => ({
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
      }));
    });
  }
}
