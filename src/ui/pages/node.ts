/**
 * Any node of the graph: its properties (tool descriptions included, shown as text), its neighbourhood
 * drawn up to a cap with a summary node for the rest, and graph-wide search.
 */
import { gql } from '../api.js';
import { agentRoute, badge, cellText, errorLine, h, link, nodeRoute, replace, table } from '../dom.js';
import { draw, graphBox, GraphModel } from '../graph.js';
import type { PageContext } from '../main.js';

const NEIGHBOURS = 100;
const DRAWN_NEIGHBOURS = 40;

interface GraphNode {
  id: string;
  label: string;
  labels: string[];
  name: string | null;
  properties: Record<string, unknown>;
  neighbours: { type: string; direction: string; other: { id: string; label: string; name: string | null }; props: Record<string, unknown> | null }[];
}

export async function renderNode(root: HTMLElement, ctx: PageContext): Promise<void> {
  const id = ctx.segments[0] ?? '';
  replace(root, h('h1', {}, 'Node ', h('code', {}, id)), h('p', { class: 'loading' }, 'loading…'));
  try {
    const { node } = await gql<{ node: GraphNode | null }>(`query($id: ID!, $n: Int) { node(id: $id) { id label labels name properties neighbours(first: $n) { type direction other { id label name } props } } }`, { id, n: NEIGHBOURS });
    if (!ctx.live()) return;
    if (!node) return replace(root, h('h1', {}, 'Node ', h('code', {}, id)), h('p', { class: 'error', role: 'alert' }, `no node "${id}" in the graph`));
    const model = new GraphModel(DRAWN_NEIGHBOURS + 1);
    model.addNode(node.id, 'subject', node.name ?? undefined);
    for (const n of node.neighbours) {
      const hop = n.direction.toLowerCase() === 'in' ? { from: n.other.id, to: node.id } : { from: node.id, to: n.other.id };
      model.addPath([{ ...hop, type: n.type, declared: n.type.startsWith('MAY_'), observed: n.type.startsWith('DID_'), props: n.props }]);
    }
    const more = node.neighbours.length >= NEIGHBOURS ? ` (the first ${NEIGHBOURS} relationships are listed)` : '';
    const box = graphBox('node-graph');
    const props = Object.entries(node.properties).sort(([a], [b]) => a.localeCompare(b));
    replace(
      root,
      h('h1', {}, node.name ?? node.id, ' ', node.labels.map((l) => badge(l, 'label'))),
      node.labels.includes('AIAgent') ? h('p', {}, link(agentRoute(node.id), 'open the agent view →')) : null,
      h('h2', {}, 'Properties'),
      table(['property', 'value'], props, ([k, v]) => [h('code', {}, k), h('span', { class: 'value' }, cellText(v))], { testId: 'node-properties' }),
      h('h2', {}, `Neighbours${more}`),
      box.root,
      table(['direction', 'relationship', 'node', 'label'], node.neighbours, (n) => [n.direction, h('code', {}, n.type), link(nodeRoute(n.other.id), n.other.name ?? n.other.id, { title: n.other.id }), n.other.label], { testId: 'node-neighbours', empty: 'no relationships' }),
    );
    draw(box.canvas, 'node', model, { summaryLabel: 'neighbours', onNode: (n) => void (location.hash = `#${nodeRoute(n)}`) });
  } catch (e) {
    replace(root, h('h1', {}, 'Node ', h('code', {}, id)), errorLine(e));
  }
}

export async function renderSearch(root: HTMLElement, ctx: PageContext): Promise<void> {
  const q = ctx.params.get('q') ?? '';
  replace(root, h('h1', {}, 'Search: ', q), h('p', { class: 'loading' }, 'searching…'));
  try {
    const { search } = await gql<{ search: { id: string; label: string; name: string | null }[] }>('query($text: String!) { search(text: $text, first: 50) { id label name } }', { text: q });
    if (!ctx.live()) return;
    replace(root, h('h1', {}, 'Search: ', q), table(['label', 'name', 'id'], search, (n) => [badge(n.label, 'label'), link(nodeRoute(n.id), n.name ?? n.id), h('code', {}, n.id)], { testId: 'search-results', empty: 'nothing matches' }));
  } catch (e) {
    replace(root, h('h1', {}, 'Search: ', q), errorLine(e));
  }
}
