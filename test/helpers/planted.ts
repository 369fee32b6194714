/**
 * The risk engine's answers next to a generated estate's planted ones (src/demo/generate.ts answers),
 * per agent, as `{got, want}` maps a test compares with toEqual: the graph and the raw estate tests share them.
 */
import type { Graph } from '../../src/graph/driver.js';
import type { AgentAnswer } from '../../src/demo/generate.js';
import { blastRadius, findings, gaps, resolveSubject } from '../../src/risk/run.js';

export interface Compared<T> {
  got: Record<string, T>;
  want: Record<string, T>;
}

/** Whether each agent's declared identity blast radius reaches the admin role. */
export async function adminReach(graph: Graph, answers: AgentAnswer[], admin: string): Promise<Compared<boolean>> {
  const out: Compared<boolean> = { got: {}, want: {} };
  for (const a of answers) {
    const r = await blastRadius(graph, await resolveSubject(graph, a.agent), { mode: 'declared', depth: 6, domains: ['identity'] });
    out.got[a.agent] = r.targets.some((t) => t.target === admin);
    out.want[a.agent] = a.reachesAdmin;
  }
  return out;
}

/** Each agent's unused IAM actions (sorted), undeclared connections and unused egress with its status. */
export async function plantedGaps(graph: Graph, answers: AgentAnswer[]): Promise<Compared<unknown>> {
  const out: Compared<unknown> = { got: {}, want: {} };
  for (const a of answers) {
    const g = await gaps(graph, await resolveSubject(graph, a.agent));
    out.got[a.agent] = {
      unusedIam: g.grantedUnused.filter((x) => x.domain === 'iam' && x.status === 'unused').map((x) => x.grant).sort(),
      undeclaredNetwork: g.doneUndeclared.filter((x) => x.domain === 'network').map((x) => x.observed),
      network: g.grantedUnused.filter((x) => x.domain === 'network').map((x) => `${x.grant} ${x.status}`),
    };
    out.want[a.agent] = { unusedIam: [...a.unusedIam].sort(), undeclaredNetwork: a.undeclaredNetwork, network: a.unusedNetwork.map((n) => `${n} ${a.partialCoverage ? 'unknown' : 'unused'}`) };
  }
  return out;
}

/** Whether each agent has RG-001 (escalation to an admin role) towards the admin role. */
export async function rg001(graph: Graph, answers: AgentAnswer[], admin: string): Promise<Compared<boolean>> {
  const out: Compared<boolean> = { got: {}, want: {} };
  for (const a of answers) {
    const r = await findings(graph, { subject: a.agent });
    out.got[a.agent] = r.findings.some((f) => f.ruleId === 'RG-001' && f.target === admin);
    out.want[a.agent] = a.reachesAdmin;
  }
  return out;
}
