// Purpose: the Kubernetes service accounts the graph knows for one cluster, to expand wildcard
// `sub` conditions of IRSA trust policies.
// Params: $cluster (cluster name; service account ids are <cluster>/<namespace>/<name>).
// Result: rows {id}.
MATCH (sa:K8sServiceAccount)
WHERE sa.id STARTS WITH $cluster + '/'
RETURN sa.id AS id
ORDER BY id
