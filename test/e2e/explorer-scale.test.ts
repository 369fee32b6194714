/**
 * The explorer on the 10,000-agent generated estate (issue 16): in a Neo4j of its own (the estate is
 * over 1,000,000 relationships, which the shared test graph must not carry), the overview renders one
 * page of the ranked agents and an agent view draws a capped blast radius. How long the overview took
 * in the browser is PRINTED, never asserted.
 *   REACHGRAPH_EXPLORER_SCALE_PORT  Bolt port of its Neo4j (default 7699); state in .reachgraph/explorer-scale-PORT
 *   REACHGRAPH_EXPLORER_SCALE_AGENTS  estate size (default 10000)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { loadConfig, type Config } from '../../src/config.js';
import { generateEstate, loadEstate } from '../../src/demo/generate.js';
import { openGraph, type Graph } from '../../src/graph/driver.js';
import { stopLocalNeo4j } from '../../src/graph/local-neo4j.js';
import { applySchema } from '../../src/graph/schema.js';
import { projectRoot } from '../../src/paths.js';
import { refreshFindings } from '../../src/risk/store.js';
import { laptopPage, launchChromium, requireBuiltExplorer, screenshotDir, type TestBrowser } from '../helpers/browser.js';

const AGENTS = Number(process.env.REACHGRAPH_EXPLORER_SCALE_AGENTS ?? 10_000);
const TOKEN = 'explorer-scale-token-0123456789';

let cfg: Config;
let graph: Graph;
let api: RunningServer;
let chromium: TestBrowser;
let page: Page;
let shots: string;
let seen: { problems: string[]; dialogs: string[] };

beforeAll(async () => {
  requireBuiltExplorer();
  const port = process.env.REACHGRAPH_EXPLORER_SCALE_PORT ?? '7699';
  // One state folder per port: two runs on different ports never stop or wipe each other's Neo4j.
  const stateDir = path.join(projectRoot(), '.reachgraph', `explorer-scale-${port}`);
  cfg = loadConfig({ ...process.env, REACHGRAPH_STATE_DIR: stateDir, REACHGRAPH_NEO4J_PORT: port, REACHGRAPH_NEO4J_HEAP: '2g', REACHGRAPH_NEO4J_PAGECACHE_MB: '1024', REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: TOKEN });
  if (!cfg.neo4j.external) {
    // A fresh store each run: the estate is generated, loading it again into an old one would only add.
    await stopLocalNeo4j(cfg);
    fs.rmSync(path.join(stateDir, 'neo4j', 'home'), { recursive: true, force: true });
  }
  graph = await openGraph({ config: cfg, start: true });
  await applySchema(graph);
  const t0 = performance.now();
  const estate = generateEstate({ agents: AGENTS, seed: 42 });
  await loadEstate(graph, estate, { batchSize: 10_000 });
  const loaded = performance.now();
  await refreshFindings(graph);
  process.stderr.write(`explorer-scale: ${AGENTS.toLocaleString('en')} agents loaded in ${((loaded - t0) / 1000).toFixed(0)} s, findings refreshed in ${((performance.now() - loaded) / 1000).toFixed(0)} s\n`);
  api = await startApi(graph, cfg);
  chromium = await launchChromium();
  ({ page, seen } = await laptopPage(chromium));
  shots = screenshotDir('explorer-scale');
}, 3_600_000);

afterAll(async () => {
  await chromium?.close();
  await api?.stop();
  await graph?.close();
  if (cfg && !cfg.neo4j.external) await stopLocalNeo4j(cfg);
  if (shots) process.stderr.write(`explorer-scale screenshots: ${shots}\n`);
});

test(`overview of a ${AGENTS}-agent estate: one page of ranked agents, the total, a next page; load time printed`, async () => {
  // A first visit carries the key; the measured one starts from a fresh navigation with the key already held.
  await page.goto(`${api.url}#key=${TOKEN}`);
  await page.waitForFunction(() => window.__reachgraph?.ready === true, undefined, { timeout: 120_000 });
  await page.goto('about:blank');
  const t0 = Date.now();
  await page.goto(`${api.url}#/`);
  await page.waitForFunction(() => window.__reachgraph?.ready === true && document.querySelector('[data-testid=agents-table] tbody tr') !== null, undefined, { timeout: 120_000 });
  const wall = Date.now() - t0;
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { domContentLoaded: n.domContentLoadedEventEnd, now: performance.now() };
  });
  process.stderr.write(`explorer-scale: overview of ${AGENTS.toLocaleString('en')} agents rendered ${nav.now.toFixed(0)} ms after navigation start (DOMContentLoaded ${nav.domContentLoaded.toFixed(0)} ms; ${wall} ms measured by the test)\n`);
  const rows = await page.getByTestId('agents-table').locator('tbody tr').count();
  expect(rows).toBe(25);
  expect(await page.getByTestId('agents').textContent()).toContain(`of ${AGENTS}`);
  await page.getByTestId('agents-next').click();
  await page.waitForFunction(() => window.__reachgraph?.ready === true && (document.querySelector('[data-testid=agents]')?.textContent ?? '').includes('26–50'), undefined, { timeout: 120_000 });
  await page.screenshot({ path: path.join(shots, 'overview-page-2.png'), fullPage: true });
  expect(seen.problems).toEqual([]);
});

test('an agent view on the large estate draws at most the cap, with a summary node when targets were left out', async () => {
  await page.goto(`${api.url}#/`);
  await page.waitForFunction(() => window.__reachgraph?.ready === true && document.querySelector('[data-testid=agents-table] tbody tr a') !== null, undefined, { timeout: 120_000 });
  const t0 = Date.now();
  await page.getByTestId('agents-table').locator('tbody tr a').first().click();
  await page.waitForFunction(() => window.__reachgraph?.ready === true && window.__reachgraph.route === 'agent', undefined, { timeout: 120_000 });
  process.stderr.write(`explorer-scale: agent view rendered in ${Date.now() - t0} ms\n`);
  const g = (await page.evaluate(() => window.__reachgraph!.graphs.blast!())) as { nodes: { role: string; label: string }[] };
  expect(g.nodes.filter((n) => n.role !== 'summary').length).toBeLessThanOrEqual(120);
  const targets = await page.getByTestId('blast-table').locator('tbody tr').count();
  const drawnTargets = g.nodes.filter((n) => n.role === 'target').length;
  if (drawnTargets < targets) expect(g.nodes.some((n) => n.role === 'summary' && n.label === `+${targets - drawnTargets} more targets`)).toBe(true);
  await page.screenshot({ path: path.join(shots, 'agent.png'), fullPage: true });
  expect(seen.problems).toEqual([]);
});
