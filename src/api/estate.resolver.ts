import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { ROLE_READER } from './auth.js';
import type { ApiContext } from './context.js';
import { EstateCount } from './estate.type.js';

@Resolver(() => EstateCount)
export class EstateResolver {
  @Authorized(ROLE_READER)
  @Query(() => [EstateCount], { description: 'Node counts per label: what the graph knows.' })
  async estate(@Ctx() ctx: ApiContext): Promise<EstateCount[]> {
    const rows = await ctx.graph.read('queries/estate-counts');
    return rows.map((r) => ({ label: String(r.label), count: Number(r.count) }));
  }
}
