// The built CLI (dist/, built by `npm test`'s pretest) against the test Neo4j.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { useTestEnv } from '../helpers/env.js';
import { uniqueScope } from '../helpers/graph.js';

function cli(...args: string[]) {
  return cliWithInput(undefined, ...args);
}

/** The CLI with `input` on its standard input (a pipe). */
function cliWithInput(input: string | undefined, ...args: string[]) {
  useTestEnv();
  const r = spawnSync(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js'), ...args], { encoding: 'utf8', input, env: { ...process.env, REACHGRAPH_LOG_LEVEL: "warn" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('reachgraph CLI', () => {
  test('given a write query, then `cypher` refuses it and the graph is unchanged', () => {
    const scope = uniqueScope('cli-w');
    const r = cli('cypher', "CREATE (n:AIAgent {id: $id}) RETURN n", '--param', `id=${scope}`);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/refused: only read-only queries/);
    const check = cli('cypher', 'MATCH (n:AIAgent {id: $id}) RETURN count(n) AS c', '--param', `id=${scope}`, '--format', 'json');
    expect(check.code).toBe(0);
    expect(JSON.parse(check.out)).toEqual([{ c: 0 }]);
  });

  test('given DETACH DELETE text as a parameter, then it is returned as data', () => {
    const evil = "x'}) MATCH (m) DETACH DELETE m //";
    const r = cli('cypher', 'RETURN $q AS q', '--param', `q=${evil}`, '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([{ q: evil }]);
  });

  test('given LOAD CSV of /etc/passwd or SHOW TRANSACTIONS, then `cypher` refuses it with exit 2 and prints no file content (issue 8, finding 6)', () => {
    const load = cli('cypher', "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line");
    expect(load.code).toBe(2);
    expect(load.err).toMatch(/refused: LOAD CSV reads files and fetches URLs outside the graph/);
    expect(load.out).not.toMatch(/root:/);
    const show = cli('cypher', 'SHOW TRANSACTIONS');
    expect(show.code).toBe(2);
    expect(show.err).toMatch(/SHOW TRANSACTIONS is an administration command/);
  });

  test('given --max-rows, then `cypher` prints that many rows and says the rest were cut', () => {
    const r = cli('cypher', 'UNWIND range(1, 50) AS x RETURN x', '--max-rows', '5', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([1, 2, 3, 4, 5].map((x) => ({ x })));
    expect(r.err).toMatch(/only the first 5 rows are shown/);
  });

  test('given a file, then `ingest` loads it and `cypher --format table` shows it', () => {
    const scope = uniqueScope('cli-i');
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rg-cli-')), 'estate.jsonl');
    fs.writeFileSync(
      f,
      [
        { kind: 'sync', source: 'clitest', scope },
        { kind: 'node', label: 'AIAgent', id: `${scope}-agent`, props: { name: 'cli agent' } },
        { kind: 'rel', type: 'MAY_USE_TOOL', from: { label: 'AIAgent', id: `${scope}-agent` }, to: { label: 'MCPTool', id: `${scope}-tool` } },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n'),
    );
    const r = cli('ingest', f);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ status: 'succeeded', nodes: 1, rels: 1, source: 'clitest', scope });
    const t = cli('cypher', 'MATCH (a:AIAgent {id: $id})-[:MAY_USE_TOOL]->(t) RETURN a.name AS name, t.id AS tool', '--param', `id=${scope}-agent`);
    expect(t.code).toBe(0);
    expect(t.out).toContain('cli agent');
    expect(t.out).toContain('(1 row)');
  });

  test('given a file ingested, when the same content is piped through /dev/stdin or -, then each run equals the file ingest and removes nothing', () => {
    const scope = uniqueScope('cli-pipe');
    const lines = [
      { kind: 'sync', source: 'clitest', scope },
      ...Array.from({ length: 30 }, (_, i) => ({ kind: 'node', label: 'AIAgent', id: `${scope}-a${i}` })),
      ...Array.from({ length: 29 }, (_, i) => ({ kind: 'rel', type: 'MAY_ASSUME', from: { label: 'AIAgent', id: `${scope}-a${i}` }, to: { label: 'AIAgent', id: `${scope}-a${i + 1}` } })),
    ];
    const text = lines.map((x) => JSON.stringify(x)).join('\n') + '\n';
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rg-cli-')), 'pipe.jsonl');
    fs.writeFileSync(f, text);
    const expected = { status: 'succeeded', source: 'clitest', scope, nodes: 30, rels: 29, removedNodes: 0, removedRels: 0 };
    const fromFile = cli('ingest', f);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.out)).toMatchObject(expected);
    for (const arg of ['/dev/stdin', '-']) {
      const piped = cliWithInput(text, 'ingest', arg);
      expect(piped.code).toBe(0);
      expect(JSON.parse(piped.out)).toMatchObject(expected);
    }
    // The shell's pipe and process substitution, as in the issue: `cat f | reachgraph ingest /dev/stdin`, `<(cat f)`.
    const main = path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js');
    for (const line of [`cat "$F" | "$NODE" "$MAIN" ingest /dev/stdin`, `"$NODE" "$MAIN" ingest <(cat "$F")`]) {
      const r = spawnSync('bash', ['-c', line], { encoding: 'utf8', env: { ...process.env, F: f, NODE: process.execPath, MAIN: main, REACHGRAPH_LOG_LEVEL: 'warn' } });
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject(expected);
    }
    const check = cli('cypher', 'MATCH (n:AIAgent) WHERE n.scope = $scope OPTIONAL MATCH (n)-[r:MAY_ASSUME]->() RETURN count(DISTINCT n) AS nodes, count(r) AS rels', '--param', `scope=${scope}`, '--format', 'json');
    expect(JSON.parse(check.out)).toEqual([{ nodes: 30, rels: 29 }]);
    // An empty pipe is refused rather than emptying the scope.
    const empty = cliWithInput('', 'ingest', '/dev/stdin', '--source', 'clitest', '--scope', scope);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('/dev/stdin: no node or relationship records; a replace-mode sync of an empty input would remove everything');
    const after = cli('cypher', 'MATCH (n:AIAgent) WHERE n.scope = $scope RETURN count(n) AS nodes', '--param', `scope=${scope}`, '--format', 'json');
    expect(JSON.parse(after.out)).toEqual([{ nodes: 30 }]);
  });

  test('given a malformed line, then `ingest` exits non-zero naming file, line and field', () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rg-cli-')), 'bad.jsonl');
    fs.writeFileSync(f, '{"kind":"node","label":"AIAgent","id":"ok"}\n{"kind":"node","label":"AIAgent","id":""}\n');
    const r = cli('ingest', f);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${f}:2: field \`id\``);
  });
});
