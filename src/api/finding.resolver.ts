/**
 * Stored findings through the API: the `findings` connection (keyset pages, highest priority first),
 * the `acceptRisk` mutation (admin) and `Agent.findings`, batched per request with a DataLoader so a page
 * of agents costs one query. The store is src/risk/store.ts; the status is computed at read time, so an
 * acceptance that expired reads open without a refresh.
 */
import DataLoader from 'dataloader';
import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { InputError } from '../errors.js';
import type { StoredFinding } from '../risk/store.js';
import { Agent } from './agent.type.js';
import { ROLE_ADMIN, ROLE_VIEWER } from './auth.js';
import { once, type ApiContext } from './context.js';
import { Finding, FindingConnection, FindingFilter } from './finding.type.js';
import { COST_NEO4J_READ } from './limits.js';

/** The opaque cursor of a finding: its place in the (priority desc, id asc) order. */
export function findingCursor(f: { priority: number; id: string }): string {
  return Buffer.from(JSON.stringify([f.priority, f.id])).toString('base64url');
}

/** Reads a cursor back; anything but one this connection issued is a coded error naming `after`. */
export function parseFindingCursor(after: string): { priority: number; id: string } {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  if (!Array.isArray(v) || v.length !== 2 || !Number.isInteger(v[0]) || typeof v[1] !== 'string') throw new InputError('after: not a cursor of the findings connection (pass an edge\'s cursor unchanged)');
  return { priority: v[0] as number, id: v[1] as string };
}

/** The API shape of a stored finding. */
export function findingOf(f: StoredFinding): Finding {
  return {
    id: f.id,
    ruleId: f.ruleId,
    title: f.title,
    severity: f.severity,
    priority: f.priority,
    subject: { id: f.subject.id, label: f.subject.label },
    target: f.target,
    entry: f.entry,
    exercised: f.exercised,
    // Stored paths keep type, from and to; the family follows from the type's prefix (MAY_/structural declared, DID_ observed).
    path: f.path.map((h) => ({ type: h.type, from: h.from, to: h.to, declared: !h.type.startsWith('DID_'), observed: h.type.startsWith('DID_'), props: null })),
    frameworks: f.frameworks,
    status: f.status,
    acceptance: f.acceptance,
    acceptances: f.acceptances,
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    resolvedAt: f.resolvedAt,
  };
}

function agentFindingsLoader(ctx: ApiContext): Promise<DataLoader<string, Finding[]>> {
  return once(ctx, 'loader:agentFindings', async () =>
    new DataLoader<string, Finding[]>(async (agents) => {
      const { findingsOfAgents } = await import('../risk/store.js');
      const by = await findingsOfAgents(ctx.graph, agents);
      return agents.map((a) => (by.get(a) ?? []).map(findingOf));
    }),
  );
}

@Resolver(() => Finding)
export class FindingResolver {
  @Authorized(ROLE_VIEWER)
  @Query(() => FindingConnection, { description: 'Stored findings (after `reachgraph findings --refresh`), highest priority first, filtered; keyset pages.', complexity: 2 * COST_NEO4J_READ })
  async findings(
    @Ctx() ctx: ApiContext,
    @Arg('filter', () => FindingFilter, { nullable: true }) filter: FindingFilter | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<FindingConnection> {
    const { countFindings, filterParams, listFindings } = await import('../risk/store.js');
    filterParams(filter);
    const cursor = after == null ? null : parseFindingCursor(after);
    const key = `findings\u0000${JSON.stringify([filter, first, after])}`;
    return once(ctx, key, async () => {
      const now = new Date();
      const [page, total] = await Promise.all([listFindings(ctx.graph, { filter, first, after: cursor, now }), countFindings(ctx.graph, filter, now)]);
      const edges = page.findings.map((f) => ({ cursor: findingCursor(f), node: findingOf(f) }));
      return {
        edges,
        totalCount: total,
        pageInfo: { hasNextPage: page.hasNext, hasPreviousPage: cursor !== null, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
      };
    });
  }

  @Authorized(ROLE_ADMIN)
  @Mutation(() => Finding, { description: 'Accepts a stored finding\'s risk until `expires` (at most a year ahead) for a reason; recorded with who and when, kept as the audit trail. The finding reads accepted until then.', complexity: COST_NEO4J_READ })
  async acceptRisk(
    @Ctx() ctx: ApiContext,
    @Arg('findingId', () => ID) findingId: string,
    @Arg('reason', () => String) reason: string,
    @Arg('expires', () => DateTimeResolver) expires: Date,
  ): Promise<Finding> {
    const { acceptRisk } = await import('../risk/store.js');
    return findingOf(await acceptRisk(ctx.graph, { findingId, reason, expires, by: ctx.principal?.name ?? 'unknown' }));
  }
}

@Resolver(() => Agent)
export class AgentFindingsResolver {
  @Authorized(ROLE_VIEWER)
  // Cost 1 like the other batched Agent fields: one query serves the whole page, whatever its size.
  @FieldResolver(() => [Finding], { description: 'The agent\'s stored findings that are not resolved (open or accepted), highest priority first.', complexity: 1 })
  async findings(@Root() agent: Agent, @Ctx() ctx: ApiContext): Promise<Finding[]> {
    return (await agentFindingsLoader(ctx)).load(agent.id);
  }
}
