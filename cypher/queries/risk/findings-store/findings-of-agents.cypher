// Purpose: the current (not resolved) stored findings of many agents at once, for the API's Agent.findings
// (one query per page of agents, through a DataLoader). Status computed at $now as in list-findings.
// Params: $agents ([AIAgent id]), $now (ISO instant).
// Result: rows {agent, finding (properties), status, acceptances ([RiskAcceptance properties], newest first)},
//   highest priority first per agent.
UNWIND $agents AS agent
MATCH (f:Finding {subjectId: agent})
WHERE f.status <> 'resolved'
CALL (f) {
  OPTIONAL MATCH (r:RiskAcceptance)-[:ACCEPTS]->(f)
  WITH r ORDER BY r.at DESC
  RETURN collect(r {.*}) AS acceptances
}
RETURN agent, f {.*} AS finding, CASE WHEN f.acceptedUntil > $now THEN 'accepted' ELSE 'open' END AS status, acceptances
ORDER BY agent, f.priority DESC, f.id ASC
