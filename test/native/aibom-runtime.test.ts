/**
 * The runtime-derived AI-BOM with the real sensor on the real kernel (root; CI runs as root): a demo agent
 * process reads its model file, loads a framework package and starts MCP servers (the real
 * @modelcontextprotocol servers from npm) as child processes. The sensor records them into the real Neo4j,
 * the agent's declared AI-BOM comes from `collect aibom` over its project tree, and `aibom diff` classifies:
 * declared and seen is confirmed, seen only is undeclared, declared only is dormant.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentRuntimeDiff } from '../../src/collectors/aibom/agent-bom.js';
import { collectAibom } from '../../src/collectors/aibom/collect.js';
import type { Graph } from '../../src/graph/driver.js';
import { runSync } from '../../src/graph/ingest.js';
import { rel } from '../../src/graph/records.js';
import { projectRoot } from '../../src/paths.js';
import { runSensorIntoGraph } from '../../src/sensor/run.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';
import { useTestEnv } from '../helpers/env.js';
import { sensorUnavailable } from '../helpers/setup-status.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const why = sensorUnavailable();
const maybe = why ? describe.skip : describe;
if (why) console.log(`test/native/aibom-runtime.test.ts: skipped: ${why}`);

const MCP = path.join(projectRoot(), 'node_modules', '@modelcontextprotocol');
const FILESYSTEM = path.join(MCP, 'server-filesystem', 'dist', 'index.js');
const EVERYTHING = path.join(MCP, 'server-everything', 'dist', 'index.js');

function runAgent(bin: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [path.join(here, 'fixtures', 'ai-agent.cjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve((JSON.parse(out.trim()) as { pid: number }).pid) : reject(new Error(`agent exited ${code}: ${err}`))));
  });
}

maybe('runtime AI-BOM with the real sensor', () => {
  let graph: Graph;
  beforeAll(async () => {
    if (!fs.existsSync('/sys/kernel/tracing/events')) execFileSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing']);
    graph = await testGraph();
  });
  afterAll(async () => graph?.close());

  test('a model file opened, a framework loaded and MCP servers started are observed; aibom diff says confirmed, undeclared, dormant', async () => {
    // Given an agent project: a GGUF model, @langchain/core and the MCP SDK installed, openai declared but
    // never loaded, and one MCP server (filesystem) configured
    const host = uniqueScope('aibom-rt');
    const agent = `rkai${Math.random().toString(36).slice(2, 8)}`;
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rk-aibom-rt-'));
    const dir = path.join(root, agent);
    const work = path.join(root, 'work');
    fs.mkdirSync(path.join(dir, 'models'), { recursive: true });
    fs.mkdirSync(work);
    const model = path.join(dir, 'models', 'tiny-chat.gguf');
    fs.writeFileSync(model, Buffer.from('GGUF\x03\x00\x00\x00planted-weights'));
    // Not part of the project: weights the agent reads from elsewhere.
    const stray = path.join(root, 'stray.safetensors');
    fs.writeFileSync(stray, Buffer.from('{"__metadata__":{}}'));
    const fw = path.join(dir, 'node_modules', '@langchain', 'core');
    fs.mkdirSync(fw, { recursive: true });
    fs.writeFileSync(path.join(fw, 'package.json'), JSON.stringify({ name: '@langchain/core', version: '0.3.19', main: 'index.js' }));
    fs.writeFileSync(path.join(fw, 'index.js'), 'module.exports = { loaded: true };\n');
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: agent, dependencies: { '@langchain/core': '0.3.19', openai: '4.70.0' } }));
    fs.writeFileSync(path.join(dir, '.mcp.json'), JSON.stringify({ mcpServers: { files: { command: process.execPath, args: [FILESYSTEM, work] } } }));
    const bin = path.join(root, 'bin', agent);
    fs.mkdirSync(path.dirname(bin));
    fs.symlinkSync(process.execPath, bin);

    await collectAibom(graph, dir, { agent, scope: host });
    const wl = `${host}/agent/${agent}`;
    await runSync(graph, { source: 'test-aibom-runtime', scope: host, progress: false }, (s) => s.write({ nodes: [], rels: [rel('RUNS_ON', { label: 'AIAgent', id: agent }, { label: 'Workload', id: wl })] }));

    // When the agent runs under the sensor: reads both weight files, loads the framework, starts the
    // configured filesystem server and an unconfigured server-everything
    const ac = new AbortController();
    let failure: unknown;
    let pid = 0;
    await runSensorIntoGraph(graph, {
      host,
      agent,
      windowMs: 300,
      ringBufferBytes: 4 << 20,
      probes: ['exec', 'files'],
      signal: ac.signal,
      onStarted: () => {
        runAgent(bin, ['--read', model, '--read', stray, '--require', fw, '--mcp', process.execPath, FILESYSTEM, work, '--', '--mcp', process.execPath, EVERYTHING, '--'])
          .then((p) => (pid = p))
          .catch((e: unknown) => (failure = e))
          .finally(() => setTimeout(() => ac.abort(), 700));
      },
    });
    if (failure) throw failure;
    expect(pid).toBeGreaterThan(0);

    // Then aibom diff classifies what was declared and what was seen
    const d = await agentRuntimeDiff(graph, agent);
    const brief = (xs: typeof d.confirmed) => xs.map((x) => [x.kind, x.name]);
    expect(d.workloads).toEqual([wl]);
    expect(brief(d.confirmed)).toEqual([
      ['mcp-server', 'files'],
      ['model', 'tiny-chat.gguf'],
      ['package', 'npm/@langchain/core'],
    ]);
    expect(d.confirmed.find((x) => x.kind === 'model')!.observed).toEqual([model]);
    expect(brief(d.dormant)).toEqual([
      ['llm-api', 'openai'],
      ['package', 'npm/openai'],
    ]);
    // The servers' own packages were loaded in the agent's process tree without being its declared dependencies.
    expect(brief(d.undeclared)).toEqual([
      ['mcp-server', 'node'],
      ['model', 'stray.safetensors'],
      ['package', 'npm/@modelcontextprotocol/sdk'],
      ['package', 'npm/@modelcontextprotocol/server-everything'],
      ['package', 'npm/@modelcontextprotocol/server-filesystem'],
    ]);
    expect(d.undeclared.filter((x) => x.kind === 'mcp-server').map((x) => x.observed)).toEqual([[`${process.execPath} ${EVERYTHING}`]]);
    expect(d.undeclared.filter((x) => x.kind === 'model').map((x) => x.observed)).toEqual([[stray]]);

    // The CLI prints the same three lists
    useTestEnv();
    const cli = spawnSync(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'cli', 'bin.js'), 'aibom', 'diff', '--agent', agent, '--format', 'json'], { env: process.env, encoding: 'utf8' });
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(JSON.parse(JSON.stringify(d)));
    fs.rmSync(root, { recursive: true, force: true });
  });
});
