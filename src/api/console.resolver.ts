/**
 * The analyst Cypher console over GraphQL. Every lock is the CLI console's (src/graph/adhoc.ts): Neo4j's
 * own EXPLAIN judged (query type read-only, no LOAD CSV, no administration, procedures only from an
 * allow-list, no plugin functions), then a READ transaction with a timeout and a row cap. The API's caps
 * are tighter than the CLI's, since a response is held in memory and serialized; a caller may lower them.
 */
import { JSONResolver } from 'graphql-scalars';
import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { InputError } from '../errors.js';
import { logger } from '../log.js';
import { ROLE_ANALYST } from './auth.js';
import type { ApiContext } from './context.js';
import { CypherResult } from './console.type.js';
import { COST_NEO4J_SCAN } from './limits.js';

/** The console's caps through the API: at most this many rows and this long a transaction. */
export const API_CONSOLE_LIMITS = { maxRows: 1000, timeoutMs: 10_000, maxQueryChars: 64 * 1024 } as const;

/** `params` must be a JSON object (parameter name → value); anything else is the caller's error. */
function paramsOf(params: unknown): Record<string, unknown> {
  if (params === null || params === undefined) return {};
  if (typeof params !== 'object' || Array.isArray(params)) throw new InputError(`params: must be a JSON object of parameter name → value, got ${Array.isArray(params) ? 'an array' : typeof params}`);
  return params as Record<string, unknown>;
}

function capOf(name: string, given: number | null | undefined, max: number): number {
  if (given === null || given === undefined) return max;
  if (!Number.isInteger(given) || given < 1 || given > max) throw new InputError(`${name}: an integer from 1 to ${max}, got ${given}`);
  return given;
}

@Resolver()
export class ConsoleResolver {
  @Authorized(ROLE_ANALYST)
  @Query(() => CypherResult, {
    description: `Runs a read-only Cypher query (analyst). Writes, LOAD CSV, administration commands and procedures outside the console's allow-list are refused (QUERY_REFUSED); Neo4j stops it after timeoutMs (QUERY_TIMEOUT, at most ${API_CONSOLE_LIMITS.timeoutMs}); at most maxRows rows (at most ${API_CONSOLE_LIMITS.maxRows}). Values go in \`params\`.`,
    complexity: COST_NEO4J_SCAN,
  })
  async cypher(
    @Ctx() ctx: ApiContext,
    @Arg('query', () => String) query: string,
    @Arg('params', () => JSONResolver, { nullable: true }) params: unknown,
    @Arg('maxRows', () => Int, { nullable: true }) maxRows: number | null,
    @Arg('timeoutMs', () => Int, { nullable: true }) timeoutMs: number | null,
  ): Promise<CypherResult> {
    if (query.length > API_CONSOLE_LIMITS.maxQueryChars) throw new InputError(`query: longer than ${API_CONSOLE_LIMITS.maxQueryChars} characters`);
    const limits = { maxRows: capOf('maxRows', maxRows, API_CONSOLE_LIMITS.maxRows), timeoutMs: capOf('timeoutMs', timeoutMs, API_CONSOLE_LIMITS.timeoutMs) };
    const values = paramsOf(params);
    const { runConsoleQuery } = await import('../graph/adhoc.js');
    // Who ran a console query, and how big it was; neither the text nor the values (they may be sensitive).
    logger.info({ principal: ctx.principal?.name, queryChars: query.length, params: Object.keys(values).length }, 'console query');
    return runConsoleQuery(ctx.graph, query, values, limits);
  }
}
