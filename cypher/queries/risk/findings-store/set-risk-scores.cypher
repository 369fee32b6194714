// Purpose: stores each agent's runtime-weighted risk score (docs/risk.md, "Agent risk score"), which the
// API's agents(orderBy: RISK_DESC) sorts by.
// Params: $rows ([{agent (AIAgent id), score (0-100), open (count of open findings)}]), $now (ISO instant).
// Result: one row {agents (count updated)}.
UNWIND $rows AS row
MATCH (a:AIAgent {id: row.agent})
SET a.riskScore = row.score, a.openFindings = row.open, a.riskScoreAt = $now
RETURN count(a) AS agents
