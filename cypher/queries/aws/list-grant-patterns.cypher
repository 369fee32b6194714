// Purpose: the resource patterns the account's principals are granted on (MAY_ACCESS targets), to
// link them to the concrete resources they reach. A NotResource pattern ("NOT a,b") comes with its
// excluded patterns as a list (notResource); it reaches everything those do not cover.
// Params: $accountId (12-digit account id).
// Result: rows {id, pattern, notResource (list or null)}.
MATCH (p)-[:MAY_ACCESS]->(r:AWSResource)
WHERE (p:AWSUser OR p:AWSRole) AND p.accountId = $accountId
RETURN DISTINCT r.id AS id, coalesce(r.pattern, r.id) AS pattern, r.notResource AS notResource
ORDER BY id
