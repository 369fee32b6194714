import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { LABELS } from '../graph/model/index.js';
import { ROLE_READER } from './auth.js';
import type { ApiContext } from './context.js';
import { EstateCount } from './estate.type.js';

@Resolver(() => EstateCount)
export class EstateResolver {
  @Authorized(ROLE_READER)
  @Query(() => [EstateCount], { description: 'Node counts for every label of the graph model: what the graph knows.' })
  async estate(@Ctx() ctx: ApiContext): Promise<EstateCount[]> {
    const labels = LABELS.map((l) => l.label).sort();
    const counts = await ctx.graph.readEach('queries/count-label', {}, labels.map((label) => ({ label })));
    return labels.map((label, i) => ({ label, count: Number(counts[i]![0]?.count ?? 0) }));
  }
}
