/**
 * Graph drawing (cytoscape.js). Callers build a GraphModel from evidence hops, highest priority first;
 * the model stops taking paths at a node cap and the drawing then shows one summary node ("+N more")
 * instead of the rest, so a large neighbourhood costs a bounded drawing, never a frozen tab.
 *
 * Edges are told apart by what backs them, in line style as well as colour (readable without colour):
 * declared only (a MAY_* grant or configuration never seen used): dashed blue; observed only (DID_*
 * with no grant on record): dotted orange; declared and observed: thick solid purple.
 *
 * Every drawing registers itself on `window.__reachgraph.graphs[name]`, which returns the drawn
 * elements as plain data: the browser tests read what is on screen from there.
 */
import cytoscape from 'cytoscape';
import type { Hop } from './api.js';
import { h } from './dom.js';

export type NodeRole = 'subject' | 'target' | 'node' | 'summary';
export type EdgeKind = 'both' | 'declared' | 'observed' | 'structural';

interface NodeSpec {
  id: string;
  label: string;
  role: NodeRole;
}
interface EdgeSpec {
  id: string;
  from: string;
  to: string;
  type: string;
  declared: boolean;
  observed: boolean;
}

/** What a drawing holds, as the test hook returns it. */
export interface DrawnGraph {
  nodes: { id: string; label: string; role: NodeRole }[];
  edges: { source: string; target: string; type: string; kind: EdgeKind }[];
}

declare global {
  interface Window {
    /** For tests: each drawing's elements, the page, whether it finished rendering, and how many renders finished. */
    __reachgraph?: { graphs: Record<string, () => DrawnGraph>; route?: string; ready?: boolean; renders?: number };
  }
}

/** Node cap of one drawing: past it, a summary node stands for the rest. */
export const DEFAULT_NODE_CAP = 120;

export function edgeKind(e: { declared: boolean; observed: boolean }): EdgeKind {
  if (e.declared && e.observed) return 'both';
  if (e.declared) return 'declared';
  if (e.observed) return 'observed';
  return 'structural';
}

/** The last segment of an id (ARNs and k8s ids are long); the full id is in the node's tooltip and lists. */
export function shortLabel(id: string): string {
  const s = id.length > 48 ? `…${id.slice(-46)}` : id;
  const tail = /[/:]([^/:]{3,})$/.exec(id)?.[1];
  return tail && tail.length < s.length ? tail : s;
}

export class GraphModel {
  readonly nodes = new Map<string, NodeSpec>();
  readonly edges = new Map<string, EdgeSpec>();
  /** What was left out at the cap, by target (or end node), so one left-out node counts once. */
  readonly left = new Set<string>();
  get hidden(): number {
    return this.left.size;
  }

  constructor(readonly cap = DEFAULT_NODE_CAP) {}

  addNode(id: string, role: NodeRole = 'node', label = shortLabel(id)): void {
    const have = this.nodes.get(id);
    // A node keeps its strongest role: the subject stays the subject when a path also ends there.
    const rank: Record<NodeRole, number> = { subject: 3, target: 2, node: 1, summary: 0 };
    if (!have) this.nodes.set(id, { id, label, role });
    else if (rank[role] > rank[have.role]) have.role = role;
  }

  addEdge(from: string, to: string, type: string, declared: boolean, observed: boolean): void {
    const id = `${from}\u0000${type}\u0000${to}`;
    const have = this.edges.get(id);
    if (have) {
      have.declared ||= declared;
      have.observed ||= observed;
    } else this.edges.set(id, { id, from, to, type, declared, observed });
  }

  /**
   * Adds a path's nodes and edges unless that would pass the cap; returns whether it was added.
   * `target` (when given) is marked as a target.
   */
  addPath(hops: readonly Hop[], target?: string): boolean {
    const fresh = new Set<string>();
    for (const hop of hops) for (const id of [hop.from, hop.to]) if (!this.nodes.has(id)) fresh.add(id);
    if (target && !this.nodes.has(target)) fresh.add(target);
    if (this.nodes.size + fresh.size > this.cap) {
      this.left.add(target ?? hops.at(-1)?.to ?? '');
      return false;
    }
    for (const hop of hops) {
      this.addNode(hop.from);
      this.addNode(hop.to);
      this.addEdge(hop.from, hop.to, hop.type, hop.declared, hop.observed);
    }
    if (target) this.addNode(target, 'target');
    return true;
  }
}

const STYLE: cytoscape.StylesheetJson = [
  { selector: 'node', style: { label: 'data(label)', 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 4, 'background-color': '#94a3b8', width: 18, height: 18, color: '#0f172a', 'text-wrap': 'ellipsis', 'text-max-width': '140px' } },
  { selector: 'node[role = "subject"]', style: { 'background-color': '#0f172a', width: 26, height: 26, shape: 'diamond' } },
  { selector: 'node[role = "target"]', style: { 'background-color': '#dc2626', width: 22, height: 22, shape: 'round-rectangle' } },
  { selector: 'node[role = "summary"]', style: { 'background-color': '#e2e8f0', 'border-width': 1, 'border-color': '#64748b', shape: 'round-rectangle', width: 60, height: 22, 'text-valign': 'center', 'text-margin-y': 0, 'font-weight': 'bold' } },
  { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#facc15' } },
  { selector: 'edge', style: { width: 1.5, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'line-color': '#94a3b8', 'target-arrow-color': '#94a3b8', label: 'data(type)', 'font-size': 8, 'text-rotation': 'autorotate', color: '#334155', 'text-background-color': '#ffffff', 'text-background-opacity': 0.8 } },
  { selector: 'edge[kind = "declared"]', style: { 'line-style': 'dashed', 'line-color': '#2563eb', 'target-arrow-color': '#2563eb', width: 2 } },
  { selector: 'edge[kind = "observed"]', style: { 'line-style': 'dotted', 'line-color': '#ea580c', 'target-arrow-color': '#ea580c', width: 3 } },
  { selector: 'edge[kind = "both"]', style: { 'line-style': 'solid', 'line-color': '#7c3aed', 'target-arrow-color': '#7c3aed', width: 4 } },
  { selector: 'edge.dim, node.dim', style: { opacity: 0.15 } },
];

/** The legend that goes with every drawing. */
export function legend(): HTMLElement {
  const item = (cls: string, text: string) => h('li', {}, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), text);
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'legend', 'data-testid': 'legend' },
    item('edge-declared', 'declared only (granted, never seen used)'),
    item('edge-observed', 'observed only (seen, no grant on record)'),
    item('edge-both', 'declared and observed'),
    item('edge-structural', 'structural join'),
    item('node-subject', 'subject'),
    item('node-target', 'target'),
  );
}

export interface Drawing {
  cy: cytoscape.Core;
  /** Dims everything but these edges (by `from→type→to` keys) and their nodes; none = undim. */
  highlight(hops: readonly Hop[] | null): void;
}

/**
 * Draws `model` into `container` (registered as `name` for tests). Clicking a node calls `onNode`.
 * When paths were left out at the cap, a summary node "+N more" hangs off the first subject.
 */
export function draw(container: HTMLElement, name: string, model: GraphModel, opts: { onNode?: (id: string) => void; summaryLabel?: string } = {}): Drawing {
  const elements: cytoscape.ElementDefinition[] = [];
  for (const n of model.nodes.values()) elements.push({ group: 'nodes', data: { id: n.id, label: n.label, role: n.role } });
  for (const e of model.edges.values()) elements.push({ group: 'edges', data: { id: e.id, source: e.from, target: e.to, type: e.type, kind: edgeKind(e) } });
  const root = [...model.nodes.values()].find((n) => n.role === 'subject')?.id;
  if (model.hidden > 0) {
    const id = '\u0000summary';
    elements.push({ group: 'nodes', data: { id, label: `+${model.hidden} more${opts.summaryLabel ? ` ${opts.summaryLabel}` : ''}`, role: 'summary' } });
    if (root) elements.push({ group: 'edges', data: { id: `${id}-edge`, source: root, target: id, type: '', kind: 'structural' } });
  }
  container.classList.add('graph');
  const cy = cytoscape({
    container,
    elements,
    style: STYLE,
    layout: { name: 'breadthfirst', directed: true, roots: root ? [root] : undefined, spacingFactor: 1.1, animate: false, padding: 20 } as cytoscape.LayoutOptions,
    minZoom: 0.1,
    maxZoom: 3,
  });
  cy.on('tap', 'node', (ev) => {
    const id = ev.target.id() as string;
    if (id !== '\u0000summary') opts.onNode?.(id);
  });
  window.__reachgraph ??= { graphs: {} };
  window.__reachgraph.graphs[name] = () => ({
    nodes: cy.nodes().map((n) => ({ id: n.id(), label: n.data('label') as string, role: n.data('role') as NodeRole })),
    edges: cy.edges().map((e) => ({ source: e.source().id(), target: e.target().id(), type: e.data('type') as string, kind: e.data('kind') as EdgeKind })),
  });
  return {
    cy,
    highlight(hops) {
      cy.elements().removeClass('dim');
      if (!hops) return;
      const keep = new Set(hops.map((x) => `${x.from}\u0000${x.type}\u0000${x.to}`));
      cy.edges().forEach((e) => {
        if (!keep.has(e.id())) e.addClass('dim');
      });
      const nodes = new Set(hops.flatMap((x) => [x.from, x.to]));
      cy.nodes().forEach((n) => {
        if (!nodes.has(n.id())) n.addClass('dim');
      });
    },
  };
}

/** A graph box plus its legend, ready to be drawn into. */
export function graphBox(testId: string): { root: HTMLElement; canvas: HTMLElement } {
  const canvas = h('div', { class: 'graph-canvas', 'data-testid': testId, role: 'img', 'aria-label': 'graph drawing; the same data is listed below' });
  return { root: h('div', { class: 'graph-box' }, canvas, legend()), canvas };
}

/** One hop as text with its evidence: `from —TYPE→ to  [declared] [observed]  k=v …`. */
export function hopLine(hop: Hop): HTMLElement {
  const kind = edgeKind(hop);
  const evidence = Object.entries(hop.props ?? {}).filter(([, v]) => v !== null && v !== '').map(([k, v]) => [h('span', { class: 'kv' }, h('span', { class: 'k' }, k), '=', typeof v === 'string' ? v : JSON.stringify(v)), ' ']);
  return h(
    'li',
    { class: `hop hop-${kind}` },
    h('code', { class: 'hop-from', title: hop.from }, hop.from),
    h('span', { class: `hop-type edge-${kind}` }, ` —${hop.type}→ `),
    h('code', { class: 'hop-to', title: hop.to }, hop.to),
    ' ',
    h('span', { class: `badge badge-${kind}` }, kind === 'both' ? 'declared + observed' : kind),
    evidence.length ? h('span', { class: 'evidence' }, ' ', evidence) : null,
  );
}
