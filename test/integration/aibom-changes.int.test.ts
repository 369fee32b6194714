/**
 * The AI-BOM collector records an agent's declared-state changes itself: a sync that sees the agent's
 * model, prompt or prompt settings differ from the previous sync's writes a StateChange that CHANGED
 * the AIAgent (hashes, never text), and the drift engine classifies drift of the agent's workload
 * within the correlation window after a model change as explained, drift before or long after it not.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detect, learn, lock } from '../../src/behavior/store.js';
import { collectAibom } from '../../src/collectors/aibom/collect.js';
import type { Graph } from '../../src/graph/driver.js';
import { runSync } from '../../src/graph/ingest.js';
import { node, rel, type NodeRecord, type RelRecord } from '../../src/graph/records.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';

let graph: Graph;
const P = uniqueScope('aibom-changes');
const dirs: string[] = [];
const M = 60_000;
const T0 = Date.parse('2026-11-21T08:00:00Z');
const T = (m: number) => new Date(T0 + m * M).toISOString();
const SECRET = 'sk-live-DO-NOT-STORE-0123456789';
const PROMPT_TEXT = 'You are the refunds agent. Never approve more than 500 EUR.';

interface Tree {
  model: string;
  temperature: number;
  prompt: string;
  apiKey?: string;
}

const dotprompt = (t: Tree) => `---
model: ${t.model}
config:
  temperature: ${t.temperature}
${t.apiKey ? `  apiKey: ${t.apiKey}\n` : ''}input:
  schema:
    ticket: string
---
{{role "system"}}
${t.prompt}
{{role "user"}}
{{ticket}}
`;

function writeTree(dir: string, t: Tree | string): void {
  fs.mkdirSync(path.join(dir, 'prompts'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'prompts', 'refund.prompt'), typeof t === 'string' ? t : dotprompt(t));
  fs.writeFileSync(path.join(dir, 'system_prompt.md'), 'Be brief.\n');
}

/** A fresh agent tree and the function that syncs it as it is now. */
function agentTree(name: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-aibom-changes-'));
  dirs.push(dir);
  const agent = `${P}-${name}`;
  return { dir, agent, sync: (at: string) => collectAibom(graph, dir, { agent, scope: `${P}-${name}`, at }) };
}

const changesOf = async (agent: string) =>
  graph.readText('MATCH (c:StateChange)-[:CHANGED]->(:AIAgent {id: $agent}) RETURN c.kind AS kind, c.before AS before, c.after AS after, c.at AS at ORDER BY c.at, c.kind', { agent }, 'test');

const BASE: Tree = { model: 'googleai/gemini-1.5-flash', temperature: 0.2, prompt: PROMPT_TEXT };

beforeAll(async () => {
  graph = await testGraph();
});
afterAll(async () => {
  await graph.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('declared-state changes of a scanned agent', () => {
  test('first sync and unchanged syncs record nothing; a model, a prompt and a config change each record exactly one StateChange', async () => {
    const a = agentTree('kinds');
    writeTree(a.dir, BASE);
    await a.sync(T(0));
    expect(await changesOf(a.agent)).toEqual([]);
    await a.sync(T(1));
    expect(await changesOf(a.agent)).toEqual([]);

    writeTree(a.dir, { ...BASE, model: 'googleai/gemini-2.0-flash' });
    await a.sync(T(2));
    expect(await changesOf(a.agent)).toEqual([{ kind: 'model', before: 'googleai/gemini-1.5-flash', after: 'googleai/gemini-2.0-flash', at: T(2) }]);

    writeTree(a.dir, { ...BASE, model: 'googleai/gemini-2.0-flash', prompt: `${PROMPT_TEXT} Escalate fraud.` });
    await a.sync(T(3));
    writeTree(a.dir, { ...BASE, model: 'googleai/gemini-2.0-flash', prompt: `${PROMPT_TEXT} Escalate fraud.`, temperature: 0.9 });
    await a.sync(T(4));
    await a.sync(T(5));
    const all = await changesOf(a.agent);
    expect(all.map((c) => [c.kind, c.at])).toEqual([
      ['model', T(2)],
      ['prompt', T(3)],
      ['config', T(4)],
    ]);
    const hash = /^sha256:[0-9a-f]{16}$/;
    for (const c of all.slice(1)) {
      expect(c.before).toMatch(hash);
      expect(c.after).toMatch(hash);
      expect(c.before).not.toBe(c.after);
    }
    // The agent carries the state the next sync compares with; the prompt change's after is the agent's hash now.
    const [agentNode] = await graph.readText('MATCH (a:AIAgent {id: $id}) RETURN a.modelRefs AS modelRefs, a.promptHash AS promptHash, a.configHash AS configHash', { id: a.agent }, 'test');
    expect(agentNode).toEqual({ modelRefs: ['googleai/gemini-2.0-flash'], promptHash: all[1]!.after, configHash: all[2]!.after });
  });

  test('a model version pinned apart from the name is a model change; the ids carry the version', async () => {
    const a = agentTree('version');
    const text = (v: string) => `---\nmodel: vertexai/gemini-1.5-pro\nconfig:\n  version: ${v}\n  temperature: 0.1\n---\nAnswer.\n`;
    writeTree(a.dir, text('gemini-1.5-pro-001'));
    await a.sync(T(0));
    writeTree(a.dir, text('gemini-1.5-pro-002'));
    await a.sync(T(1));
    // Only the version moved: the config without it, and the prompt, are unchanged.
    expect(await changesOf(a.agent)).toEqual([{ kind: 'model', before: 'vertexai/gemini-1.5-pro@gemini-1.5-pro-001', after: 'vertexai/gemini-1.5-pro@gemini-1.5-pro-002', at: T(1) }]);
  });

  test('neither prompt text nor a secret value reaches the graph; a rotated key in the front matter is no config change', async () => {
    const a = agentTree('secrets');
    writeTree(a.dir, { ...BASE, apiKey: SECRET });
    await a.sync(T(0));
    writeTree(a.dir, { ...BASE, apiKey: `${SECRET}-rotated` });
    await a.sync(T(1));
    writeTree(a.dir, { ...BASE, apiKey: `${SECRET}-rotated`, prompt: 'You are the refunds agent.' });
    await a.sync(T(2));
    expect((await changesOf(a.agent)).map((c) => c.kind)).toEqual(['prompt']);
    const props = await graph.readText(
      'MATCH (a:AIAgent {id: $id}) OPTIONAL MATCH (a)-[r]-(x) WITH a, collect(properties(x)) + collect(properties(r)) AS around RETURN [properties(a)] + around AS props',
      { id: a.agent },
      'test',
    );
    const text = JSON.stringify(props);
    expect(text).not.toContain('sk-live');
    expect(text).not.toContain('refunds agent');
    expect(text).not.toContain('Be brief');
  });

  test('a partial scan records no change and leaves the stored state, so the next good sync compares with the last good one', async () => {
    const a = agentTree('partial');
    writeTree(a.dir, BASE);
    await a.sync(T(0));
    writeTree(a.dir, '---\nmodel: [unclosed\n---\nbroken\n');
    const bad = await a.sync(T(1));
    expect(bad.scan.partial).toBe(true);
    expect(bad.scan.errors).toEqual([{ file: 'prompts/refund.prompt', message: expect.stringMatching(/^line \d+: invalid YAML front matter/) }]);
    expect(await changesOf(a.agent)).toEqual([]);
    writeTree(a.dir, BASE);
    await a.sync(T(2));
    expect(await changesOf(a.agent)).toEqual([]);
  });
});

describe('classification of the agent workload drift after a model change', () => {
  const W = `${P}-host/process/refund-agent`;
  const ep = (port: number) => `127.0.0.2:${port}`;
  const connect = (port: number, at: number): { nodes: NodeRecord[]; rels: RelRecord[] } => ({
    nodes: [node('NetEndpoint', ep(port), { address: '127.0.0.2', port, family: 4, loopback: true })],
    rels: [rel('DID_CONNECT', { label: 'Workload', id: W }, { label: 'NetEndpoint', id: ep(port) }, { count: 1, firstSeen: T(at), lastSeen: T(at), key: `/usr/bin/python3|${port}/TCP`, props: { port, protocol: 'TCP', executable: '/usr/bin/python3' } })],
  });
  const observe = (name: string, batch: { nodes: NodeRecord[]; rels: RelRecord[] }) => runSync(graph, { source: 'test-sensor', scope: `${P}-${name}`, mode: 'append', progress: false }, (sink) => sink.write(batch));

  test('drift within the window after the model change is explained by it; drift before it and after the window is unexplained', async () => {
    const a = agentTree('drift');
    writeTree(a.dir, BASE);
    await a.sync(T(0));
    const coverage = `${P}-host/w0`;
    await observe('host', {
      nodes: [node('Host', `${P}-host`, { name: `${P}-host` }), node('Workload', W, { host: `${P}-host`, kind: 'process', name: 'refund-agent' }), node('Coverage', coverage, { host: `${P}-host`, probes: ['exec', 'net', 'dns', 'files'], from: T(0), to: T(200), lost: false, workloads: [W] }), ...connect(8080, 1).nodes],
      rels: [
        rel('ON_HOST', { label: 'Workload', id: W }, { label: 'Host', id: `${P}-host` }),
        rel('COVERS', { label: 'Coverage', id: coverage }, { label: 'Workload', id: W }),
        rel('RUNS_ON', { label: 'AIAgent', id: a.agent }, { label: 'Workload', id: W }),
        ...connect(8080, 1).rels,
      ],
    });
    await learn(graph, W, { from: T0, windowMs: 30 * M, now: T0 + 30 * M });
    await lock(graph, W, T0 + 30 * M);

    await observe('before', connect(9001, 40));
    writeTree(a.dir, { ...BASE, model: 'googleai/gemini-2.0-flash' });
    await a.sync(T(50));
    const [change] = await changesOf(a.agent);
    expect(change).toMatchObject({ kind: 'model', at: T(50) });
    await observe('within', connect(9002, 55));
    await observe('after-window', connect(9003, 150));

    const [r] = await detect(graph, { subject: W, now: T0 + 200 * M, correlationMs: 60 * M });
    const changeId = (await graph.readText('MATCH (c:StateChange {kind: "model"})-[:CHANGED]->(:AIAgent {id: $id}) RETURN c.id AS id', { id: a.agent }, 'test'))[0]!.id;
    expect(r!.events.map((e) => [e.target, e.classification.classification, e.classification.classification === 'explained' ? e.classification.explainedBy.id : null]).sort()).toEqual([
      [ep(9001), 'unexplained', null],
      [ep(9002), 'explained', changeId],
      [ep(9003), 'unexplained', null],
    ]);
  });
});
