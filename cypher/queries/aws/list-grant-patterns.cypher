// Purpose: the resource patterns the account's principals are granted on (MAY_ACCESS targets), to
// link them to the concrete resources they reach. NotResource patterns ("NOT a,b") are left out.
// Params: $accountId (12-digit account id).
// Result: rows {id, pattern}.
MATCH (p)-[:MAY_ACCESS]->(r:AWSResource)
WHERE (p:AWSUser OR p:AWSRole) AND p.accountId = $accountId AND NOT r.id STARTS WITH 'NOT '
RETURN DISTINCT r.id AS id, coalesce(r.pattern, r.id) AS pattern
ORDER BY id
