// The read-only console (`reachgraph cypher`, the API's console later) against the real test Neo4j:
// it reads the graph and nothing else (issue 8, finding 6).
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { apiToken } from '../../src/api/auth.js';
import { loadConfig } from '../../src/config.js';
import { InputError, QueryRefusedError, QueryTimeoutError } from '../../src/errors.js';
import { runConsoleQuery } from '../../src/graph/adhoc.js';
import type { Graph } from '../../src/graph/driver.js';
import { testGraph } from '../helpers/graph.js';

let graph: Graph;
let web: http.Server;
let webUrl: string;
let webHits = 0;

beforeAll(async () => {
  graph = await testGraph();
  // A real HTTP server on loopback: any request it gets is a request Neo4j was made to send.
  web = http.createServer((_req, res) => {
    webHits++;
    res.end('a,b\n1,2\n');
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}/data.csv`;
});
afterAll(async () => {
  await graph.close();
  await new Promise((r) => web.close(r));
});

async function refusal(query: string, params: Record<string, unknown> = {}): Promise<Error> {
  try {
    await runConsoleQuery(graph, query, params);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`expected the console to refuse: ${query}`);
}

describe('read-only console', () => {
  test('given LOAD CSV of /etc/passwd, then it is refused as reading outside the graph', async () => {
    const e = await refusal("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line");
    expect(e).toBeInstanceOf(QueryRefusedError);
    expect((e as QueryRefusedError).code).toBe('QUERY_REFUSED');
    expect(e.message).toMatch(/refused: LOAD CSV reads files and fetches URLs outside the graph/);
  });

  test('given LOAD CSV of the Neo4j password file or the API token file (by parameter too), then both are refused', async () => {
    const cfg = loadConfig();
    const files = [path.join(cfg.stateDir, 'neo4j', 'password'), apiToken(cfg).file ?? path.join(cfg.stateDir, 'api-token')];
    for (const f of files) {
      const direct = await refusal(`LOAD CSV FROM 'file://${f}' AS line RETURN line`);
      expect(direct).toBeInstanceOf(QueryRefusedError);
      const byParam = await refusal('CALL { LOAD CSV FROM $url AS line RETURN line } RETURN line', { url: `file://${f}` });
      expect(byParam).toBeInstanceOf(QueryRefusedError);
      expect(byParam.message).toMatch(/LOAD CSV/);
    }
  });

  test('given LOAD CSV of an http URL, then it is refused and no request leaves Neo4j', async () => {
    const before = webHits;
    const e = await refusal(`LOAD CSV FROM '${webUrl}' AS line RETURN line`);
    expect(e).toBeInstanceOf(QueryRefusedError);
    expect(webHits).toBe(before);
  });

  test('given the local Neo4j itself, then it refuses file URLs and blocks URL loads even for a client that skips the console check', async () => {
    if (loadConfig().neo4j.external) return; // the settings are ours only on the local server (docs/neo4j-hardening.md for others)
    const before = webHits;
    const session = graph.driver.session({ database: graph.database });
    try {
      await expect(session.run("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line")).rejects.toThrow(/file URLs|not allowed|Cannot load from URL/i);
      await expect(session.run('LOAD CSV FROM $url AS line RETURN line', { url: webUrl })).rejects.toThrow(/blocked|not allowed|Cannot load from URL/i);
    } finally {
      await session.close();
    }
    expect(webHits).toBe(before);
  });

  test.each([
    ["TERMINATE TRANSACTIONS 'neo4j-transaction-1'", /TERMINATE TRANSACTIONS is an administration command/],
    ['SHOW TRANSACTIONS', /SHOW TRANSACTIONS is an administration command/],
    ['SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery', /SHOW TRANSACTIONS is an administration command/],
    ['SHOW SETTINGS', /SHOW SETTINGS is an administration command/],
    ['SHOW USERS', /administration commands do not run here|only read-only queries/],
    ["CALL db.stats.clear('QUERIES')", /procedure db\.stats\.clear is not on the console's allow-list/],
    ["CALL db.stats.collect('QUERIES')", /procedure db\.stats\.collect is not on the console's allow-list/],
    ['CALL dbms.listConfig()', /procedure dbms\.listConfig is not on the console's allow-list/],
  ])('given %s, then it is refused with a clear message', async (query, message) => {
    const e = await refusal(query);
    expect(e).toBeInstanceOf(QueryRefusedError);
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/the console reads only the graph/);
  });

  test('given CALL db.stats.clear() without its argument, then Neo4j rejects it before it runs and the console names the query', async () => {
    const e = await refusal('CALL db.stats.clear()');
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/^QUERY: .*argument/);
  });

  test('given a write, then it is still refused as not read-only', async () => {
    const e = await refusal('CREATE (n:AIAgent {id: $id}) RETURN n', { id: 'console-write' });
    expect(e).toBeInstanceOf(QueryRefusedError);
    expect(e.message).toMatch(/refused: only read-only queries run here/);
  });

  test('given a normal read and the allow-listed procedures, then they run', async () => {
    const r = await runConsoleQuery(graph, 'MATCH (v:SchemaVersion) RETURN count(v) AS c, $x AS x', { x: 'y' });
    expect(r).toEqual({ columns: ['c', 'x'], rows: [{ c: 1, x: 'y' }], truncated: false });
    const labels = await runConsoleQuery(graph, 'CALL db.labels() YIELD label RETURN label');
    expect(labels.rows.map((row) => row.label)).toContain('SchemaVersion');
    const components = await runConsoleQuery(graph, 'CALL dbms.components() YIELD versions RETURN versions[0] AS v');
    expect(components.rows[0]?.v).toMatch(/^5\./);
  });

  test('given more rows than the cap, then the first maxRows come back marked truncated', async () => {
    const capped = await runConsoleQuery(graph, 'UNWIND range(1, 5000) AS x RETURN x', {}, { maxRows: 10 });
    expect(capped.rows).toEqual(Array.from({ length: 10 }, (_, i) => ({ x: i + 1 })));
    expect(capped.truncated).toBe(true);
    const exact = await runConsoleQuery(graph, 'UNWIND range(1, 10) AS x RETURN x', {}, { maxRows: 10 });
    expect(exact.truncated).toBe(false);
  });

  test('given a runaway read, then Neo4j stops it at the console timeout with a timeout error', async () => {
    const e = await (async () => {
      try {
        await runConsoleQuery(graph, 'UNWIND range(1, 100000000000) AS x WITH x WHERE x < 0 RETURN count(x) AS c', {}, { timeoutMs: 1000 });
      } catch (err) {
        return err as Error;
      }
      throw new Error('the runaway read finished');
    })();
    expect(e).toBeInstanceOf(QueryTimeoutError);
    expect((e as QueryTimeoutError).code).toBe('QUERY_TIMEOUT');
    expect(e.message).toMatch(/time limit of 1s/);
  });
});
