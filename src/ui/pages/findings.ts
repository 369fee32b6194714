/**
 * Findings with filters by severity, framework and agent (kept in the address, so a filtered list is a
 * link). Each finding opens its evidence: the path drawn and listed hop by hop.
 */
import { gql, HOP_FIELDS, type Hop } from '../api.js';
import { agentRoute, badge, errorLine, h, link, nodeRoute, replace } from '../dom.js';
import { draw, graphBox, GraphModel, hopLine } from '../graph.js';
import type { PageContext } from '../main.js';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
/** Framework names as the findings catalog spells them; the field also takes any other text. */
const FRAMEWORKS = ['OWASP LLM Top 10', 'OWASP Agentic', 'SOC 2', 'PCI DSS', 'HIPAA'];
const PAGE_SIZE = 50;

interface Finding {
  id: string;
  ruleId: string;
  title: string;
  severity: string;
  priority: number;
  subject: { id: string; label: string };
  target: string;
  entry: boolean;
  exercised: boolean;
  status: string;
  frameworks: { framework: string; id: string; name: string | null }[];
  path: Hop[];
}

export async function renderFindings(root: HTMLElement, ctx: PageContext): Promise<void> {
  const sev = (ctx.params.get('severity') ?? '').split(',').filter((s) => SEVERITIES.includes(s));
  const framework = ctx.params.get('framework') ?? '';
  const agent = ctx.params.get('agent') ?? '';
  const status = ctx.params.get('status') ?? 'open';
  const after = ctx.params.get('after') ?? undefined;
  const focus = ctx.params.get('focus');

  const boxes = SEVERITIES.map((s) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'severity', value: s, checked: sev.includes(s) }), ` ${s}`));
  const fwIn = h('input', { id: 'f-framework', list: 'frameworks', value: framework, placeholder: 'any' });
  const agIn = h('input', { id: 'f-agent', value: agent, placeholder: 'any' });
  const stIn = h('select', { id: 'f-status' }, ['open', 'accepted', 'resolved', 'any'].map((s) => h('option', { value: s, selected: s === status }, s)));
  const form = h(
    'form',
    { class: 'filters', 'data-testid': 'findings-filters' },
    h('fieldset', {}, h('legend', {}, 'Severity'), boxes),
    h('label', { for: 'f-framework' }, 'Framework '),
    fwIn,
    h('datalist', { id: 'frameworks' }, FRAMEWORKS.map((f) => h('option', { value: f }))),
    h('label', { for: 'f-agent' }, 'Agent '),
    agIn,
    h('label', { for: 'f-status' }, 'Status '),
    stIn,
    h('button', { type: 'submit' }, 'Filter'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    const checked = boxes.map((b) => b.querySelector('input')!).filter((i) => i.checked).map((i) => i.value);
    if (checked.length) p.set('severity', checked.join(','));
    if (fwIn.value.trim()) p.set('framework', fwIn.value.trim());
    if (agIn.value.trim()) p.set('agent', agIn.value.trim());
    if (stIn.value !== 'open') p.set('status', stIn.value);
    location.hash = `#/findings?${p}`;
  });
  const out = h('div', { 'data-testid': 'findings-results' }, h('p', { class: 'loading' }, 'loading…'));
  const evidence = h('div', { class: 'evidence-panel', 'data-testid': 'finding-evidence', 'aria-live': 'polite' });
  replace(root, h('h1', {}, 'Findings'), form, out, evidence);

  const filter: Record<string, unknown> = {};
  if (sev.length) filter.severity = sev;
  if (framework) filter.framework = framework;
  if (agent) filter.agent = agent;
  if (status !== 'any') filter.status = status;
  try {
    const data = await gql<{ findings: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Finding }[] } }>(
      `query($filter: FindingFilter, $first: Int, $after: String) { findings(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id ruleId title severity priority subject { id label } target entry exercised status frameworks { framework id name } path { ${HOP_FIELDS} } } } } }`,
      // An explicit null: some resolvers read an absent `after` differently from a null one.
      { filter, first: PAGE_SIZE, after: after ?? null },
    );
    if (!ctx.live()) return;
    const { edges, totalCount, pageInfo } = data.findings;
    const showEvidence = (f: Finding) => {
      const model = new GraphModel();
      // The path may start at what the subject runs as (its pod, its role): that start stands for the subject.
      const start = f.path.some((x) => x.from === f.subject.id) || f.path.length === 0 ? f.subject.id : f.path[0]!.from;
      model.addNode(start, 'subject');
      model.addPath(f.path, f.target);
      const box = graphBox('finding-graph');
      replace(evidence, h('h2', {}, 'Evidence: ', f.title), h('p', {}, h('code', {}, f.ruleId), ' ', badge(f.severity), ' subject ', link(nodeRoute(f.subject.id), f.subject.id), ' → target ', link(nodeRoute(f.target), f.target)), box.root, h('ol', { class: 'hops' }, f.path.map(hopLine)));
      draw(box.canvas, 'finding', model, { onNode: (n) => void (location.hash = `#${nodeRoute(n)}`) });
      evidence.scrollIntoView({ block: 'nearest' });
    };
    const rows = edges.map(({ node: f }) => {
      const b = h('button', { type: 'button', class: 'link-button', 'data-testid': `evidence-${f.id}` }, 'evidence');
      b.addEventListener('click', () => showEvidence(f));
      return h(
        'tr',
        { 'data-severity': f.severity },
        h('td', {}, badge(f.severity)),
        h('td', {}, h('code', {}, f.ruleId)),
        h('td', {}, f.title),
        h('td', {}, f.subject.label === 'AIAgent' ? link(agentRoute(f.subject.id), f.subject.id) : link(nodeRoute(f.subject.id), f.subject.id)),
        h('td', {}, h('code', { title: f.target }, f.target)),
        h('td', {}, f.frameworks.map((x) => h('span', { class: 'fw', title: x.name ?? '' }, `${x.framework} ${x.id}`))),
        h('td', {}, f.exercised ? badge('exercised', 'observed') : badge('declared')),
        h('td', {}, badge(f.status)),
        h('td', {}, b),
      );
    });
    const next = new URLSearchParams(ctx.params);
    if (pageInfo.endCursor) next.set('after', pageInfo.endCursor);
    next.delete('focus');
    replace(
      out,
      h('p', {}, `${totalCount} finding${totalCount === 1 ? '' : 's'}`, after ? ' (a later page)' : ''),
      edges.length === 0
        ? h('p', { class: 'empty' }, 'no findings match these filters')
        : h(
            'table',
            { 'data-testid': 'findings-table' },
            h('thead', {}, h('tr', {}, ['severity', 'rule', 'finding', 'subject', 'target', 'frameworks', 'runtime', 'status', ''].map((c) => h('th', { scope: 'col' }, c)))),
            h('tbody', {}, rows),
          ),
      pageInfo.hasNextPage ? h('p', {}, link(`/findings?${next}`, 'next page →')) : null,
    );
    const focused = focus ? edges.find((e) => e.node.id === focus) : undefined;
    if (focused) showEvidence(focused.node);
  } catch (e) {
    replace(out, errorLine(e));
  }
}
