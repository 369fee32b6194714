/**
 * The synthetic estate generator against the risk engine: on a generated estate every planted attack
 * path, unused grant and undeclared behaviour is found, nothing contradicts a plant, and agents whose
 * coverage lost events answer "unknown" where the others answer "unused".
 */
import crypto from 'node:crypto';
import type { Graph } from '../../src/graph/driver.js';
import { generateEstate, loadEstate, type GeneratedEstate } from '../../src/demo/generate.js';
import { findings } from '../../src/risk/run.js';
import { testGraph } from '../helpers/graph.js';
import { adminReach, plantedGaps } from '../helpers/planted.js';

let graph: Graph;
let estate: GeneratedEstate;

beforeAll(async () => {
  graph = await testGraph();
  estate = generateEstate({ agents: 40, seed: 100_000 + crypto.randomInt(0, 800_000) });
  await loadEstate(graph, estate);
});
afterAll(async () => graph.close());

test('the same seed gives the same estate', () => {
  const a = generateEstate({ agents: 5, seed: 7 });
  const b = generateEstate({ agents: 5, seed: 7 });
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  expect(JSON.stringify(generateEstate({ agents: 5, seed: 8 }).sources[4]!.rels.slice(-40))).not.toBe(JSON.stringify(a.sources[4]!.rels.slice(-40)));
});

test('every agent: admin reach exactly where an escalation was planted', async () => {
  const r = await adminReach(graph, estate.answers, estate.admin);
  expect(r.got).toEqual(r.want);
  expect(Object.values(r.want).filter(Boolean).length).toBe(4);
});

test('every agent: unused IAM grants, undeclared connections and unused egress exactly as planted; partial coverage is unknown', async () => {
  const r = await plantedGaps(graph, estate.answers);
  expect(r.got).toEqual(r.want);
  expect(estate.answers.filter((a) => a.partialCoverage).length).toBe(4);
});

test('findings: RG-001 for exactly the escalating agents; agents of the poisoned MCP server are entry points', async () => {
  for (const a of estate.answers.slice(0, 21)) {
    const r = await findings(graph, { subject: a.agent });
    expect({ agent: a.agent, rg001: r.findings.some((f) => f.ruleId === 'RG-001' && f.target === estate.admin) }).toEqual({ agent: a.agent, rg001: a.reachesAdmin });
    const poisoned = Number(a.agent.split('-').at(-1)) % 20 === 0;
    expect({ agent: a.agent, entry: r.findings.every((f) => f.entry === poisoned) }).toEqual({ agent: a.agent, entry: true });
  }
});
