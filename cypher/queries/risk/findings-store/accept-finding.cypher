// Purpose: records one risk acceptance: a new RiskAcceptance node (who, when, why, until when) that ACCEPTS
// the finding, kept for good as the audit trail. The latest acceptance (by `at`) sets the finding's
// acceptedUntil, so the finding reads `accepted` until then and `open` after (unless resolved meanwhile).
// Params: $findingId, $acceptanceId (new random id), $by, $at, $reason, $expires (ISO instants).
// Result: zero or one row {id, status}.
MATCH (f:Finding {id: $findingId})
WHERE f.status <> 'resolved'
CREATE (r:RiskAcceptance {id: $acceptanceId, findingId: f.id, by: $by, at: $at, reason: $reason, expires: $expires})
CREATE (r)-[:ACCEPTS]->(f)
WITH f, CASE WHEN EXISTS { (o:RiskAcceptance)-[:ACCEPTS]->(f) WHERE o.at > $at } THEN f.acceptedUntil ELSE $expires END AS until
SET f.acceptedUntil = until, f.status = CASE WHEN until > $at THEN 'accepted' ELSE 'open' END
RETURN f.id AS id, f.status AS status
