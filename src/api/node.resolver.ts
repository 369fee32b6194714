/**
 * Any node: `node(id)`, `search(text)` over the full-text index of the main labels, and
 * `GraphNode.neighbours`, batched per request (loaders.ts) so a list of nodes costs one query.
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { InputError } from '../errors.js';
import { isLabel, UNSERVED_LABELS } from '../graph/model/index.js';
import { ROLE_VIEWER } from './auth.js';
import { once, type ApiContext } from './context.js';
import { COST_NEO4J_READ } from './limits.js';
import { GraphEdge, GraphNode } from './node.type.js';
import { checkFirst } from './risk.resolver.js';
import { MAX_SEARCH_TEXT, searchQuery } from './search.js';

/** Most search hits one call returns. */
export const MAX_SEARCH_HITS = 100;
/** Most relationships one neighbours call returns. */
export const MAX_NEIGHBOURS = 500;

/** A row with node (elementId), id, labels, name, properties as a GraphNode. */
export function graphNodeOf(r: { node?: unknown; other?: unknown; id: unknown; labels: unknown; name: unknown; properties: unknown }): GraphNode {
  const labels = (r.labels as string[] | null) ?? [];
  return { id: String(r.id ?? ''), label: labels[0] ?? '', labels, name: (r.name as string | null) ?? null, properties: (r.properties as Record<string, unknown> | null) ?? {}, element: String(r.node ?? r.other) };
}

const complexityOfList = (max: number, fallback: number) => ({ args, childComplexity }: { args: Record<string, unknown>; childComplexity: number }) =>
  COST_NEO4J_READ + Math.min(Math.max(Number(args.first ?? fallback) || 0, 0), max) * childComplexity;

@Resolver(() => GraphNode)
export class NodeResolver {
  @Authorized(ROLE_VIEWER)
  @Query(() => GraphNode, {
    nullable: true,
    description: 'The node with this id; null when none. Ids are unique per label: give `label` when two labels share one (BAD_INPUT lists them). API keys, the remote-ingest ledger and sync leases are not served.',
    complexity: COST_NEO4J_READ,
  })
  async node(@Ctx() ctx: ApiContext, @Arg('id', () => ID) id: string, @Arg('label', () => String, { nullable: true }) label: string | null | undefined): Promise<GraphNode | null> {
    if (id.length > 2048) throw new InputError('id: at most 2048 characters');
    if (label != null && !isLabel(label)) throw new InputError(`label: "${label.slice(0, 100)}" is not a label of the graph model`);
    if (label != null && UNSERVED_LABELS.includes(label)) throw new InputError(`label: ${label} nodes are not served by node(); API keys are listed by \`reachgraph api-key list\``);
    return once(ctx, `node\u0000${label ?? ''}\u0000${id}`, async () => {
      const rows = label == null ? await ctx.graph.read('queries/api/node-by-id', { id }) : await ctx.graph.read('queries/api/node-by-label-id', { id }, { label });
      if (rows.length > 1) throw new InputError(`id "${id}" names ${rows.length} nodes (${rows.map((r) => (r.labels as string[])[0]).join(', ')}); give label as well`);
      return rows[0] ? graphNodeOf(rows[0] as never) : null;
    });
  }

  @Authorized(ROLE_VIEWER)
  @Query(() => [GraphNode], {
    description: 'Nodes of the main labels (agents, workloads, pods, service accounts, IAM principals and resources, MCP servers and tools, …) whose id or name matches every word, by prefix: exact matches first.',
    complexity: complexityOfList(MAX_SEARCH_HITS, 20),
  })
  async search(@Ctx() ctx: ApiContext, @Arg('text', () => String) text: string, @Arg('first', () => Int, { defaultValue: 20, description: `1 to ${MAX_SEARCH_HITS}.` }) first: number): Promise<GraphNode[]> {
    checkFirst('first', first, MAX_SEARCH_HITS);
    if (text.length > MAX_SEARCH_TEXT) throw new InputError(`text: at most ${MAX_SEARCH_TEXT} characters`);
    const query = searchQuery(text);
    if (query === undefined) return [];
    return once(ctx, `search\u0000${first}\u0000${text}`, async () => {
      // Read more hits than returned so that an exact match Lucene scores low still comes first.
      const rows = await ctx.graph.read('queries/api/search-nodes', { query, exact: text.trim(), candidates: Math.min(4 * first, 400), first });
      return rows.map((r) => graphNodeOf(r as never));
    });
  }

  @Authorized(ROLE_VIEWER)
  @FieldResolver(() => [GraphEdge], { description: 'Its relationships, both directions, by type then the other end\'s id.', complexity: complexityOfList(MAX_NEIGHBOURS, 25) })
  async neighbours(@Root() n: GraphNode, @Ctx() ctx: ApiContext, @Arg('first', () => Int, { defaultValue: 25, description: `1 to ${MAX_NEIGHBOURS}.` }) first: number): Promise<GraphEdge[]> {
    checkFirst('first', first, MAX_NEIGHBOURS);
    let element = n.element;
    if (element === undefined) {
      // A node built elsewhere (a mutation's answer) carries no elementId: find it by label and id.
      const row = isLabel(n.label) ? (await ctx.graph.read('queries/api/node-by-label-id', { id: n.id }, { label: n.label }))[0] : undefined;
      if (!row) return [];
      element = String(row.node);
    }
    const rows = await ctx.loaders.neighbours.load({ node: element, first });
    return rows.map((r) => ({ type: r.type, direction: r.out ? 'OUT' : 'IN', other: graphNodeOf(r), props: Object.keys(r.props ?? {}).length ? r.props : null }));
  }
}
