import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { ROLE_VIEWER } from './auth.js';
import { once, type ApiContext } from './context.js';
import { DriftEvent, driftEventOf, DriftSummary, driftSummaryOf } from './drift.type.js';
import { COST_NEO4J_READ } from './limits.js';

@Resolver(() => DriftEvent)
export class DriftResolver {
  @Authorized(ROLE_VIEWER)
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
      return rows.map(driftEventOf);
    });
  }

  @Authorized(ROLE_VIEWER)
  @Query(() => [DriftSummary], { description: 'Drift beyond the per-run event cap, counted per subject and baseline version, newest first: all, or one subject\'s (docs/behavior.md).', complexity: COST_NEO4J_READ })
  async driftSummaries(
    @Ctx() ctx: ApiContext,
    @Arg('subject', () => String, { nullable: true }) subject: string | null,
    @Arg('limit', () => Int, { defaultValue: 100 }) limit: number,
  ): Promise<DriftSummary[]> {
    const n = Math.max(1, Math.min(limit, 1000));
    return once(ctx, `driftSummaries\u0000${subject ?? ''}\u0000${n}`, async () => {
      const { listDriftSummaries, suppressedProp } = await import('../behavior/store.js');
      const { EDGE_KINDS } = await import('../behavior/edges.js');
      const rows = await listDriftSummaries(ctx.graph, { ...(subject ? { subject } : {}), limit: n });
      return rows.map((r) => driftSummaryOf(r, EDGE_KINDS, (k) => suppressedProp(k as (typeof EDGE_KINDS)[number])));
    });
  }
}
