// Purpose: the priorities of each agent's open findings (not resolved, no acceptance running past $now),
// from which the refresh and an acceptance compute the agent's riskScore (src/risk/finding-state.ts).
// Params: $agents (AIAgent ids, or null for every AIAgent), $now (ISO instant).
// Result: rows {agent (id), priorities [int]}; an agent without open findings has [].
MATCH (a:AIAgent)
WHERE $agents IS NULL OR a.id IN $agents
// f has no label on purpose (only a Finding is FINDING_OF anything): with `f:Finding`, a plan made while
// the statistics still counted no Findings (a refresh straight after its own merge on a fresh graph) scanned
// every Finding once per agent: 249 s for 10,000 agents and 31,500 findings in bench:risk, 1 s otherwise.
// Unlabelled, the only plan expands from each agent.
OPTIONAL MATCH (a)<-[:FINDING_OF]-(f)
WHERE f.status <> 'resolved' AND (f.acceptedUntil IS NULL OR f.acceptedUntil <= $now)
RETURN a.id AS agent, collect(f.priority) AS priorities
