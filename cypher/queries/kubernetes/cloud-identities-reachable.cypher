// Purpose: cloud identities (IRSA roles, GKE/Azure identities) reachable from a Kubernetes subject through attack edges.
// Params: $id (id of the starting K8sServiceAccount, K8sUser, K8sGroup, K8sPod or K8sNode), $maxHops (path length bound, 1..6).
// Result: one row per reachable cloud identity: identity (id), hops (shortest), via (ids along one shortest path).
MATCH (start {id: $id})
MATCH p = (start)-[:MAY_ACT_AS*0..6]->(sa:K8sServiceAccount)-[:LINKED_IDENTITY]->(c)
WHERE length(p) <= $maxHops
WITH c, p ORDER BY length(p)
WITH c, collect(p)[0] AS best
RETURN c.id AS identity, length(best) AS hops, [n IN nodes(best) | n.id] AS via
ORDER BY hops, identity
