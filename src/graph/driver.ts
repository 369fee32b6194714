/**
 * The one Neo4j driver. Commands reach the graph through `Graph`, which runs named queries from
 * the Cypher registry in managed transactions (the driver retries transient errors with
 * exponential backoff) tagged with the query's name, so Neo4j's query log shows where a query came from.
 */
import dc from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import neo4j, { type Driver, type ManagedTransaction, type QueryResult } from 'neo4j-driver';
import { loadConfig, type Config } from '../config.js';
import { GraphError, QueryTimeoutError } from '../errors.js';
import { cypher, type TemplateVars } from './cypher.js';
import { localPassword, localUri, startLocalNeo4j } from './local-neo4j.js';
import { rowsOf, toPlain } from './plain.js';

export type Params = Record<string, unknown>;
export type Row = Record<string, unknown>;

export interface WriteResult {
  rows: Row[];
  counters: Record<string, number>;
}

/** How a Graph runs its statements; the API sets a read timeout (src/api/server.ts), commands do not. */
export interface GraphOptions {
  /** Server-side timeout of each read transaction, in ms: Neo4j stops a read that runs longer. */
  readTimeoutMs?: number | undefined;
}

export class Graph {
  constructor(
    readonly driver: Driver,
    readonly database: string | undefined,
    readonly options: GraphOptions = {},
  ) {}

  /**
   * This graph with other options: a view, not a copy, so the driver and its pool are shared, and a
   * subclass's overrides and state (a test's counting graph) stay in force.
   */
  withOptions(o: GraphOptions): Graph {
    const options = { ...this.options, ...o };
    return new Proxy(this, { get: (target, prop, receiver) => (prop === 'options' ? options : Reflect.get(target, prop, receiver)) });
  }

  /** Transaction config of a read: its tag for the query log and the read timeout, if any. */
  private readConfig(tag: string): { metadata: Record<string, string>; timeout?: number } {
    const t = this.options.readTimeoutMs;
    return { metadata: { app: 'reachgraph', query: tag }, ...(t !== undefined ? { timeout: t } : {}) };
  }

  /** Runs a named read query; returns rows with Neo4j values turned into plain JavaScript. */
  async read(name: string, params: Params = {}, vars?: TemplateVars): Promise<Row[]> {
    return this.readText(cypher(name, vars), params, name);
  }

  /** Runs one template query once per set of model names, all in one read transaction. */
  async readEach(name: string, params: Params, varsList: TemplateVars[]): Promise<Row[][]> {
    return this.inReadTx(name, {}, async (tx) => {
      const out: Row[][] = [];
      for (const vars of varsList) out.push(await runNamed(tx, name, params, vars));
      return out;
    });
  }

  /**
   * Runs a named read query and hands its rows to `consume` as they arrive, never the whole result:
   * the driver pulls `fetchSize` records at a time and pauses the server while `consume` is behind
   * (its watermarks), so a result of any size streams through bounded memory. A retried transaction
   * calls `consume` again with the rows from the start: keep its state inside it.
   */
  async readStream<T>(name: string, params: Params, consume: (rows: AsyncIterable<Row>) => Promise<T>, vars?: TemplateVars, fetchSize = 1000): Promise<T> {
    return this.inReadTx(name, { fetchSize }, async (tx) => {
      const result = tx.run(cypher(name, vars), params);
      const rows = async function* () {
        for await (const r of result) yield toPlain(r.toObject()) as Row;
      };
      return consume(rows());
    });
  }

  /** Runs a query text in a read transaction (the Neo4j server refuses writes there). */
  async readText(text: string, params: Params, tag: string): Promise<Row[]> {
    return rowsOf(await this.inReadTx(tag, {}, (tx) => tx.run(text, params)));
  }

  /** One read transaction in its own session, tagged and bounded by the read timeout; errors wrapped with the tag. */
  private async inReadTx<T>(tag: string, session: { fetchSize?: number }, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const s = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ, ...session });
    try {
      return await s.executeRead(work, this.readConfig(tag));
    } catch (e) {
      throw wrap(e, tag);
    } finally {
      await s.close();
    }
  }

  /** Runs a named write query in its own transaction. */
  async write(name: string, params: Params = {}, vars?: TemplateVars): Promise<WriteResult> {
    return this.inWriteTx(name, (tx) => tx.run(cypher(name, vars), params)).then(summarize);
  }

  /** Runs several statements in one write transaction: all or nothing. */
  async inWriteTx<T>(tag: string, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite(work, { metadata: { app: 'reachgraph', query: tag } });
    } catch (e) {
      throw wrap(e, tag);
    } finally {
      await session.close();
    }
  }

  async serverVersion(): Promise<string> {
    const rows = await this.read('queries/server-version');
    return String(rows[0]?.version ?? 'unknown');
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}

/** Runs a named query from the Cypher registry inside the caller's transaction; plain rows back. */
export async function runNamed(tx: ManagedTransaction, name: string, params: Params, vars?: TemplateVars): Promise<Row[]> {
  return rowsOf(await tx.run(cypher(name, vars), params));
}

function summarize(res: QueryResult): WriteResult {
  const u = res.summary.counters.updates();
  return { rows: rowsOf(res), counters: { ...u } };
}

function wrap(e: unknown, tag: string): Error {
  if (e instanceof GraphError || e instanceof QueryTimeoutError) return e;
  const err = e as { code?: string; message?: string };
  // The read timeout (GraphOptions.readTimeoutMs) is the caller's limit, not a failing database.
  if (/TransactionTimedOut/.test(err.code ?? '')) return new QueryTimeoutError(`Neo4j stopped ${tag} at the read time limit (${err.code})`, { cause: e });
  return new GraphError(`Neo4j (${tag}): ${err.code ? err.code + ': ' : ''}${err.message ?? String(e)}`, { cause: e });
}

/** Where the graph is: NEO4J_URI when set, else the local Neo4j (started when `start` is true). */
export async function connectionFor(cfg: Config, opts: { start?: boolean } = {}): Promise<{ uri: string; username: string; password: string }> {
  if (cfg.neo4j.external) return { uri: cfg.neo4j.uri!, username: cfg.neo4j.username, password: cfg.neo4j.password! };
  if (opts.start) await startLocalNeo4j(cfg);
  return { uri: localUri(cfg), username: 'neo4j', password: localPassword(cfg) };
}

/**
 * TCP_NODELAY on every client socket this process opens, Bolt's included. The driver writes a message
 * in 1,400-byte chunks, one socket write each; with Nagle's algorithm on (Node's default for `net`),
 * the second chunk waits for the server to acknowledge the first, and Linux delays that ACK by about
 * 40 ms. So any query whose text and parameters pass 1,400 bytes (most files under cypher/, with their
 * header comments) took 40 ms more than its execution: measured on a 10,000-agent estate, a
 * 3 ms subject-anchors query answered in 50 ms. The driver has no option for it; Node announces each
 * new client socket on the `net.client.socket` diagnostics channel, the documented hook to configure it.
 * Request/response protocols want no delay anyway (Node's HTTP client sets it by default).
 */
function noDelay(message: unknown): void {
  (message as { socket?: Socket }).socket?.setNoDelay(true);
}
dc.subscribe('net.client.socket', noDelay);

/** Opens the graph the configuration names, verifying it answers. */
export async function openGraph(opts: { config?: Config; start?: boolean } = {}): Promise<Graph> {
  const cfg = opts.config ?? loadConfig();
  const c = await connectionFor(cfg, { start: opts.start ?? false });
  const driver = neo4j.driver(c.uri, neo4j.auth.basic(c.username, c.password), {
    maxTransactionRetryTime: 60_000,
    disableLosslessIntegers: false,
    userAgent: 'reachgraph/0.1',
  });
  try {
    await driver.verifyConnectivity({ database: cfg.neo4j.database });
  } catch (e) {
    await driver.close();
    const hint = cfg.neo4j.external ? 'check NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD' : 'start it with `reachgraph neo4j start` (or `npm start`)';
    throw new GraphError(`cannot reach Neo4j at ${c.uri}: ${(e as Error).message}; ${hint}`, { cause: e });
  }
  return new Graph(driver, cfg.neo4j.database);
}
