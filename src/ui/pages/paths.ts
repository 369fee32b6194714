/**
 * Path finder: a source (or every entry point) and a target (or any crown jewel); the k shortest
 * attack paths drawn together and listed hop by hop with each edge's evidence. Selecting a path in the
 * list highlights it in the drawing.
 */
import { gql, HOP_FIELDS, type Hop } from '../api.js';
import { badge, errorLine, h, nodeRoute, replace } from '../dom.js';
import { draw, graphBox, GraphModel, hopLine } from '../graph.js';
import type { PageContext } from '../main.js';

interface AttackPath {
  entry: string;
  entryReason: string;
  target: string;
  targetLabel: string;
  targetReason: string;
  length: number;
  observed: boolean;
  score: number;
  path: Hop[];
}

export async function renderPaths(root: HTMLElement, ctx: PageContext): Promise<void> {
  const from = ctx.params.get('from') ?? '';
  const to = ctx.params.get('to') ?? '';
  const k = Math.min(Math.max(Number(ctx.params.get('k') ?? 3) || 3, 1), 20);
  const fromIn = h('input', { id: 'path-from', name: 'from', value: from, placeholder: 'agent, pod, role… (empty: every entry point)', size: 40 });
  const toIn = h('input', { id: 'path-to', name: 'to', value: to, placeholder: 'a node id (empty: any crown jewel)', size: 40 });
  const kIn = h('input', { id: 'path-k', name: 'k', type: 'number', min: 1, max: 20, value: k });
  const form = h(
    'form',
    { class: 'stack', 'data-testid': 'path-form' },
    h('label', { for: 'path-from' }, 'Source '),
    fromIn,
    h('label', { for: 'path-to' }, 'Target '),
    toIn,
    h('label', { for: 'path-k' }, 'Paths (k) '),
    kIn,
    h('button', { type: 'submit' }, 'Find paths'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (fromIn.value.trim()) p.set('from', fromIn.value.trim());
    if (toIn.value.trim()) p.set('to', toIn.value.trim());
    p.set('k', kIn.value || '3');
    const next = `#/paths?${p}`;
    // The same search again still runs (hashchange would not fire).
    if (location.hash === next) void renderPaths(root, ctx);
    else location.hash = next;
  });
  const out = h('div', { 'data-testid': 'path-results' });
  replace(root, h('h1', {}, 'Path finder'), form, out);
  if (!ctx.params.has('k') && !from && !to) {
    replace(out, h('p', {}, 'Give a source and a target, or leave either empty: every entry point, any crown jewel.'));
    fromIn.focus();
    return;
  }
  replace(out, h('p', { class: 'loading' }, 'searching…'));
  try {
    const data = await gql<{ attackPaths: { paths: AttackPath[]; entries: { id: string; label: string }[]; targets: { id: string; label: string }[] } }>(
      `query($from: String, $to: String, $k: Int) { attackPaths(from: $from, to: $to, k: $k) { entries { id label } targets { id label } paths { entry entryReason target targetLabel targetReason length observed score path { ${HOP_FIELDS} } } } }`,
      { from: from || null, to: to || null, k },
    );
    if (!ctx.live()) return;
    const { paths } = data.attackPaths;
    if (paths.length === 0) {
      replace(out, h('p', { class: 'empty', 'data-testid': 'no-paths' }, `no attack path found from ${from || 'any entry point'} to ${to || 'any crown jewel'} (searched ${data.attackPaths.entries.length} entries, ${data.attackPaths.targets.length} targets)`));
      return;
    }
    const model = new GraphModel();
    for (const p of paths) model.addNode(p.entry, 'subject');
    for (const p of paths) model.addPath(p.path, p.target);
    const box = graphBox('path-graph');
    const list = h('ol', { class: 'paths', 'data-testid': 'path-list' });
    replace(out, h('p', {}, `${paths.length} path${paths.length === 1 ? '' : 's'}`), box.root, list);
    const drawing = draw(box.canvas, 'paths', model, { summaryLabel: 'paths', onNode: (n) => void (location.hash = `#${nodeRoute(n)}`) });
    paths.forEach((p, i) => {
      const show = h('button', { type: 'button', 'aria-pressed': 'false', class: 'link-button' }, 'highlight');
      show.addEventListener('click', () => {
        const on = show.getAttribute('aria-pressed') !== 'true';
        for (const b of list.querySelectorAll('button[aria-pressed]')) b.setAttribute('aria-pressed', 'false');
        show.setAttribute('aria-pressed', String(on));
        drawing.highlight(on ? p.path : null);
      });
      list.appendChild(
        h(
          'li',
          { 'data-testid': `path-${i}` },
          h('p', { class: 'path-head' }, h('strong', {}, `${p.length} hop${p.length === 1 ? '' : 's'}, score ${p.score.toFixed(1)} `), p.observed ? badge('exercised at runtime', 'observed') : badge('declared only', 'declared'), ' ', show),
          h('p', { class: 'muted' }, 'entry: ', h('code', {}, p.entry), ` (${p.entryReason}) → target: `, h('code', {}, p.target), ` ${p.targetLabel} (${p.targetReason})`),
          h('ol', { class: 'hops' }, p.path.map(hopLine)),
        ),
      );
    });
  } catch (e) {
    replace(out, errorLine(e));
  }
}
