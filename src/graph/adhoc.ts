/**
 * Read-only ad-hoc Cypher for analysts (`reachgraph cypher`). Two locks: Neo4j's planner must
 * classify the query as read-only (EXPLAIN's query type "r"), and it then runs in a READ
 * transaction, which the server itself refuses to write in. Values go in as parameters.
 */
import neo4j from 'neo4j-driver';
import { InputError } from '../errors.js';
import type { Graph, Params, Row } from './driver.js';
import { rowsOf } from './plain.js';

export async function runReadOnly(graph: Graph, query: string, params: Params): Promise<Row[]> {
  if (query.trim() === '') throw new InputError('QUERY: empty');
  const session = graph.driver.session({ database: graph.database, defaultAccessMode: neo4j.session.READ });
  try {
    let queryType: string;
    try {
      const explain = 'EXPLAIN ' + query;
      const plan = await session.executeRead((tx) => tx.run(explain, params), { metadata: { app: 'reachgraph', query: 'adhoc-explain' } });
      queryType = plan.summary.queryType;
    } catch (e) {
      throw new InputError(`QUERY: ${(e as Error).message.split('\n')[0]}`, { cause: e });
    }
    if (queryType !== 'r') throw new InputError(`QUERY: refused: only read-only queries run here (Neo4j classifies this one as "${queryType}", which writes or changes the schema)`);
    try {
      const res = await session.executeRead((tx) => tx.run(query, params), { metadata: { app: 'reachgraph', query: 'adhoc' } });
      return rowsOf(res);
    } catch (e) {
      throw new InputError(`QUERY: ${(e as Error).message.split('\n')[0]}`, { cause: e });
    }
  } finally {
    await session.close();
  }
}

/** `k=v` → [k, v]; v is parsed as JSON when it is valid JSON (numbers, booleans, lists), else kept as text. */
export function parseParam(kv: string): [string, unknown] {
  const i = kv.indexOf('=');
  if (i <= 0) throw new InputError(`--param "${kv}": expected NAME=VALUE`);
  const k = kv.slice(0, i);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new InputError(`--param "${kv}": "${k}" is not a valid parameter name`);
  const raw = kv.slice(i + 1);
  try {
    return [k, JSON.parse(raw)];
  } catch {
    return [k, raw];
  }
}
