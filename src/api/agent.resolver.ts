/**
 * Agents: the `agents` connection (keyset pages by risk or name), `agent(id)` (any subject the CLI
 * accepts), and the Agent fields that need more than the agent's node: identities and edge counts
 * (batched per request, loaders.ts), blast radius (cached per graph generation, blast-cache.ts) and gaps.
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { InputError } from '../errors.js';
import type { BlastRadius as EngineBlastRadius } from '../risk/run.js';
import { pickSubject, subjectParams } from '../risk/subject.js';
import { Agent, AgentConnection, AgentFilter, AgentOrder, Identity } from './agent.type.js';
import { ROLE_VIEWER } from './auth.js';
import { blastCache, subjectCache } from './blast-cache.js';
import { once, type ApiContext } from './context.js';
import { COST_NEO4J_READ } from './limits.js';
import { BlastMode, BlastRadius, Gaps } from './risk.type.js';
import { checkFirst, hopOf } from './risk.resolver.js';

/** Largest page of agents. */
export const MAX_AGENTS_PAGE = 100;
/** Targets one blast radius returns; `complete` says whether there were more. */
export const MAX_BLAST_TARGETS = 500;
/** Cost of a blast radius: one search over the subject's reach (cached, but priced as if not). */
export const COST_BLAST_RADIUS = 100;
/** Cost of gaps: five queries. */
export const COST_GAPS = 5 * COST_NEO4J_READ;

type Cursor = { order: AgentOrder; key: number | string; id: string };

/** An opaque cursor: the row's place in its order. */
export function agentCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.order, c.key, c.id])).toString('base64url');
}

/** Reads a cursor back; one from another order or not ours at all is a coded error naming `after`. */
export function parseAgentCursor(after: string, order: AgentOrder): Cursor {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  const keyOk = (k: unknown) => (order === AgentOrder.RISK_DESC ? typeof k === 'number' && Number.isFinite(k) : typeof k === 'string');
  if (!Array.isArray(v) || v.length !== 3 || v[0] !== order || !keyOk(v[1]) || typeof v[2] !== 'string') throw new InputError(`after: not a cursor of the agents connection ordered by ${order} (pass an edge's cursor unchanged, with the same orderBy)`);
  return { order, key: v[1] as number | string, id: v[2] as string };
}

/** The filter as query parameters; text is matched case-insensitively. */
function filterParams(f: AgentFilter | null | undefined): Record<string, unknown> {
  const text = f?.text?.trim().toLowerCase() || null;
  if (text !== null && text.length > 200) throw new InputError('filter.text: at most 200 characters');
  return { text, namespace: f?.namespace ?? null, observed: f?.observed ?? null, hasFindings: f?.hasFindings ?? null };
}

/** The Agent view of a row of api/agents-page-* or api/subject-summaries. */
function agentOf(r: Record<string, unknown>): Agent {
  return { id: String(r.id), name: String(r.name), label: String(r.label), riskScore: Number(r.riskScore ?? 0), observed: r.observed === true };
}

/** The connection before totalCount, which runs its own query only when asked for. */
type AgentPage = AgentConnection & { filter: Record<string, unknown> };

@Resolver(() => AgentConnection)
export class AgentConnectionResolver {
  @Authorized(ROLE_VIEWER)
  // Its query is charged in agents' own cost, once, not per agent of the page.
  @FieldResolver(() => Int, { description: 'Agents matching the filter, all pages.', complexity: 0 })
  async totalCount(@Root() page: AgentPage, @Ctx() ctx: ApiContext): Promise<number> {
    if (typeof page.totalCount === 'number') return page.totalCount;
    return once(ctx, `agentsCount\u0000${JSON.stringify(page.filter)}`, async () => Number((await ctx.graph.read('queries/api/agents-count', page.filter))[0]?.count ?? 0));
  }
}

/** Thrown inside the subject cache for an id that names nothing, so that no entry is kept for it. */
const UNKNOWN_SUBJECT = Symbol('unknown subject');

@Resolver(() => Agent)
export class AgentResolver {
  @Authorized(ROLE_VIEWER)
  @Query(() => AgentConnection, {
    description: 'Agents, a page at a time (Relay connection, keyset cursors): highest riskScore first, or by name.',
    complexity: ({ args, childComplexity }) => 2 * COST_NEO4J_READ + Math.min(Math.max(Number(args.first) || 0, 0), MAX_AGENTS_PAGE) * childComplexity,
  })
  async agents(
    @Ctx() ctx: ApiContext,
    @Arg('first', () => Int, { defaultValue: 25, description: `1 to ${MAX_AGENTS_PAGE}.` }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Arg('filter', () => AgentFilter, { nullable: true }) filter: AgentFilter | null,
    @Arg('orderBy', () => AgentOrder, { defaultValue: AgentOrder.RISK_DESC }) orderBy: AgentOrder,
  ): Promise<AgentPage> {
    checkFirst('first', first, MAX_AGENTS_PAGE);
    const cursor = after == null ? null : parseAgentCursor(after, orderBy);
    const f = filterParams(filter);
    const risk = orderBy === AgentOrder.RISK_DESC;
    const params = { ...f, limit: first + 1, afterId: cursor?.id ?? null, ...(risk ? { afterScore: cursor?.key ?? null } : { afterName: cursor?.key ?? null }) };
    const rows = await once(ctx, `agents\u0000${JSON.stringify(params)}\u0000${orderBy}`, () => ctx.graph.read(risk ? 'queries/api/agents-page-risk' : 'queries/api/agents-page-name', params));
    const edges = rows.slice(0, first).map((r) => {
      const node = agentOf(r);
      return { node, cursor: agentCursor({ order: orderBy, key: risk ? node.riskScore : node.name, id: node.id }) };
    });
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: cursor !== null, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
      // Resolved by AgentConnectionResolver when asked for.
      totalCount: undefined as unknown as number,
      filter: f,
    };
  }

  @Authorized(ROLE_VIEWER)
  @Query(() => Agent, {
    nullable: true,
    description: 'One agent, or any subject the CLI accepts (AIAgent id, pod NS/NAME, workload NS/KIND/NAME, system:serviceaccount:NS:NAME, IAM ARN, sensor Workload id); null when unknown, BAD_INPUT listing the candidates when ambiguous.',
    complexity: 2 * COST_NEO4J_READ,
  })
  async agent(@Ctx() ctx: ApiContext, @Arg('id', () => ID) id: string): Promise<Agent | null> {
    if (id.length > 2048) throw new InputError('id: at most 2048 characters');
    return once(ctx, `agent\u0000${id}`, async () => {
      let params;
      try {
        params = subjectParams(id);
      } catch (e) {
        throw new InputError(`id: ${(e as Error).message}`);
      }
      type Candidate = { label: string; id: string; name: string; node: string };
      // An unknown id is not kept (a failed computation is dropped): it may be synced in a moment.
      const candidates = await subjectCache<Candidate[]>(ctx.graph)
        .get(ctx.graph, id, async () => {
          const rows = (await ctx.graph.read('queries/risk/resolve-subject', { ...params })) as Candidate[];
          if (rows.length === 0) throw UNKNOWN_SUBJECT;
          return rows;
        })
        .catch((e: unknown) => {
          if (e === UNKNOWN_SUBJECT) return [];
          throw e;
        });
      if (candidates.length === 0) return null;
      const s = pickSubject(id, candidates);
      const node = candidates.find((c) => c.label === s.label && c.id === s.id)!.node;
      const row = (await ctx.graph.read('queries/api/subject-summaries', { nodes: [node] }))[0];
      return row ? agentOf(row) : null;
    });
  }

  @Authorized(ROLE_VIEWER)
  @FieldResolver(() => [Identity], { description: 'The pods, workloads, service accounts, IAM roles and sensor Workloads it acts through (its anchors), nearest first.', complexity: 1 })
  async identities(@Root() a: Agent, @Ctx() ctx: ApiContext): Promise<Identity[]> {
    const anchors = await ctx.loaders.anchors.load({ label: a.label, id: a.id });
    return anchors.filter((x) => !(x.label === a.label && x.id === a.id)).map((x) => ({ id: x.id, label: x.label }));
  }

  @Authorized(ROLE_VIEWER)
  @FieldResolver(() => Int, { description: 'Declared (MAY_*) relationships leaving it and its identities.', complexity: 1 })
  async declaredEdgeCount(@Root() a: Agent, @Ctx() ctx: ApiContext): Promise<number> {
    return (await ctx.loaders.edgeCounts.load({ label: a.label, id: a.id })).declared;
  }

  @Authorized(ROLE_VIEWER)
  @FieldResolver(() => Int, { description: 'Observed (DID_*) relationships leaving it and its identities.', complexity: 1 })
  async observedEdgeCount(@Root() a: Agent, @Ctx() ctx: ApiContext): Promise<number> {
    return (await ctx.loaders.edgeCounts.load({ label: a.label, id: a.id })).observed;
  }

  @Authorized(ROLE_VIEWER)
  @FieldResolver(() => BlastRadius, { description: 'What it can reach (`reachgraph blast-radius`): sensitive targets with evidence paths and scores. Cached until the next sync finishes.', complexity: COST_BLAST_RADIUS })
  async blastRadius(
    @Root() a: Agent,
    @Ctx() ctx: ApiContext,
    @Arg('mode', () => BlastMode, { defaultValue: BlastMode.BOTH }) mode: BlastMode,
    @Arg('depth', () => Int, { defaultValue: 6 }) depth: number,
    @Arg('domains', () => [String], { nullable: true, description: 'identity, network, tools; all when omitted.' }) domains: string[] | null,
  ): Promise<BlastRadius> {
    const { blastRadius, checkBlastOptions, MAX_DEPTH } = await import('../risk/run.js');
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH) throw new InputError(`blastRadius(depth): must be an integer from 1 to ${MAX_DEPTH}, got ${depth}`);
    let opts;
    try {
      opts = checkBlastOptions({ mode, depth, domain: domains ?? [] });
    } catch (e) {
      throw new InputError(`blastRadius: ${(e as Error).message.replace(/^--domain/, 'domains')}`);
    }
    const subject = { label: a.label, id: a.id, name: a.name };
    const key = JSON.stringify([a.label, a.id, opts.mode, opts.depth, [...opts.domains].sort()]);
    const graph = ctx.graph;
    const r = await blastCache<EngineBlastRadius>(graph).get(graph, key, () => blastRadius(graph, subject, opts));
    return blastRadiusOf(r);
  }

  @Authorized(ROLE_VIEWER)
  @FieldResolver(() => Gaps, { description: 'Granted but unused, and done but not granted or declared (`reachgraph gaps`), with the evidence window and completeness.', complexity: COST_GAPS })
  async gaps(@Root() a: Agent, @Ctx() ctx: ApiContext, @Arg('since', () => String, { nullable: true, description: 'An ISO date/time, or a duration back from now: 30d, 12h, 90m.' }) since: string | null): Promise<Gaps> {
    const { gaps, parseSince } = await import('../risk/run.js');
    let from: string | undefined;
    try {
      from = parseSince(since ?? undefined);
    } catch (e) {
      throw new InputError(`gaps(since): ${(e as Error).message.replace(/^--since: /, '')}`);
    }
    const r = await gaps(ctx.graph, { label: a.label, id: a.id, name: a.name }, { since: from });
    return {
      window: r.window,
      completeness: r.completeness as unknown as Record<string, unknown>,
      grantedUnused: r.grantedUnused.map((g) => ({ domain: g.domain, subject: g.subject, grant: g.grant, status: g.status, reason: g.reason })),
      doneUndeclared: r.doneUndeclared.map((u) => ({ domain: u.domain, subject: u.subject, observed: u.observed, detail: u.detail, count: u.count, lastSeen: u.lastSeen })),
    };
  }
}

/** The API shape of the engine's blast radius, cut at MAX_BLAST_TARGETS. */
export function blastRadiusOf(r: EngineBlastRadius): BlastRadius {
  const watched = r.anchors.some((x) => x.label === 'Workload');
  return {
    targets: r.targets.slice(0, MAX_BLAST_TARGETS).map((t) => ({ id: t.target, label: t.label, kind: t.kind, reason: t.reason, score: t.score, observed: t.observed, path: t.path.map(hopOf) })),
    complete: r.targets.length <= MAX_BLAST_TARGETS,
    coverage: r.mode !== 'declared' && !watched ? 'no sensor Workload joins this subject: nothing observed can appear, the answer is declared access only' : null,
    anchors: r.anchors.map((x) => ({ id: x.id, label: x.label })),
  };
}
