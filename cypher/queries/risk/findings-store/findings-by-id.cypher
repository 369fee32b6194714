// Purpose: stored findings by id (an acceptance's answer, `reachgraph findings show`), status computed at $now.
// Params: $ids ([finding id]), $now (ISO instant).
// Result: rows {finding (properties), status, acceptances ([RiskAcceptance properties], newest first)}.
UNWIND $ids AS id
MATCH (f:Finding {id: id})
CALL (f) {
  OPTIONAL MATCH (r:RiskAcceptance)-[:ACCEPTS]->(f)
  WITH r ORDER BY r.at DESC
  RETURN collect(r {.*}) AS acceptances
}
RETURN f {.*} AS finding, CASE WHEN f.status = 'resolved' THEN 'resolved' WHEN f.acceptedUntil > $now THEN 'accepted' ELSE 'open' END AS status, acceptances
