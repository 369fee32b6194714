// Purpose: every node a Kubernetes sync of one cluster wrote (tests, exports, secret-leak checks).
// Params: $source (e.g. 'kubernetes'), $scope (cluster name).
// Result: one row per node: labels, id, props (all stored properties).
MATCH (n)
WHERE n.source = $source AND n.scope = $scope
RETURN labels(n) AS labels, n.id AS id, properties(n) AS props
ORDER BY id
