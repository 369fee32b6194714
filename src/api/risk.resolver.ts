/**
 * Attack paths through the API (`reachgraph paths`), and the mapping of the risk engine's evidence hops
 * that every risk answer shares.
 */
import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { InputError } from '../errors.js';
import type { Hop as EngineHop } from '../risk/blast.js';
import { ROLE_VIEWER } from './auth.js';
import { once, type ApiContext } from './context.js';
import { AttackPathResult, type Hop } from './risk.type.js';

/** Cost of an attack-path search: entry points, crown jewels, then k-shortest paths between all of them. */
export const COST_ATTACK_PATHS = 200;

/** An engine hop as the API's Hop: DID_* is observed, everything else (grants and joins) declared. */
export function hopOf(h: EngineHop): Hop {
  const observed = h.type.startsWith('DID_');
  const props = h.props && Object.keys(h.props).length > 0 ? h.props : null;
  return { type: h.type, from: h.from, to: h.to, declared: !observed, observed, props };
}

/** A page size argument: an integer from 1 to max, else BAD_INPUT naming the argument. */
export function checkFirst(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new InputError(`${name}: must be an integer from 1 to ${max}, got ${v}`);
}

@Resolver(() => AttackPathResult)
export class RiskResolver {
  @Authorized(ROLE_VIEWER)
  @Query(() => AttackPathResult, {
    description: 'The k shortest attack paths from entry points (or `from`) to crown jewels (or `to`), over every domain, declared and observed (`reachgraph paths`).',
    complexity: COST_ATTACK_PATHS,
  })
  async attackPaths(
    @Ctx() ctx: ApiContext,
    @Arg('from', () => String, { nullable: true, description: 'A node id or subject; entry points when omitted.' }) from: string | null | undefined,
    @Arg('to', () => String, { nullable: true, description: 'A node id or subject; every crown jewel when omitted.' }) to: string | null | undefined,
    @Arg('k', () => Int, { defaultValue: 3 }) k: number,
    @Arg('maxHops', () => Int, { defaultValue: 8 }) maxHops: number,
  ): Promise<AttackPathResult> {
    const { attackPaths, MAX_DEPTH, MAX_K } = await import('../risk/run.js');
    checkFirst('k', k, MAX_K);
    checkFirst('maxHops', maxHops, MAX_DEPTH);
    for (const [name, v] of [['from', from], ['to', to]] as const) if (v != null && (v.trim() === '' || v.length > 2048)) throw new InputError(`${name}: a node id or subject of 1 to 2048 characters`);
    return once(ctx, `attackPaths\u0000${JSON.stringify([from ?? null, to ?? null, k, maxHops])}`, async () => {
      let r;
      try {
        r = await attackPaths(ctx.graph, { from: from ?? undefined, to: to ?? undefined, toCrownJewels: to == null, k, maxHops });
      } catch (e) {
        // The engine names the CLI's options; the API names its arguments.
        if (e instanceof InputError) throw new InputError(e.message.replace(/^NODE_ID "/, 'node "').replace(/^--k/, 'k').replace(/^--max-hops/, 'maxHops'));
        throw e;
      }
      return {
        paths: r.paths.map((p) => ({ entry: p.entry, entryReason: p.entryReason, target: p.target, targetLabel: p.targetLabel, targetReason: p.targetReason, length: p.length, observed: p.observed, score: p.score, path: p.path.map(hopOf) })),
        entries: r.entries.map((e) => ({ id: e.id, label: e.label })),
        targets: r.targets.map((t) => ({ id: t.id, label: t.label })),
      };
    });
  }
}
