// The built CLI (dist/, built by `npm test`'s pretest) against the test Neo4j.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { useTestEnv } from '../helpers/env.js';
import { uniqueScope } from '../helpers/graph.js';

function cli(...args: string[]) {
  useTestEnv();
  const r = spawnSync(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js'), ...args], { encoding: 'utf8', env: { ...process.env, REACHGRAPH_LOG_LEVEL: "warn" } });
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

  test('given a malformed line, then `ingest` exits non-zero naming file, line and field', () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rg-cli-')), 'bad.jsonl');
    fs.writeFileSync(f, '{"kind":"node","label":"AIAgent","id":"ok"}\n{"kind":"node","label":"AIAgent","id":""}\n');
    const r = cli('ingest', f);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${f}:2: field \`id\``);
  });
});
