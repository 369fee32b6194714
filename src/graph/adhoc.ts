/**
 * The read-only console for analysts (`reachgraph cypher`, and the API's console when it comes):
 * a query reads the graph and nothing else. Four locks, all decided by Neo4j itself rather than by
 * patterns on the query text:
 *  1. EXPLAIN's query type must be read-only ("r"; "s" only for allow-listed DBMS procedures such
 *     as dbms.components, which Neo4j classes as "s" although they change nothing);
 *  2. the plan must hold no LoadCSV (Neo4j classes LOAD CSV as a read, yet it reads files and
 *     fetches URLs), no administration operator (SHOW …, TERMINATE …) and no procedure call outside
 *     CONSOLE_PROCEDURES, nor a user-defined function the server has installed (plugins);
 *  3. it runs in a READ transaction, which the server refuses to write in;
 *  4. with a transaction timeout and a row cap.
 * Values go in as parameters.
 */
import neo4j from 'neo4j-driver';
import { InputError, QueryRefusedError, QueryTimeoutError } from '../errors.js';
import type { Graph, Params, Row } from './driver.js';
import { toPlain } from './plain.js';

/** Procedures the console may call: schema introspection and the server version, nothing that reads outside the graph or changes state. */
export const CONSOLE_PROCEDURES: readonly string[] = [
  'db.labels',
  'db.relationshipTypes',
  'db.propertyKeys',
  'db.schema.visualization',
  'db.schema.nodeTypeProperties',
  'db.schema.relTypeProperties',
  'dbms.components',
];

export interface ConsoleLimits {
  /** Neo4j stops the transaction after this long. */
  timeoutMs: number;
  /** Rows beyond this are not fetched; the result says it was truncated. */
  maxRows: number;
}

export const DEFAULT_CONSOLE_LIMITS: ConsoleLimits = { timeoutMs: 30_000, maxRows: 10_000 };

export interface ConsoleResult {
  /** The result's column names, in order (also when there are no rows). */
  columns: string[];
  rows: Row[];
  /** True when the query had more rows than `maxRows`. */
  truncated: boolean;
}

/** The part of an EXPLAIN plan the judge reads (neo4j-driver's Plan, structurally). */
export interface PlanNode {
  operatorType: string;
  arguments: Record<string, unknown>;
  children: PlanNode[];
}

export type ConsoleVerdict = { allowed: true } | { allowed: false; reason: string };

/** Operators a DBMS-mode ("s") procedure query may contain besides the call itself: shaping its rows, nothing else. */
const ROW_SHAPING = new Set(['ProduceResults', 'ProcedureCall', 'Projection', 'Filter', 'Limit', 'Skip', 'Sort', 'Top', 'Distinct', 'EagerAggregation', 'OrderedAggregation', 'Unwind', 'Argument', 'Eager']);

function operators(plan: PlanNode): PlanNode[] {
  const out: PlanNode[] = [];
  const walk = (p: PlanNode) => {
    out.push(p);
    for (const c of p.children ?? []) walk(c);
  };
  walk(plan);
  return out;
}

/** `ShowTransactions@neo4j` → `ShowTransactions`. */
const opName = (p: PlanNode) => p.operatorType.split('@')[0]!;
/** `ShowTransactions` → `SHOW TRANSACTIONS`, as the user wrote it. */
const asCommand = (op: string) => op.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
const details = (p: PlanNode) => String(p.arguments?.Details ?? '');
/** A ProcedureCall's details read `db.labels() :: (label :: STRING)`: the name is what comes before "(". */
const procedureOf = (p: PlanNode) => details(p).split('(')[0]!.trim();

/**
 * Judges a query from Neo4j's own EXPLAIN: its query type and its plan. Pure, so the CLI and the
 * API's console decide alike. `userFunctions` are the server's non-built-in functions (plugins):
 * none may be called, since a plugin function can read files or URLs.
 */
export function judgeConsolePlan(queryType: string, plan: PlanNode | false | undefined, userFunctions: readonly string[] = []): ConsoleVerdict {
  const ops = plan ? operators(plan) : [];
  for (const p of ops) {
    const op = opName(p);
    if (op === 'LoadCSV') return { allowed: false, reason: 'LOAD CSV reads files and fetches URLs outside the graph' };
    if (/^(Show|Terminate)[A-Z]/.test(op)) return { allowed: false, reason: `${asCommand(op)} is an administration command` };
    if (op === 'AdministrationCommand' || p.operatorType.endsWith('@system')) return { allowed: false, reason: 'administration commands do not run here' };
    if (op === 'ProcedureCall') {
      const name = procedureOf(p);
      if (!CONSOLE_PROCEDURES.includes(name)) return { allowed: false, reason: `procedure ${name || '(unknown)'} is not on the console's allow-list (${CONSOLE_PROCEDURES.join(', ')})` };
    }
    for (const f of userFunctions) {
      if (new RegExp(`(^|[^\\w.])${f.replace(/\./g, '\\.')}\\s*\\(`, 'i').test(details(p))) return { allowed: false, reason: `function ${f} is a plugin function, which the console does not call` };
    }
  }
  if (queryType === 'r') return { allowed: true };
  const procedureOnly = queryType === 's' && ops.some((p) => opName(p) === 'ProcedureCall') && ops.every((p) => ROW_SHAPING.has(opName(p)));
  if (procedureOnly) return { allowed: true };
  return { allowed: false, reason: `only read-only queries run here (Neo4j classifies this one as "${queryType}", which writes or changes the schema)` };
}

/** The server's plugin (non-built-in) functions, asked once per graph. */
const pluginFunctions = new WeakMap<Graph, Promise<string[]>>();
function userFunctionsOf(graph: Graph): Promise<string[]> {
  let p = pluginFunctions.get(graph);
  if (!p) {
    p = graph.read('queries/list-plugin-functions').then((rows) => rows.map((r) => String(r.name)));
    pluginFunctions.set(graph, p);
    p.catch(() => pluginFunctions.delete(graph));
  }
  return p;
}

const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0];

/** Refuses, with a QueryRefusedError naming the reason, a query that would reach outside the graph; InputError when it does not parse. */
export async function checkConsoleQuery(graph: Graph, query: string, params: Params): Promise<void> {
  if (query.trim() === '') throw new InputError('QUERY: empty');
  const session = graph.driver.session({ database: graph.database, defaultAccessMode: neo4j.session.READ });
  let summary: { queryType: string; plan: PlanNode | false };
  try {
    const res = await session.executeRead((tx) => tx.run('EXPLAIN ' + query, params), { metadata: { app: 'reachgraph', query: 'adhoc-explain' } });
    summary = { queryType: res.summary.queryType, plan: res.summary.plan as PlanNode | false };
  } catch (e) {
    throw new InputError(`QUERY: ${firstLine(e)}`, { cause: e });
  } finally {
    await session.close();
  }
  const verdict = judgeConsolePlan(summary.queryType, summary.plan, await userFunctionsOf(graph));
  if (!verdict.allowed) throw new QueryRefusedError(`QUERY: refused: ${verdict.reason}; the console reads only the graph`);
}

/** Checks, then runs a console query in a READ transaction with a timeout, fetching at most `maxRows` rows. */
export async function runConsoleQuery(graph: Graph, query: string, params: Params = {}, limits: Partial<ConsoleLimits> = {}): Promise<ConsoleResult> {
  const { timeoutMs, maxRows } = { ...DEFAULT_CONSOLE_LIMITS, ...limits };
  await checkConsoleQuery(graph, query, params);
  const session = graph.driver.session({ database: graph.database, defaultAccessMode: neo4j.session.READ, fetchSize: Math.min(1000, maxRows + 1) });
  const tx = session.beginTransaction({ timeout: timeoutMs, metadata: { app: 'reachgraph', query: 'adhoc' } });
  try {
    const rows: Row[] = [];
    let truncated = false;
    // Streamed so that a huge result stops at the cap instead of filling memory first.
    const result = tx.run(query, params);
    const columns = (await result.keys()) as string[];
    for await (const record of result) {
      if (rows.length === maxRows) {
        truncated = true;
        break;
      }
      rows.push(toPlain(record.toObject()) as Row);
    }
    return { columns, rows, truncated };
  } catch (e) {
    const code = String((e as { code?: string }).code ?? '');
    if (/TransactionTimedOut|Transaction\.Terminated/.test(code)) throw new QueryTimeoutError(`QUERY: stopped by Neo4j at the console's time limit of ${timeoutMs / 1000}s (${code})`, { cause: e });
    throw new InputError(`QUERY: ${firstLine(e)}`, { cause: e });
  } finally {
    // A console query never writes: rolling back is the way to end it, also after an early stop at the cap.
    await tx.rollback().catch(() => undefined);
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
