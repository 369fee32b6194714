import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { LABELS } from '../graph/model/index.js';
import { ROLE_VIEWER } from './auth.js';
import { once, type ApiContext } from './context.js';
import { EstateCount } from './estate.type.js';
import { COST_NEO4J_SCAN } from './limits.js';

@Resolver(() => EstateCount)
export class EstateResolver {
  @Authorized(ROLE_VIEWER)
  @Query(() => [EstateCount], { description: 'Node counts for every label of the graph model: what the graph knows.', complexity: COST_NEO4J_SCAN })
  async estate(@Ctx() ctx: ApiContext): Promise<EstateCount[]> {
    return once(ctx, 'estate', async () => {
      const labels = LABELS.map((l) => l.label).sort();
      const counts = await ctx.graph.readEach('queries/count-label', {}, labels.map((label) => ({ label })));
      return labels.map((label, i) => ({ label, count: Number(counts[i]![0]?.count ?? 0) }));
    });
  }
}
