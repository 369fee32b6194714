// Purpose: what `iam can` needs to evaluate one principal from the graph: its kind and account,
// and every policy document that applies (direct, via groups, the boundary).
// Params: $arn (user or role ARN).
// Result: one row {kind, accountId, name, policies: [{name, kind, document}]} or no row.
MATCH (p) WHERE (p:AWSUser OR p:AWSRole) AND p.id = $arn
OPTIONAL MATCH (p)-[h:HAS_POLICY]->(pol:AWSPolicy)
WITH p, collect(CASE WHEN pol IS NULL THEN null ELSE {name: pol.id, kind: h.kind, document: pol.document} END) AS direct
OPTIONAL MATCH (p)-[:MEMBER_OF]->(:AWSGroup)-[h2:HAS_POLICY]->(gpol:AWSPolicy)
WITH p, direct, collect(CASE WHEN gpol IS NULL THEN null ELSE {name: gpol.id, kind: h2.kind, document: gpol.document} END) AS viaGroups
RETURN CASE WHEN p:AWSUser THEN 'user' ELSE 'role' END AS kind, p.accountId AS accountId, p.name AS name,
       direct + viaGroups AS policies
