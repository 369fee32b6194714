/**
 * Risk tags through the API (admin): mark a node as an attack entry point or a crown jewel, or unmark
 * it. The risk engine's setTag does the tagging (validation, ambiguity, the riskTags property every
 * risk query reads); the API adds who changed the tags and when (api/record-tag-change).
 */
import { Arg, Authorized, Ctx, ID, Mutation, registerEnumType, Resolver } from 'type-graphql';
import { InputError } from '../errors.js';
import { ROLE_ADMIN } from './auth.js';
import type { ApiContext } from './context.js';
import { COST_NEO4J_READ } from './limits.js';
import { GraphNode } from './node.type.js';

/** The engine's tags (src/risk/run.ts setTag), in GraphQL's enum spelling. */
export enum RiskTag {
  ENTRY = 'entry',
  CROWN_JEWEL = 'crown-jewel',
}
registerEnumType(RiskTag, { name: 'RiskTag', description: 'ENTRY: an attack entry point (attackPaths start there); CROWN_JEWEL: a target attack paths end at.' });

async function changeTag(ctx: ApiContext, id: string, tag: RiskTag, on: boolean): Promise<GraphNode> {
  const { setTag } = await import('../risk/run.js');
  await setTag(ctx.graph, id, tag, on);
  // Tags change what blast radius calls a crown jewel: cached answers of this server are stale now.
  const { invalidateBlastCache } = await import('./blast-cache.js');
  invalidateBlastCache(ctx.graph);
  const w = await ctx.graph.write('queries/api/record-tag-change', { id, by: ctx.principal?.name ?? 'unknown', now: new Date().toISOString() });
  const r = w.rows[0];
  if (!r) throw new InputError(`id "${id}": the node disappeared while its tags were being changed`);
  const labels = r.labels as string[];
  return { id: String(r.id), label: labels[0] ?? '', labels, name: (r.name as string | null) ?? null, properties: r.properties as Record<string, unknown> };
}

@Resolver()
export class MutationResolver {
  @Authorized(ROLE_ADMIN)
  @Mutation(() => GraphNode, { description: 'Adds a risk tag to the node with this id (kept across re-syncs); records who did it (riskTagsBy, riskTagsAt).', complexity: COST_NEO4J_READ })
  async tag(@Ctx() ctx: ApiContext, @Arg('id', () => ID) id: string, @Arg('tag', () => RiskTag) tag: RiskTag): Promise<GraphNode> {
    return changeTag(ctx, id, tag, true);
  }

  @Authorized(ROLE_ADMIN)
  @Mutation(() => GraphNode, { description: 'Removes a risk tag from the node with this id; records who did it (riskTagsBy, riskTagsAt).', complexity: COST_NEO4J_READ })
  async untag(@Ctx() ctx: ApiContext, @Arg('id', () => ID) id: string, @Arg('tag', () => RiskTag) tag: RiskTag): Promise<GraphNode> {
    return changeTag(ctx, id, tag, false);
  }
}
