// Purpose: every relationship a Kubernetes sync of one cluster wrote.
// Params: $source (e.g. 'kubernetes'), $scope (cluster name).
// Result: one row per relationship: type, from (id), to (id), props (all stored properties).
MATCH (a)-[r]->(b)
WHERE r.source = $source AND r.scope = $scope
RETURN type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props
ORDER BY type, from, to
