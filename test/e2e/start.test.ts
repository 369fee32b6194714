// The main job as a user runs it: `reachgraph start` (what `npm start` runs after building) loads the
// demo estate and answers GraphQL. It uses the test Neo4j (already started by global setup, so the
// idempotent start finds it) and a free API port.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { useTestEnv } from '../helpers/env.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

let child: ChildProcess | undefined;
afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
  }
});

test('given a fresh start, then the demo estate loads and { health { neo4j } } answers on /graphql', async () => {
  useTestEnv();
  const port = await freePort();
  const token = 'e2e-token-0123456789abcdef';
  let stderr = '';
  child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js'), 'start'], {
    env: { ...process.env, REACHGRAPH_API_PORT: String(port), REACHGRAPH_API_TOKEN: token, REACHGRAPH_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 240_000;
  while (!stderr.includes('reachgraph GraphQL API:')) {
    if (child.exitCode !== null) throw new Error(`start exited ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`start did not serve in time: ${stderr}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(stderr).toContain('demo estate: aibom: loaded');
  expect(stderr).not.toContain('FAILED');
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ health { neo4j } }' }) });
  expect(await res.json()).toEqual({ data: { health: { neo4j: expect.stringMatching(/^5\.26\.\d+$/) } } });
  const estate = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ estate { label count } }' }) });
  const labels = ((await estate.json()) as { data: { estate: { label: string; count: number }[] } }).data.estate;
  expect(labels.find((l) => l.label === 'AIAgent')?.count).toBeGreaterThanOrEqual(2);
  expect(labels.find((l) => l.label === 'MCPTool')?.count).toBeGreaterThanOrEqual(5);
}, 300_000);
