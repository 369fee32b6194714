/**
 * The attack-path explorer (issue 16): hash-routed pages over the GraphQL API. Every page renders into
 * `#page` from its own queries; a page that navigates away leaves nothing running (each render gets a
 * token, and late answers for an old token are dropped).
 */
import './styles.css';
import { forgetKey, getKey, setKey, takeKeyFromFragment, whenUnauthenticated } from './api.js';
import { h, link, replace } from './dom.js';
import { renderAgent } from './pages/agent.js';
import { renderConsole } from './pages/console.js';
import { renderFindings } from './pages/findings.js';
import { renderNode, renderSearch } from './pages/node.js';
import { renderOverview } from './pages/overview.js';
import { renderPaths } from './pages/paths.js';

/** What a page gets: its path segments after the page name, the query parameters, and a liveness check. */
export interface PageContext {
  segments: string[];
  params: URLSearchParams;
  /** False once the user has navigated elsewhere: drop late results. */
  live(): boolean;
}
type Page = (root: HTMLElement, ctx: PageContext) => void | Promise<void>;

const PAGES: Record<string, { title: string; render: Page; nav?: string }> = {
  '': { title: 'Overview', render: renderOverview, nav: 'Overview' },
  agent: { title: 'Agent', render: renderAgent },
  paths: { title: 'Path finder', render: renderPaths, nav: 'Path finder' },
  findings: { title: 'Findings', render: renderFindings, nav: 'Findings' },
  console: { title: 'Cypher console', render: renderConsole, nav: 'Cypher console' },
  node: { title: 'Node', render: renderNode },
  search: { title: 'Search', render: renderSearch },
};

/** `#/agent/a%2Fb?x=1` → { page: 'agent', segments: ['a/b'], params }. */
function parseRoute(hash: string): { page: string; segments: string[]; params: URLSearchParams } {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const params = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  const [page = '', ...rest] = path.split('/');
  return { page: decodeURIComponent(page), segments: rest.map((s) => decodeURIComponent(s)), params };
}

let generation = 0;
const main = () => document.getElementById('page')!;

function keyForm(message?: string): void {
  const input = h('input', { type: 'password', id: 'api-key', name: 'api-key', autocomplete: 'off', required: true, 'aria-describedby': 'key-help', spellcheck: 'false' });
  const form = h(
    'form',
    { class: 'key-form', 'data-testid': 'key-form' },
    h('h1', {}, 'API key'),
    message ? h('p', { class: 'error', role: 'alert' }, message) : null,
    h('p', { id: 'key-help' }, 'Paste a reachgraph API key (`reachgraph serve` prints a link that fills it in). It is kept in this tab only (sessionStorage) and sent as a bearer token to /graphql.'),
    h('label', { for: 'api-key' }, 'Key '),
    input,
    ' ',
    h('button', { type: 'submit' }, 'Use key'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!input.value.trim()) return;
    setKey(input.value);
    void route();
  });
  replace(main(), form);
  input.focus();
}

function nav(current: string): HTMLElement {
  return h(
    'nav',
    { 'aria-label': 'pages' },
    Object.entries(PAGES)
      .filter(([, p]) => p.nav)
      .map(([k, p]) => link(`/${k}`, p.nav!, { 'aria-current': k === current ? 'page' : undefined })),
  );
}

function header(current: string): HTMLElement {
  const q = h('input', { type: 'search', id: 'search', placeholder: 'search the graph…', 'aria-label': 'search the graph' });
  const form = h('form', { role: 'search', class: 'search' }, q, h('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (q.value.trim()) location.hash = `#/search?q=${encodeURIComponent(q.value.trim())}`;
  });
  const signOut = h('button', { type: 'button', class: 'link-button' }, 'Forget key');
  signOut.addEventListener('click', () => {
    forgetKey();
    keyForm();
  });
  return h('div', { class: 'bar' }, h('a', { href: '#/', class: 'brand' }, 'reachgraph'), nav(current), form, signOut);
}

async function route(): Promise<void> {
  const { page, segments, params } = parseRoute(location.hash);
  const def = PAGES[page] ?? PAGES['']!;
  replace(document.getElementById('header')!, header(page));
  window.__reachgraph ??= { graphs: {} };
  window.__reachgraph.graphs = {};
  window.__reachgraph.route = page;
  window.__reachgraph.ready = false;
  if (!getKey()) {
    keyForm();
    window.__reachgraph.ready = true;
    window.__reachgraph.renders = (window.__reachgraph.renders ?? 0) + 1;
    return;
  }
  const mine = ++generation;
  document.title = `${def.title} · reachgraph`;
  const root = h('div', { class: `page page-${page || 'overview'}`, 'data-testid': `page-${page || 'overview'}` });
  replace(main(), root);
  try {
    await def.render(root, { segments, params, live: () => mine === generation });
  } finally {
    if (mine === generation) {
      window.__reachgraph.ready = true;
      window.__reachgraph.renders = (window.__reachgraph.renders ?? 0) + 1;
    }
  }
}

takeKeyFromFragment();
whenUnauthenticated(() => {
  forgetKey();
  keyForm('The API did not accept this key (missing, wrong or revoked). Paste a valid one.');
});
window.addEventListener('hashchange', () => void route());
void route();
