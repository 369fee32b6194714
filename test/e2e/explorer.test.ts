/**
 * The attack-path explorer (issue 16) in a real Chromium against the real API and Neo4j with the demo
 * estate loaded: each page opened, a path picked and its nodes found drawn, findings filtered, a Cypher
 * query run, and an MCP tool description full of markup (planted through the AI-BOM collector with a
 * real MCP server) shown as text with no script run. Screenshots go to .reachgraph/screenshots/explorer
 * (printed at the end).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Page, Response } from 'playwright-core';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { collectAibom } from '../../src/collectors/aibom/collect.js';
import { loadConfig } from '../../src/config.js';
import { loadDemoEstate } from '../../src/demo/estate.js';
import type { Graph } from '../../src/graph/driver.js';
import { projectRoot } from '../../src/paths.js';
import { refreshFindings } from '../../src/risk/store.js';
import { laptopPage, launchChromium, requireBuiltExplorer, screenshotDir, type TestBrowser } from '../helpers/browser.js';
import { testGraph, uniqueScope } from '../helpers/graph.js';

const TOKEN = 'explorer-token-0123456789abcdef';
const HOSTILE_TOOL = 'render_report_xss';
const HOSTILE_TREE = path.join(projectRoot(), 'test', 'fixtures', 'explorer');

let graph: Graph;
let api: RunningServer;
let chromium: TestBrowser;
let page: Page;
let shots: string;
/** Browser-side problems: CSP violations, uncaught errors, dialogs (a dialog means a script ran). */
let seen: { problems: string[]; dialogs: string[] };

interface Drawn {
  nodes: { id: string; label: string; role: string }[];
  edges: { source: string; target: string; type: string; kind: string }[];
}

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(new URL('graphql', api.url), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`API: ${body.errors[0]!.message}`);
  return body.data!;
}

/** Runs `act` (which navigates) and waits until the page has finished rendering after it. */
async function rendered(act: () => Promise<unknown>): Promise<void> {
  const before = await page.evaluate(() => window.__reachgraph?.renders ?? 0);
  await act();
  await page.waitForFunction((n) => (window.__reachgraph?.renders ?? 0) > n && window.__reachgraph?.ready === true, before, { timeout: 60_000 });
}

/** Opens a route (rendering it again when it is the current one). */
async function open(route: string): Promise<void> {
  await rendered(() =>
    page.evaluate((r) => {
      if (location.hash === `#${r}`) window.dispatchEvent(new HashChangeEvent('hashchange'));
      else location.hash = r;
    }, route),
  );
}

async function drawn(name: string): Promise<Drawn> {
  return page.evaluate((n) => {
    const g = window.__reachgraph?.graphs[n];
    if (!g) throw new Error(`no drawing named ${n} on this page`);
    return g();
  }, name) as Promise<Drawn>;
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  requireBuiltExplorer();
  graph = await testGraph();
  const loaded = await loadDemoEstate(graph);
  // That every part loads is test/e2e/start.test.ts's to assert; here a failed part only narrows what the pages show.
  for (const r of loaded.filter((x) => !x.ok)) process.stderr.write(`explorer: demo estate part ${r.part} failed to load: ${r.error}\n`);
  // The hostile tool enters the graph the way real ones do: a real MCP server listed by the collector.
  const planted = await collectAibom(graph, HOSTILE_TREE, { scope: uniqueScope('explorer-hostile'), connect: true });
  expect(planted.scan.errors ?? []).toEqual([]);
  // Stored findings and the agents' riskScore come from a refresh (what `reachgraph start` does after loading).
  await refreshFindings(graph);
  api = await startApi(graph, loadConfig({ ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: TOKEN }));
  chromium = await launchChromium();
  ({ page, seen } = await laptopPage(chromium));
  shots = screenshotDir('explorer');
}, 300_000);

afterAll(async () => {
  await chromium?.close();
  await api?.stop();
  await graph?.close();
  if (shots) process.stderr.write(`explorer screenshots: ${shots}\n`);
});

afterEach(() => {
  // Every test leaves the page without CSP violations, uncaught errors or dialogs.
  expect(seen?.problems ?? []).toEqual([]);
  expect(seen?.dialogs ?? []).toEqual([]);
});

describe('explorer', () => {
  test('given `reachgraph serve`, then it prints the explorer link with the key in the fragment, and that page loads with the key', async () => {
    const child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'cli', 'bin.js'), 'serve'], {
      env: { ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: 'serve-link-token-0123456789', REACHGRAPH_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const deadline = Date.now() + 120_000;
      let m: RegExpExecArray | null = null;
      while (!(m = /reachgraph explorer: (http:\/\/127\.0\.0\.1:\d+\/)#key=(\S+)/.exec(stderr))) {
        if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${stderr}`);
        if (Date.now() > deadline) throw new Error(`serve printed no explorer link: ${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(decodeURIComponent(m[2]!)).toBe('serve-link-token-0123456789');
      const other = await chromium.browser.newPage();
      try {
        await other.goto(`${m[1]}#key=${m[2]}`);
        await other.getByTestId('agents-table').waitFor({ timeout: 60_000 });
        expect(other.url()).not.toContain('key=');
      } finally {
        await other.close();
      }
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    }
  });

  test('given / with #key=, then the files come with a strict CSP and nosniff, the key moves to sessionStorage and leaves the address bar', async () => {
    const res = (await page.goto(`${api.url}#key=${TOKEN}`)) as Response;
    expect(res.status()).toBe(200);
    const headers = res.headers();
    expect(headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    await page.waitForFunction(() => window.__reachgraph?.ready === true && window.__reachgraph.route === '', undefined, { timeout: 60_000 });
    await page.getByTestId('page-overview').waitFor();
    expect(await page.evaluate(() => location.href)).not.toContain(TOKEN);
    expect(await page.evaluate(() => sessionStorage.getItem('reachgraph.apiKey'))).toBe(TOKEN);
    // No inline script in the page: every script is a file of this origin.
    const scripts = await page.$$eval('script', (ss) => ss.map((s) => ({ src: s.getAttribute('src'), inline: (s.textContent ?? '').trim().length > 0 })));
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(s).toEqual({ src: expect.stringMatching(/^\/assets\//), inline: false });
    // The API itself is still at /graphql for a POST of the page's origin.
    const health = await page.evaluate(async () => (await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ health { version } }"}' })).json());
    expect(health).toEqual({ data: { health: { version: expect.any(String) } } });
  });

  test('given a wrong key, then the page asks for a key; typing the right one and Enter opens the overview', async () => {
    await page.evaluate(() => sessionStorage.setItem('reachgraph.apiKey', 'wrong-key-0123456789'));
    await open('/');
    await page.getByTestId('key-form').waitFor();
    await page.locator('#api-key').fill(TOKEN);
    await rendered(() => page.keyboard.press('Enter'));
    await page.getByTestId('page-overview').waitFor();
    expect(await page.getByTestId('agents').locator('.error').count()).toBe(0);
  });

  test('overview: agents ranked by risk with declared and observed counts, the AI-BOM summary and top findings', async () => {
    await open('/');
    const want = await gql<{ agents: { totalCount: number; edges: { node: { id: string; riskScore: number } }[] } }>('{ agents(first: 25, orderBy: RISK_DESC) { totalCount edges { node { id riskScore } } } }');
    const rows = await page.getByTestId('agents-table').locator('tbody tr').allTextContents();
    expect(rows.length).toBe(want.agents.edges.length);
    expect(rows.length).toBeGreaterThan(0);
    // The same agents in the same order as the API ranks them.
    const ids = await page.getByTestId('agents-table').locator('tbody tr td:nth-child(2) a').evaluateAll((as) => as.map((a) => a.getAttribute('title')));
    expect(ids).toEqual(want.agents.edges.map((e) => e.node.id));
    expect(await page.getByTestId('agents').textContent()).toContain(`of ${want.agents.totalCount}`);
    const aibom = await page.getByTestId('aibom-table').textContent();
    expect(aibom).toMatch(/MCPTool\s*[1-9]/);
    await page.getByTestId('top-findings').locator('table, .empty').first().waitFor();
    await shot('01-overview');
  });

  test('agent view: the blast radius drawn with declared/observed edges told apart and a legend, gaps, AI-BOM and drift sections', async () => {
    // The riskiest agent (after the findings refresh) as the API ranks it: it reaches something.
    const top = await gql<{ agents: { edges: { node: { id: string } }[] } }>('{ agents(first: 1, orderBy: RISK_DESC) { edges { node { id } } } }');
    const agent = top.agents.edges[0]!.node.id;
    await open(`/agent/${encodeURIComponent(agent)}`);
    const want = await gql<{ agent: { blastRadius: { targets: { id: string; path: { from: string; to: string; declared: boolean; observed: boolean }[] }[] } } }>(
      'query($id: ID!) { agent(id: $id) { blastRadius { targets { id path { from to declared observed } } } } }',
      { id: agent },
    );
    const g = await drawn('blast');
    const ids = new Set(g.nodes.map((n) => n.id));
    expect(g.nodes.find((n) => n.role === 'subject')?.id).toBe(agent);
    const targets = want.agent.blastRadius.targets;
    expect(targets.length).toBeGreaterThan(0);
    const shown = targets.filter((t) => ids.has(t.id));
    // Either every target is drawn, or the cap drew the top ones and a "+N more" node stands for the rest.
    const summary = g.nodes.find((n) => n.role === 'summary');
    if (shown.length < targets.length) expect(summary?.label).toBe(`+${targets.length - shown.length} more targets`);
    for (const t of shown) for (const hop of t.path) expect(ids.has(hop.from) && ids.has(hop.to)).toBe(true);
    // Each drawn edge's kind is what its hops say (declared only, observed only, both).
    const kinds = new Map<string, string>();
    for (const t of shown)
      for (const hop of t.path) {
        const k = `${hop.from}>${hop.to}`;
        const prev = kinds.get(k);
        const d = hop.declared || prev === 'both' || prev === 'declared';
        const o = hop.observed || prev === 'both' || prev === 'observed';
        kinds.set(k, d && o ? 'both' : d ? 'declared' : o ? 'observed' : 'structural');
      }
    for (const e of g.edges.filter((x) => x.kind !== 'structural' || kinds.has(`${x.source}>${x.target}`))) if (kinds.has(`${e.source}>${e.target}`)) expect(e.kind).toBe(kinds.get(`${e.source}>${e.target}`));
    await expect(page.getByTestId('legend').first().textContent()).resolves.toMatch(/declared only.*observed only.*declared and observed/s);
    for (const s of ['gaps', 'aibom', 'drift']) expect(await page.getByTestId(s).locator('.error').count()).toBe(0);
    expect(await page.getByTestId('aibom-components').locator('tbody tr').count()).toBeGreaterThan(0);
    await shot('02-agent');
  });

  test('path finder: source and "any crown jewel" by keyboard, the k paths drawn and listed hop by hop with evidence', async () => {
    // A source that has paths: the entry of the API's first path from any entry point.
    const any = await gql<{ attackPaths: { paths: { entry: string }[] } }>('{ attackPaths(k: 1) { paths { entry } } }');
    const source = any.attackPaths.paths[0]!.entry;
    await open('/paths');
    await page.locator('#path-from').focus();
    await page.keyboard.type(source);
    await rendered(() => page.keyboard.press('Enter'));
    const want = await gql<{ attackPaths: { paths: { target: string; path: { from: string; to: string; type: string }[] }[] } }>('query($from: String) { attackPaths(from: $from, k: 3) { paths { target path { from to type } } } }', { from: source });
    expect(want.attackPaths.paths.length).toBeGreaterThan(0);
    const g = await drawn('paths');
    const ids = new Set(g.nodes.map((n) => n.id));
    for (const p of want.attackPaths.paths) {
      expect(ids.has(p.target)).toBe(true);
      for (const hop of p.path) {
        expect(ids.has(hop.from)).toBe(true);
        expect(ids.has(hop.to)).toBe(true);
        expect(g.edges.some((e) => e.source === hop.from && e.target === hop.to && e.type === hop.type)).toBe(true);
      }
    }
    const items = page.getByTestId('path-list').locator(':scope > li');
    expect(await items.count()).toBe(want.attackPaths.paths.length);
    const first = want.attackPaths.paths[0]!;
    expect(await items.nth(0).locator('.hop').count()).toBe(first.path.length);
    expect(await items.nth(0).locator('.hop').first().textContent()).toContain(first.path[0]!.type);
    await shot('03-paths');
  });

  test('findings: filtered by severity, the list holds exactly the API\'s findings of that severity, and one opens its evidence', async () => {
    await open('/findings');
    await page.locator('input[name=severity][value=high]').check();
    await rendered(() => page.getByTestId('findings-filters').getByRole('button', { name: 'Filter' }).click());
    const want = await gql<{ findings: { totalCount: number; edges: { node: { id: string } }[] } }>('{ findings(first: 50, after: null, filter: { severity: ["high"], status: "open" }) { totalCount edges { node { id } } } }');
    expect(await page.evaluate(() => location.hash)).toContain('severity=high');
    const results = page.getByTestId('findings-results');
    expect(await results.textContent()).toContain(`${want.findings.totalCount} finding`);
    const sev = await results.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-severity')));
    expect(sev.length).toBe(want.findings.edges.length);
    expect(new Set(sev)).toEqual(new Set(sev.length ? ['high'] : []));
    if (want.findings.edges.length > 0) {
      await results.locator('tbody tr').first().getByRole('button', { name: 'evidence' }).click();
      const g = await drawn('finding');
      expect(g.nodes.length).toBeGreaterThan(0);
      expect(await page.getByTestId('finding-evidence').locator('.hop').count()).toBeGreaterThanOrEqual(0);
    }
    await shot('04-findings');
  });

  test('console: a query typed and run with Ctrl+Enter shows its rows as a table and its nodes as a graph', async () => {
    await open('/console');
    await page.locator('#cypher-query').fill('MATCH (a:AIAgent) RETURN a.id AS agent, a ORDER BY agent');
    await page.locator('#cypher-query').press('Control+Enter');
    await page.getByTestId('cypher-table').waitFor();
    const want = await gql<{ cypher: { rows: { agent: string }[] } }>('{ cypher(query: "MATCH (a:AIAgent) RETURN a.id AS agent ORDER BY agent") { rows } }');
    const cells = await page.getByTestId('cypher-table').locator('tbody tr td:first-child').allTextContents();
    expect(cells).toEqual(want.cypher.rows.map((r) => r.agent));
    const g = await drawn('cypher');
    expect(g.nodes.length).toBe(Math.min(cells.length, 120) + (cells.length > 120 ? 1 : 0));
    await shot('05-console');
  });

  test('hostile content: an MCP tool description with <script> and <img onerror> shows as text (console and node view); no script runs', async () => {
    await open('/console');
    await page.locator('#cypher-query').fill('MATCH (t:MCPTool {name: $name}) RETURN t.id AS id, t.description AS description');
    await page.locator('#cypher-params').fill(JSON.stringify({ name: HOSTILE_TOOL }));
    await page.locator('#cypher-query').press('Control+Enter');
    await page.getByTestId('cypher-table').waitFor();
    const cell = page.getByTestId('cypher-table').locator('tbody tr td:nth-child(2)').first();
    expect(await cell.textContent()).toContain('<script>window.__pwned = "script"; alert(1)</script><img src=x onerror=');
    expect(await cell.locator('script, img, b').count()).toBe(0);
    const toolId = (await page.getByTestId('cypher-table').locator('tbody tr td:first-child').first().textContent())!;

    // The same tool through search and the node view: its properties as text.
    await page.locator('#search').fill(HOSTILE_TOOL);
    await rendered(() => page.locator('#search').press('Enter'));
    await rendered(() => page.getByTestId('search-results').getByRole('link', { name: HOSTILE_TOOL }).first().click());
    const props = page.getByTestId('node-properties');
    expect(await props.textContent()).toContain('<img src=x onerror=');
    expect(await props.locator('script, img, b').count()).toBe(0);
    expect(decodeURIComponent(await page.evaluate(() => location.hash))).toContain(toolId);
    // Its one relationship, OFFERS from the server, points at the tool (an incoming edge drawn as incoming).
    const offers = (await drawn('node')).edges.filter((e) => e.type === 'OFFERS');
    expect(offers.length).toBe(1);
    expect(offers[0]!.target).toBe(toolId);
    await shot('06-hostile');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
  });

  test('a large neighbourhood is capped: the hostile server (61 tools) draws 40 neighbours and one "+N more" node; the table lists them all', async () => {
    const { cypher } = await gql<{ cypher: { rows: { id: string; tools: number }[] } }>('query($name: String!) { cypher(query: "MATCH (s:MCPServer)-[:OFFERS]->(:MCPTool {name: $name}) RETURN s.id AS id, COUNT { (s)-[:OFFERS]->() } AS tools", params: { name: $name }) { rows } }', { name: HOSTILE_TOOL });
    const server = cypher.rows[0]!;
    expect(server.tools).toBe(61);
    await open(`/node/${encodeURIComponent(server.id)}`);
    const g = await drawn('node');
    const neighbours = new Set(await page.getByTestId('node-neighbours').locator('tbody tr td:nth-child(3) a').evaluateAll((as) => as.map((a) => a.getAttribute('title'))));
    expect(neighbours.size).toBeGreaterThanOrEqual(61);
    const drawnOthers = g.nodes.filter((n) => n.role !== 'summary' && n.id !== server.id);
    expect(drawnOthers.length).toBe(40);
    expect(g.nodes.filter((n) => n.role === 'summary').map((n) => n.label)).toEqual([`+${neighbours.size - 40} more neighbours`]);
    await shot('07-capped');
  });
});
