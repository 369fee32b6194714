/**
 * `reachgraph sensor run --api` with the real sensor on the real kernel (root; CI runs as root): the CLI
 * observes a demo agent's connect and sends its windows to a real API, which is stopped mid-run and
 * started again on the same port. Every window the sensor wrote reaches the graph once, through the spool.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiKey } from '../../src/api/keys.js';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/config.js';
import type { Graph } from '../../src/graph/driver.js';
import { applySchema } from '../../src/graph/schema.js';
import { projectRoot } from '../../src/paths.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';
import { sensorUnavailable } from '../helpers/setup-status.js';
import { agentBinary } from '../helpers/agent-bin.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const why = sensorUnavailable();
const maybe = why ? describe.skip : describe;
if (why) console.log(`test/native/sensor-remote.test.ts: skipped: ${why}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TOKEN = 'test-token-sensor-remote-0123456789';

maybe('sensor run --api with the real sensor', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await testGraph();
    await applySchema(graph);
  });
  afterAll(async () => graph?.close());

  test('given the API stopped and restarted during the run, then every window arrives once and the agent connect is in the graph', async () => {
    const host = uniqueScope('remote-e2e');
    const { agent, dir, bin } = agentBinary('rkrm');
    const keyFile = path.join(dir, 'ingest.key');
    fs.writeFileSync(keyFile, (await createApiKey(graph, { name: 'native sensor', role: 'ingest' })).key + '\n', { mode: 0o600 });
    const srv = net.createServer((s) => s.end());
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const target = (srv.address() as net.AddressInfo).port;
    const cfg = loadConfig();
    let api: RunningServer | undefined = await startApi(graph, { ...cfg, api: { ...cfg.api, port: 0, token: TOKEN } });
    const port = Number(new URL(api.url).port);
    try {
      const cli = spawn(
        process.execPath,
        [path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js'), 'sensor', 'run', '--api', api.url, '--api-key-file', keyFile, '--spool-dir', path.join(dir, 'spool'), '--host', host, '--agent', agent, '--probes', 'exec,net', '--window', '500ms', '--for', '9s'],
        { env: { ...process.env, REACHGRAPH_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      let err = '';
      cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
      cli.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((r) => cli.on('exit', r));
      await sleep(2500);
      await api.stop();
      api = undefined;
      // While the API is down the agent runs: its windows can only travel through the spool.
      const agentRun = spawn(bin, [path.join(here, 'fixtures', 'drift-agent.cjs'), String(target)], { stdio: 'ignore' });
      await new Promise((r) => agentRun.on('exit', r));
      await sleep(2000);
      api = await startApi(graph, { ...cfg, api: { ...cfg.api, port, token: TOKEN } });
      const code = await exited;
      expect({ code, err: code === 0 ? '' : err }).toEqual({ code: 0, err: '' });
      const summary = JSON.parse(out) as { remote: { sent: number; duplicates: number; retries: number; evicted: { batches: number }; pending: { batches: number } }; sensor: { windows: number } };
      expect(summary.remote.retries).toBeGreaterThan(0);
      expect(summary.remote.pending.batches).toBe(0);
      expect(summary.remote.evicted.batches).toBe(0);
      const [g] = await graph.readText(
        `OPTIONAL MATCH (c:Coverage {host: $host}) WITH count(c) AS windows
         OPTIONAL MATCH (b:IngestBatch {scope: $host}) WITH windows, count(b) AS batches
         OPTIONAL MATCH (:Workload {id: $w})-[r:DID_CONNECT]->(:NetEndpoint {id: $ep})
         RETURN windows, batches, sum(r.count) AS connects`,
        { host, w: `${host}/agent/${agent}`, ep: `127.0.0.1:${target}` },
        'test',
      );
      expect(Number(g!.windows)).toBe(summary.sensor.windows);
      expect(Number(g!.batches)).toBe(summary.remote.sent + summary.remote.duplicates);
      expect(Number(g!.connects)).toBeGreaterThanOrEqual(1);
    } finally {
      await api?.stop();
      srv.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
