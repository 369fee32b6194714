// Purpose: the priorities of each agent's open findings (not resolved, no acceptance running past $now),
// from which the refresh and an acceptance compute the agent's riskScore (src/risk/finding-state.ts).
// Params: $agents (AIAgent ids, or null for every AIAgent), $now (ISO instant).
// Result: rows {agent (id), priorities [int]}; an agent without open findings has [].
MATCH (a:AIAgent)
WHERE $agents IS NULL OR a.id IN $agents
OPTIONAL MATCH (f:Finding)-[:FINDING_OF]->(a)
WHERE f.status <> 'resolved' AND (f.acceptedUntil IS NULL OR f.acceptedUntil <= $now)
RETURN a.id AS agent, collect(f.priority) AS priorities
