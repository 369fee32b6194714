/**
 * The analyst's Cypher console: read-only through the API's `cypher` field (which refuses writes and
 * file or network reads itself); results as a table and, where the rows hold nodes or paths, as a graph.
 * Ctrl+Enter (or the button) runs the query. Every cell is text.
 */
import { gql } from '../api.js';
import { cellText, errorLine, h, replace } from '../dom.js';
import { draw, graphBox, GraphModel } from '../graph.js';
import type { PageContext } from '../main.js';

const EXAMPLE = 'MATCH (a:AIAgent)-[r]->(n)\nRETURN a.id AS agent, type(r) AS rel, labels(n)[0] AS label, n.id AS node\nLIMIT 25';
const LAST = 'reachgraph.console.last';

type Row = Record<string, unknown> | unknown[];

/** A value the API's console returns for a node: `{labels: [...], ...properties}` (src/graph/plain.ts). */
function isNode(v: unknown): v is { labels: string[]; id?: unknown; name?: unknown } {
  return typeof v === 'object' && v !== null && Array.isArray((v as { labels?: unknown }).labels);
}
/** A path: `{start, segments: [{relationship: {type}, end}]}`. */
function isPath(v: unknown): v is { start: unknown; segments: { relationship: { type?: string }; end: unknown }[] } {
  return typeof v === 'object' && v !== null && 'start' in v && Array.isArray((v as { segments?: unknown }).segments);
}
const nodeId = (n: { labels: string[]; id?: unknown; name?: unknown }) => `${n.labels[0] ?? 'node'}:${cellText(n.id ?? n.name ?? JSON.stringify(n))}`;

/** Nodes and paths anywhere in the rows, as a drawing model. */
export function graphOfRows(rows: readonly unknown[]): GraphModel {
  const model = new GraphModel();
  const visit = (v: unknown, depth: number): void => {
    if (depth > 4 || v === null || typeof v !== 'object') return;
    if (isPath(v) && isNode(v.start)) {
      let prev = nodeId(v.start);
      const hops = v.segments.filter((s) => isNode(s.end)).map((s) => {
        const to = nodeId(s.end as { labels: string[] });
        const hop = { type: String(s.relationship?.type ?? ''), from: prev, to, declared: /^MAY_/.test(String(s.relationship?.type)), observed: /^DID_/.test(String(s.relationship?.type)), props: null };
        prev = to;
        return hop;
      });
      if (hops.length) model.addPath(hops);
      else model.addNode(nodeId(v.start));
      return;
    }
    if (isNode(v)) {
      const id = nodeId(v);
      if (model.nodes.has(id) || model.nodes.size < model.cap) model.addNode(id);
      else model.left.add(id);
      return;
    }
    for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, depth + 1);
  };
  for (const r of rows) visit(r, 0);
  return model;
}

export async function renderConsole(root: HTMLElement, _ctx: PageContext): Promise<void> {
  const query = h('textarea', { id: 'cypher-query', rows: 6, cols: 90, spellcheck: 'false', 'aria-describedby': 'cypher-help', value: sessionStorage.getItem(LAST) ?? EXAMPLE });
  const params = h('textarea', { id: 'cypher-params', rows: 2, cols: 90, spellcheck: 'false', placeholder: '{"name": "value"}' });
  const run = h('button', { type: 'submit' }, 'Run (Ctrl+Enter)');
  const form = h(
    'form',
    { class: 'stack', 'data-testid': 'cypher-form' },
    h('label', { for: 'cypher-query' }, 'Query'),
    query,
    h('p', { id: 'cypher-help', class: 'muted' }, 'Read-only: writes, LOAD CSV and procedures that reach outside the graph are refused by the API. Values belong in parameters.'),
    h('label', { for: 'cypher-params' }, 'Parameters (JSON object, optional)'),
    params,
    run,
  );
  const out = h('div', { 'data-testid': 'cypher-results', 'aria-live': 'polite' });
  replace(root, h('h1', {}, 'Cypher console'), form, out);
  query.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void runQuery(out, query.value, params.value);
  });
  query.focus();
}

async function runQuery(out: HTMLElement, query: string, paramsText: string): Promise<void> {
  let params: unknown = null;
  if (paramsText.trim()) {
    try {
      params = JSON.parse(paramsText);
    } catch (e) {
      return replace(out, h('p', { class: 'error', role: 'alert' }, `parameters: not valid JSON (${(e as Error).message})`));
    }
  }
  sessionStorage.setItem(LAST, query);
  replace(out, h('p', { class: 'loading' }, 'running…'));
  if (window.__reachgraph) window.__reachgraph.ready = false;
  try {
    const data = await gql<{ cypher: { columns: string[]; rows: Row[]; truncated: boolean } }>('query($query: String!, $params: JSON) { cypher(query: $query, params: $params) { columns rows truncated } }', { query, params });
    const { columns, rows, truncated } = data.cypher;
    const cell = (row: Row, c: string, i: number) => cellText(Array.isArray(row) ? row[i] : row[c]);
    const model = graphOfRows(rows);
    const box = graphBox('cypher-graph');
    replace(
      out,
      h('p', {}, `${rows.length} row${rows.length === 1 ? '' : 's'}${truncated ? ' (truncated at the row limit)' : ''}`),
      rows.length === 0
        ? h('p', { class: 'empty' }, 'no rows')
        : h(
            'div',
            { class: 'scroll' },
            h(
              'table',
              { 'data-testid': 'cypher-table' },
              h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
              h('tbody', {}, rows.map((r) => h('tr', {}, columns.map((c, i) => h('td', {}, cell(r, c, i)))))),
            ),
          ),
      model.nodes.size > 0 ? [h('h2', {}, 'As a graph'), box.root] : h('p', { class: 'muted' }, 'No nodes or paths in the result to draw (return nodes or paths for a graph).'),
    );
    if (model.nodes.size > 0) draw(box.canvas, 'cypher', model, { summaryLabel: 'nodes' });
  } catch (e) {
    replace(out, errorLine(e));
  } finally {
    if (window.__reachgraph) window.__reachgraph.ready = true;
  }
}
