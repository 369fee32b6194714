import { Ctx, Query, Resolver } from 'type-graphql';
import { VERSION } from '../version.js';
import type { ApiContext } from './context.js';
import { Health } from './health.type.js';

@Resolver(() => Health)
export class HealthResolver {
  @Query(() => Health, { description: 'Is the API up and does it reach Neo4j. Needs no token.' })
  async health(@Ctx() ctx: ApiContext): Promise<Health> {
    let neo4j = 'unreachable';
    try {
      neo4j = await ctx.graph.serverVersion();
    } catch {
      // Reported as "unreachable"; the reason is in the server log, not in a public field.
    }
    return { neo4j, version: VERSION };
  }
}
