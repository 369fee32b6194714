/**
 * Baselines through the API: read one (viewer), lock or relearn one (admin). The behaviour engine
 * (src/behavior/store.ts) does the work; the API adds who did it (api/record-baseline-change). An
 * `agent` argument is whatever the behaviour commands accept (a sensor Workload id, an IAM ARN, an agent
 * name on one host) or an AIAgent id that runs as exactly one sensor Workload.
 */
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { BehaviorSubject } from '../behavior/store.js';
import { InputError } from '../errors.js';
import type { Graph } from '../graph/driver.js';
import { ROLE_ADMIN, ROLE_VIEWER } from './auth.js';
import { Baseline, baselineOf } from './baseline.type.js';
import type { ApiContext } from './context.js';
import { COST_NEO4J_READ } from './limits.js';

const store = () => import('../behavior/store.js');

/**
 * The behaviour subject `agent` names. An AIAgent id that runs as sensor Workloads stands for its one
 * Workload (whose baseline also holds the agent's MCP tool calls), and is an error listing them when
 * there are several; an AIAgent no sensor observes is its own subject (its tool calls only). Anything
 * else is what the behaviour commands accept.
 */
export async function behaviorSubjectOf(graph: Graph, agent: string): Promise<BehaviorSubject> {
  const { resolveBehaviorSubject } = await store();
  const row = (await graph.read('queries/api/agent-subjects', { agents: [agent] }))[0];
  const workloads = row ? (row.subjects as BehaviorSubject[]).filter((s) => s.label === 'Workload') : [];
  if (workloads.length === 1) return workloads[0]!;
  if (workloads.length > 1) throw new InputError(`agent "${agent}": the AIAgent runs as ${workloads.length} sensor Workloads, each with its own baseline; give one: ${workloads.map((w) => w.id).join(', ')}`);
  return resolveBehaviorSubject(graph, agent);
}

async function recordChange(ctx: ApiContext, subject: string, change: 'lock' | 'relearn'): Promise<Baseline> {
  const { getBaseline } = await store();
  const { baselineId } = await import('../behavior/baseline.js');
  await ctx.graph.write('queries/api/record-baseline-change', { id: baselineId(subject), by: ctx.principal?.name ?? 'unknown', change, now: new Date().toISOString() });
  const b = await getBaseline(ctx.graph, subject);
  // The engine wrote it a moment ago: gone now means someone deleted it in between.
  if (!b) throw new InputError(`agent "${subject}": the baseline disappeared while it was being changed`);
  return baselineOf(b);
}

@Resolver(() => Baseline)
export class BaselineResolver {
  @Authorized(ROLE_VIEWER)
  @Query(() => Baseline, { nullable: true, description: "A behaviour subject's baseline; null when none was learned. Unknown subjects are refused (BAD_INPUT).", complexity: COST_NEO4J_READ })
  async baseline(@Ctx() ctx: ApiContext, @Arg('agent', () => ID) agent: string): Promise<Baseline | null> {
    const s = await behaviorSubjectOf(ctx.graph, agent);
    const b = await (await store()).getBaseline(ctx.graph, s.id);
    return b ? baselineOf(b) : null;
  }

  @Authorized(ROLE_ADMIN)
  @Mutation(() => Baseline, { description: 'Locks a learned baseline: from now on observed edges outside it are drift. Records who did it.', complexity: COST_NEO4J_READ })
  async lockBaseline(@Ctx() ctx: ApiContext, @Arg('agent', () => ID) agent: string): Promise<Baseline> {
    const s = await behaviorSubjectOf(ctx.graph, agent);
    await (await store()).lock(ctx.graph, s.id);
    return recordChange(ctx, s.id, 'lock');
  }

  @Authorized(ROLE_ADMIN)
  @Mutation(() => Baseline, { description: 'After an accepted change: learns the baseline again over `window` (90s, 15m, 24h, 7d; default 24h) ending now, as the next version, and locks it. Records who did it.', complexity: COST_NEO4J_READ })
  async relearnBaseline(@Ctx() ctx: ApiContext, @Arg('agent', () => ID) agent: string, @Arg('window', () => String, { nullable: true }) window: string | null): Promise<Baseline> {
    const { parseDuration } = await import('../behavior/baseline.js');
    const windowMs = parseDuration(window ?? '24h', 'window');
    const s = await behaviorSubjectOf(ctx.graph, agent);
    await (await store()).relearn(ctx.graph, s.id, { windowMs });
    return recordChange(ctx, s.id, 'relearn');
  }
}
