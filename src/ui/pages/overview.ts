/**
 * Estate overview: agents ranked by runtime-weighted risk (a page at a time: the list never loads the
 * whole estate), their declared vs observed edge counts, the AI-BOM summary from the estate counts,
 * and the top findings.
 */
import { gql, type AgentSummary } from '../api.js';
import { agentRoute, badge, errorLine, h, link, replace, section, table } from '../dom.js';
import type { PageContext } from '../main.js';

const PAGE_SIZE = 25;
/** Stands for "no cursor" (the first page) in the trail of earlier pages. */
const FIRST = '-';

interface AgentsAnswer {
  agents: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: AgentSummary }[] };
}

const AGENTS = `query Agents($first: Int, $after: String, $filter: AgentFilter) {
  agents(first: $first, after: $after, filter: $filter, orderBy: RISK_DESC) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name riskScore observed declaredEdgeCount observedEdgeCount } }
  }
}`;

/** Labels the AI-BOM is made of, in the order the summary lists them. */
const AIBOM_LABELS = ['AIAgent', 'AIModel', 'AIFramework', 'MCPServer', 'MCPTool', 'AICapability', 'VectorStore', 'InferenceServer', 'AIFinding'];

export async function renderOverview(root: HTMLElement, ctx: PageContext): Promise<void> {
  const agents = section('Agents by risk', 'agents');
  const aibom = section('AI-BOM', 'aibom-summary');
  const findings = section('Top findings', 'top-findings');
  replace(root, h('h1', {}, 'Estate overview'), h('div', { class: 'grid' }, agents.root, h('div', {}, aibom.root, findings.root)));
  await Promise.allSettled([agentList(agents.body, ctx), aibomSummary(aibom.body, ctx), topFindings(findings.body, ctx)]);
}

async function agentList(body: HTMLElement, ctx: PageContext): Promise<void> {
  const text = ctx.params.get('q') ?? '';
  // Cursors of the pages before this one, so "previous" needs no backwards query.
  const trail = (ctx.params.get('trail') ?? '').split(',').filter(Boolean);
  const after = ctx.params.get('after') ?? undefined;
  const filterInput = h('input', { type: 'search', id: 'agent-filter', value: text, placeholder: 'name or id', 'aria-label': 'filter agents' });
  const form = h('form', { class: 'inline' }, h('label', { for: 'agent-filter' }, 'Filter '), filterInput, ' ', h('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/?q=${encodeURIComponent(filterInput.value.trim())}`;
  });
  try {
    const data = await gql<AgentsAnswer>(AGENTS, { first: PAGE_SIZE, after: after ?? null, filter: text ? { text } : null });
    if (!ctx.live()) return;
    const { edges, totalCount, pageInfo } = data.agents;
    const at = trail.length * PAGE_SIZE;
    const pageLink = (cursor: string | undefined, nextTrail: string[], label: string, rel: string) => {
      const p = new URLSearchParams();
      if (text) p.set('q', text);
      if (cursor) p.set('after', cursor);
      if (nextTrail.length) p.set('trail', nextTrail.join(','));
      return link(`/?${p}`, label, { rel, 'data-testid': `agents-${rel}` });
    };
    const pager = h(
      'div',
      { class: 'pager' },
      `${totalCount === 0 ? 0 : at + 1}–${at + edges.length} of ${totalCount} `,
      trail.length > 0 ? pageLink(trail.at(-1) === FIRST ? undefined : trail.at(-1), trail.slice(0, -1), '← previous', 'prev') : null,
      ' ',
      pageInfo.hasNextPage && pageInfo.endCursor ? pageLink(pageInfo.endCursor, [...trail, after ?? FIRST], 'next →', 'next') : null,
    );
    replace(
      body,
      form,
      table(
        ['#', 'agent', 'risk', 'declared edges', 'observed edges', 'runtime'],
        edges,
        (e) => {
          const i = edges.indexOf(e);
          return [String(at + i + 1), link(agentRoute(e.node.id), e.node.name || e.node.id, { title: e.node.id }), e.node.riskScore.toFixed(1), String(e.node.declaredEdgeCount), String(e.node.observedEdgeCount), e.node.observed ? badge('observed') : badge('declared only', 'declared')];
        },
        { testId: 'agents-table', empty: 'no agents match' },
      ),
      pager,
    );
  } catch (e) {
    replace(body, form, errorLine(e));
  }
}

async function aibomSummary(body: HTMLElement, ctx: PageContext): Promise<void> {
  try {
    const data = await gql<{ estate: { label: string; count: number }[] }>('{ estate { label count } }');
    if (!ctx.live()) return;
    const counts = new Map(data.estate.map((e) => [e.label, e.count]));
    const rows = AIBOM_LABELS.map((l) => ({ label: l, count: counts.get(l) ?? 0 }));
    const declared = [...counts].filter(([l]) => !AIBOM_LABELS.includes(l) && l !== 'SchemaVersion');
    replace(
      body,
      table(['kind', 'count'], rows, (r) => [r.label, String(r.count)], { testId: 'aibom-table' }),
      h('details', {}, h('summary', {}, `all labels (${declared.length} more)`), table(['label', 'count'], declared, ([l, c]) => [l, String(c)])),
    );
  } catch (e) {
    replace(body, errorLine(e));
  }
}

interface FindingRow {
  id: string;
  title: string;
  severity: string;
  subject: { id: string; label: string };
  target: string;
}

async function topFindings(body: HTMLElement, ctx: PageContext): Promise<void> {
  try {
    const data = await gql<{ findings: { totalCount: number; edges: { node: FindingRow }[] } }>(`{ findings(first: 8, after: null, filter: { status: "open" }) { totalCount edges { node { id title severity subject { id label } target } } } }`);
    if (!ctx.live()) return;
    replace(
      body,
      table(['severity', 'finding', 'subject'], data.findings.edges, ({ node: f }) => [badge(f.severity), link(`/findings?agent=${encodeURIComponent(f.subject.id)}&focus=${encodeURIComponent(f.id)}`, f.title), f.subject.label === 'AIAgent' ? link(agentRoute(f.subject.id), f.subject.id) : f.subject.id], { testId: 'top-findings-table', empty: 'no open findings' }),
      h('p', {}, link('/findings', `all ${data.findings.totalCount} findings →`)),
    );
  } catch (e) {
    replace(body, errorLine(e));
  }
}
