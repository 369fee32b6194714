/**
 * The raw synthetic estate through the real collectors: `demo generate --format raw` writes an IAM export,
 * last-accessed data, Kubernetes manifests, agent projects and sensor recordings; `demo load` runs them
 * through the AWS, Kubernetes and AI-BOM collectors and the ingest core; the risk engine then finds
 * exactly the planted attack paths, unused grants and undeclared connections, for two seeds.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Graph } from '../../src/graph/driver.js';
import { generateRawEstate, writeRawEstate } from '../../src/demo/generate-raw.js';
import { loadRawEstate, readRawManifest, type LoadRawResult } from '../../src/demo/load-raw.js';
import type { AgentAnswer } from '../../src/demo/generate.js';
import { findings } from '../../src/risk/run.js';
import { register as registerDemo } from '../../src/cli/verbs/demo.js';
import { testGraph } from '../helpers/graph.js';
import { adminReach, plantedGaps, rg001 } from '../helpers/planted.js';
import { runVerb } from '../helpers/run-verb.js';

interface Loaded {
  dir: string;
  admin: string;
  answers: AgentAnswer[];
  load: LoadRawResult;
}

let graph: Graph;
const estates: Loaded[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-raw-estate-'));

beforeAll(async () => {
  graph = await testGraph();
  // Two seeds from a range no other test file uses, loaded side by side: their accounts and clusters differ.
  const first = 1_000_000 + crypto.randomInt(0, 400_000);
  for (const seed of [first, first + 400_000]) {
    const dir = path.join(tmp, String(seed));
    writeRawEstate(dir, { agents: 20, seed });
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'answers.json'), 'utf8')) as { admin: string; answers: AgentAnswer[] };
    estates.push({ dir, admin: saved.admin, answers: saved.answers, load: await loadRawEstate(graph, dir) });
  }
}, 900_000);
afterAll(async () => {
  await graph.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('the files are the inputs the collectors read, the same for the same seed, and every collector sync succeeds', () => {
  const a = generateRawEstate({ agents: 3, seed: 7 });
  expect([...a.files.keys()].sort()).toEqual(
    [
      'answers.json',
      'estate.json',
      'aws/account-authorization-details.json',
      'aws/last-accessed.json',
      `kubernetes/${a.manifest.cluster}.yaml`,
      'aibom-deployments.jsonl',
      'sensor/gen-7.jsonl',
      ...[0, 1, 2].flatMap((i) => [`aibom/gen-7-agent-${i}/requirements.txt`, `aibom/gen-7-agent-${i}/.mcp.json`]),
    ].sort(),
  );
  expect(JSON.stringify([...generateRawEstate({ agents: 3, seed: 7 }).files])).toBe(JSON.stringify([...a.files]));
  expect(a.files.get('aws/account-authorization-details.json')).not.toBe(generateRawEstate({ agents: 3, seed: 8 }).files.get('aws/account-authorization-details.json'));
  for (const e of estates) {
    expect(e.load.problems).toEqual([]);
    expect(e.load.syncs.map((s) => `${s.source} ${s.status}`)).toEqual(['kubernetes succeeded', 'aws succeeded', 'aws-usage succeeded', 'aibom succeeded', 'aibom-deployments succeeded', 'sensor succeeded']);
  }
});

test('a folder without estate.json is a clear error naming the file', () => {
  expect(() => readRawManifest(tmp)).toThrow(`${path.join(tmp, 'estate.json')}: not found`);
});

test('every agent of both seeds: admin reach exactly where an escalation was planted (found by the IAM escalation search)', async () => {
  for (const e of estates) {
    const r = await adminReach(graph, e.answers, e.admin);
    expect(r.got).toEqual(r.want);
    expect(Object.values(r.want).filter(Boolean).length).toBe(2);
  }
}, 300_000);

test('every agent of both seeds: unused IAM grants, undeclared connections and unused egress exactly as planted; partial coverage is unknown', async () => {
  for (const e of estates) {
    const r = await plantedGaps(graph, e.answers);
    expect(r.got).toEqual(r.want);
    expect(e.answers.filter((a) => a.partialCoverage).length).toBe(2);
    expect(e.answers.filter((a) => a.undeclaredNetwork.length > 0).length).toBe(3);
  }
}, 300_000);

test('findings: RG-001 (escalation to an admin role) for exactly the escalating agents', async () => {
  for (const e of estates) {
    const r = await rg001(graph, e.answers, e.admin);
    expect(r.got).toEqual(r.want);
  }
}, 300_000);

test('the CLI: `demo generate --format raw` writes the folder, `demo load --connect` lists the real MCP servers, and only the agent of the poisoned server is an entry point', async () => {
  const seed = 1_900_000 + crypto.randomInt(0, 90_000);
  const dir = path.join(tmp, `cli-${seed}`);
  const gen = JSON.parse(await runVerb(registerDemo, ['demo', 'generate', '--format', 'raw', '--agents', '3', '--seed', String(seed), '--out', dir])) as { files: number; cluster: string };
  expect(gen).toMatchObject({ format: 'raw', files: 2 + 2 + 1 + 2 * 3 + 1 + 1, cluster: `gen-${seed}` });
  const loaded = JSON.parse(await runVerb(registerDemo, ['demo', 'load', dir, '--connect'])) as { syncs: { source: string; status: string }[] };
  expect(loaded.syncs.map((s) => `${s.source} ${s.status}`)).toEqual(['kubernetes succeeded', 'aws succeeded', 'aws-usage succeeded', 'aibom succeeded', 'aibom-mcp succeeded', 'aibom-deployments succeeded', 'sensor succeeded']);
  const entry: Record<string, { some: boolean; all: boolean }> = {};
  for (const i of [0, 1, 2]) {
    const r = await findings(graph, { subject: `gen-${seed}-agent-${i}` });
    entry[i] = { some: r.findings.some((f) => f.entry), all: r.findings.length > 0 && r.findings.every((f) => f.entry) };
  }
  expect(entry).toEqual({ 0: { some: true, all: true }, 1: { some: false, all: false }, 2: { some: false, all: false } });
  await expect(runVerb(registerDemo, ['demo', 'generate', '--format', 'yaml', '--agents', '3'])).rejects.toThrow('--format: must be graph or raw, got "yaml"');
}, 600_000);
