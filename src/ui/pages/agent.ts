/**
 * Agent view: who the agent acts as, its blast radius drawn (declared-only, observed-only and both told
 * apart), the gaps between granted and done, its AI-BOM (confirmed / undeclared / dormant) and its drift
 * timeline. Each section is its own query, so one failing section leaves the others readable.
 */
import { gql, HOP_FIELDS, type AgentSummary, type Hop } from '../api.js';
import { badge, cellText, errorLine, h, link, nodeRoute, replace, section, table } from '../dom.js';
import { draw, graphBox, GraphModel, hopLine } from '../graph.js';
import type { PageContext } from '../main.js';

interface AgentHead extends AgentSummary {
  identities: { id: string; label: string }[];
}
interface BlastTarget {
  id: string;
  label: string;
  kind: string;
  reason: string;
  score: number;
  observed: boolean;
  path: Hop[];
}

const MODES = ['BOTH', 'DECLARED', 'OBSERVED'] as const;

export async function renderAgent(root: HTMLElement, ctx: PageContext): Promise<void> {
  const id = ctx.segments[0] ?? '';
  const mode = (MODES as readonly string[]).includes(ctx.params.get('mode') ?? '') ? ctx.params.get('mode')! : 'BOTH';
  const head = h('div', { 'data-testid': 'agent-head' }, h('h1', {}, 'Agent ', h('code', {}, id)));
  const blast = section('Blast radius', 'blast-radius');
  const gapsS = section('Gaps: granted but unused, done but undeclared', 'gaps');
  const bom = section('AI-BOM', 'aibom');
  const drift = section('Drift timeline', 'drift');
  replace(root, head, blast.root, gapsS.root, bom.root, drift.root);
  const vars = { id };
  await Promise.allSettled([
    agentHead(head, id, ctx),
    blastRadius(blast.body, id, mode, ctx),
    gaps(gapsS.body, vars, ctx),
    aiBom(bom.body, vars, ctx),
    driftTimeline(drift.body, vars, ctx),
  ]);
}

async function agentHead(el: HTMLElement, id: string, ctx: PageContext): Promise<void> {
  try {
    const { agent } = await gql<{ agent: AgentHead | null }>(`query($id: ID!) { agent(id: $id) { id name riskScore observed declaredEdgeCount observedEdgeCount identities { id label } } }`, { id });
    if (!ctx.live()) return;
    if (!agent) return replace(el, h('h1', {}, 'Agent ', h('code', {}, id)), h('p', { class: 'error', role: 'alert' }, `no agent or subject "${id}" in the graph`));
    replace(
      el,
      h('h1', {}, agent.name || agent.id),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'id'),
        h('dd', {}, h('code', {}, agent.id)),
        h('dt', {}, 'risk'),
        h('dd', {}, agent.riskScore.toFixed(1)),
        h('dt', {}, 'edges'),
        h('dd', {}, `${agent.declaredEdgeCount} declared, ${agent.observedEdgeCount} observed `, agent.observed ? badge('observed') : badge('no runtime data', 'declared')),
        h('dt', {}, 'acts as'),
        h('dd', {}, h('ul', { class: 'plain' }, agent.identities.map((i) => h('li', {}, badge(i.label, 'label'), ' ', link(nodeRoute(i.id), i.id))))),
      ),
      h('p', {}, link(`/findings?agent=${encodeURIComponent(agent.id)}`, 'findings of this agent →'), ' · ', link(`/paths?from=${encodeURIComponent(agent.id)}`, 'attack paths from here →')),
    );
  } catch (e) {
    append(el, errorLine(e));
  }
}

function append(el: HTMLElement, child: Node): void {
  el.appendChild(child);
}

async function blastRadius(body: HTMLElement, id: string, mode: string, ctx: PageContext): Promise<void> {
  const select = h('select', { id: 'blast-mode', 'aria-label': 'edges walked' }, MODES.map((m) => h('option', { value: m, selected: m === mode }, m.toLowerCase())));
  select.addEventListener('change', () => {
    location.hash = `#/agent/${encodeURIComponent(id)}?mode=${select.value}`;
  });
  const controls = h('p', { class: 'inline' }, h('label', { for: 'blast-mode' }, 'Walk '), select);
  try {
    const data = await gql<{ agent: { blastRadius: { complete: boolean; coverage: string | null; anchors: { id: string; label: string }[]; targets: BlastTarget[] } } | null }>(
      `query($id: ID!, $mode: BlastMode) { agent(id: $id) { blastRadius(mode: $mode) { complete coverage anchors { id label } targets { id label kind reason score observed path { ${HOP_FIELDS} } } } } }`,
      { id, mode },
    );
    if (!ctx.live()) return;
    if (!data.agent) return replace(body, controls, h('p', { class: 'empty' }, 'unknown agent'));
    const br = data.agent.blastRadius;
    const targets = [...br.targets].sort((a, b) => b.score - a.score);
    const model = new GraphModel();
    model.addNode(id, 'subject');
    for (const a of br.anchors) model.addNode(a.id);
    for (const t of targets) model.addPath(t.path, t.id);
    const box = graphBox('blast-graph');
    const detail = h('div', { class: 'detail', 'aria-live': 'polite' });
    const showTarget = (t: BlastTarget) => {
      drawing.highlight(t.path);
      replace(detail, h('h3', {}, `${t.kind}: `, h('code', {}, t.id)), h('p', {}, t.reason), h('ol', { class: 'hops' }, t.path.map(hopLine)));
    };
    replace(
      body,
      controls,
      h('p', {}, `${targets.length} targets reachable`, br.complete ? '' : ' (search stopped early: the answer may be incomplete)', br.coverage ? `; coverage: ${br.coverage}` : '', model.hidden ? `; the drawing shows the ${targets.length - model.hidden} highest-scoring, "+${model.hidden} more" stands for the rest` : ''),
      box.root,
      detail,
    );
    const drawing = draw(box.canvas, 'blast', model, { summaryLabel: 'targets', onNode: (n) => void (location.hash = `#${nodeRoute(n)}`) });
    body.appendChild(
      table(
        ['score', 'target', 'kind', 'reason', 'hops', 'runtime', ''],
        targets,
        (t) => {
          const b = h('button', { type: 'button', class: 'link-button' }, 'show path');
          b.addEventListener('click', () => showTarget(t));
          return [t.score.toFixed(1), link(nodeRoute(t.id), t.id), t.kind, t.reason, String(t.path.length), t.observed ? badge('observed') : badge('declared'), b];
        },
        { testId: 'blast-table', empty: 'no sensitive targets reachable' },
      ),
    );
  } catch (e) {
    replace(body, controls, errorLine(e));
  }
}

async function gaps(body: HTMLElement, vars: { id: string }, ctx: PageContext): Promise<void> {
  try {
    const data = await gql<{
      agent: {
        gaps: {
          window: { from: string; to: string } | null;
          grantedUnused: { domain: string; subject: string; grant: string; status: string; reason: string }[];
          doneUndeclared: { domain: string; subject: string; observed: string; detail: string; count: number | null; lastSeen: string | null }[];
        };
      } | null;
    }>(`query($id: ID!) { agent(id: $id) { gaps { window { from to } grantedUnused { domain subject grant status reason } doneUndeclared { domain subject observed detail count lastSeen } } } }`, vars);
    if (!ctx.live()) return;
    if (!data.agent) return replace(body, h('p', { class: 'empty' }, 'unknown agent'));
    const g = data.agent.gaps;
    replace(
      body,
      g.window ? h('p', {}, `observation window ${g.window.from} – ${g.window.to}`) : h('p', {}, 'no observation window: nothing observed for this agent'),
      h('h3', {}, 'Granted, not used'),
      table(['domain', 'grant', 'status', 'why'], g.grantedUnused, (r) => [r.domain, h('code', {}, r.grant), badge(r.status), r.reason], { testId: 'gaps-unused', empty: 'every grant was used' }),
      h('h3', {}, 'Done, not declared'),
      table(['domain', 'observed', 'detail', 'count', 'last seen'], g.doneUndeclared, (r) => [r.domain, h('code', {}, r.observed), r.detail, cellText(r.count), cellText(r.lastSeen)], { testId: 'gaps-undeclared', empty: 'nothing observed outside the grants' }),
    );
  } catch (e) {
    replace(body, errorLine(e));
  }
}

async function aiBom(body: HTMLElement, vars: { id: string }, ctx: PageContext): Promise<void> {
  try {
    const data = await gql<{ agent: { aiBom: { components: { id: string; kind: string; name: string; version: string | null; status: string }[]; undeclared: string[]; dormant: string[] } } | null }>(
      `query($id: ID!) { agent(id: $id) { aiBom { components { id kind name version status } undeclared dormant } } }`,
      vars,
    );
    if (!ctx.live()) return;
    if (!data.agent) return replace(body, h('p', { class: 'empty' }, 'unknown agent'));
    const { components } = data.agent.aiBom;
    const counts = ['confirmed', 'undeclared', 'dormant', 'declared'].map((s) => `${components.filter((c) => c.status === s).length} ${s}`).join(', ');
    replace(
      body,
      h('p', {}, counts),
      table(['status', 'kind', 'name', 'version'], components, (c) => [badge(c.status), c.kind, link(nodeRoute(c.id), c.name, { title: c.id }), c.version ?? ''], { testId: 'aibom-components', empty: 'no AI-BOM components' }),
    );
  } catch (e) {
    replace(body, errorLine(e));
  }
}

async function driftTimeline(body: HTMLElement, vars: { id: string }, ctx: PageContext): Promise<void> {
  try {
    const data = await gql<{ agent: { drift: { id: string; kind: string; target: string; severity: string; classification: string; firstSeen: string; count: number }[] } | null }>(
      `query($id: ID!) { agent(id: $id) { drift(limit: 50) { id kind target severity classification firstSeen count } } }`,
      vars,
    );
    if (!ctx.live()) return;
    if (!data.agent) return replace(body, h('p', { class: 'empty' }, 'unknown agent'));
    const events = [...data.agent.drift].sort((a, b) => b.firstSeen.localeCompare(a.firstSeen));
    replace(
      body,
      events.length === 0
        ? h('p', { class: 'empty' }, 'no drift: nothing observed outside the baseline (or no baseline locked)')
        : h(
            'ol',
            { class: 'timeline', 'data-testid': 'drift-list' },
            events.map((d) => h('li', {}, h('time', { datetime: d.firstSeen }, d.firstSeen), ' ', badge(d.severity), ' ', d.kind, ' → ', link(nodeRoute(d.target), d.target), ' ', badge(d.classification), d.count > 1 ? ` ×${d.count}` : '')),
          ),
    );
  } catch (e) {
    replace(body, errorLine(e));
  }
}
