import { Ctx, Query, Resolver } from 'type-graphql';
import { VERSION } from '../version.js';
import { once, type ApiContext } from './context.js';
import { Health } from './health.type.js';
import { COST_NEO4J_READ } from './limits.js';

@Resolver(() => Health)
export class HealthResolver {
  @Query(() => Health, { description: 'Is the API up and does it reach Neo4j. Needs no token.', complexity: COST_NEO4J_READ })
  async health(@Ctx() ctx: ApiContext): Promise<Health> {
    const neo4j = await once(ctx, 'health', () =>
      ctx.graph.serverVersion().catch(
        // Reported as "unreachable"; the reason is in the server log, not in a public field.
        () => 'unreachable',
      ),
    );
    return { neo4j, version: VERSION };
  }
}
