// `reachgraph neo4j` as a user meets it: a clear message when Java or Maven is missing, and an
// idempotent start against the test Neo4j the global setup already runs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { useTestEnv } from '../helpers/env.js';

const main = () => path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js');

/** A PATH holding node and, optionally, the real java: nothing else. */
function pathWith(opts: { java: boolean }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-path-'));
  fs.symlinkSync(process.execPath, path.join(dir, 'node'));
  if (opts.java) fs.symlinkSync(spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).stdout.trim(), path.join(dir, 'java'));
  return dir;
}

function startWith(PATH: string) {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-state-'));
  return spawnSync(process.execPath, [main(), 'neo4j', 'start'], { encoding: 'utf8', env: { PATH, HOME: process.env.HOME, REACHGRAPH_STATE_DIR: state, REACHGRAPH_NEO4J_PORT: '7698', REACHGRAPH_LOG_LEVEL: 'warn' } });
}

test('given no Java on the PATH, then `neo4j start` fails naming Java and the way out', () => {
  const r = startWith(pathWith({ java: false }));
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/Java 17 or newer is required to run the local Neo4j/);
  expect(r.stderr).toMatch(/NEO4J_URI/);
});

test('given Java but no Maven on the PATH, then `neo4j start` fails naming Maven', () => {
  const r = startWith(pathWith({ java: true }));
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/Maven is required to run the local Neo4j/);
});

test('given the local Neo4j runs, then `neo4j start` again is a no-op that reports it, and `status` says running', () => {
  useTestEnv();
  const again = spawnSync(process.execPath, [main(), 'neo4j', 'start'], { encoding: 'utf8', env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn' } });
  expect(again.status).toBe(0);
  expect(JSON.parse(again.stdout)).toMatchObject({ running: true, version: expect.stringMatching(/^5\.26\./) });
  const status = spawnSync(process.execPath, [main(), 'neo4j', 'status'], { encoding: 'utf8', env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn' } });
  expect(status.status).toBe(0);
  expect(JSON.parse(status.stdout)).toMatchObject({ running: true, uri: `bolt://127.0.0.1:${process.env.REACHGRAPH_NEO4J_PORT}` });
  // The generated password is readable by its owner only.
  expect(fs.statSync(path.join(process.env.REACHGRAPH_STATE_DIR!, 'neo4j', 'password')).mode & 0o777).toBe(0o600);
});
