// Purpose: NetworkPolicy exposure to and from addresses outside the cluster, per pod of one cluster
// (edges stored on a pod or on its workload, reached through OWNED_BY, 0 to 3 hops).
// Params: $cluster (pod ids start with "$cluster/").
// Result: rows {pod, direction ('egress' | 'ingress'), cidr, except, protocol, port, endPort} ordered by pod, direction, cidr, protocol, port.
MATCH (g)-[r:MAY_CONNECT]-(b:IPBlock)
WHERE g:K8sPod OR g:K8sWorkload
MATCH (p:K8sPod)-[:OWNED_BY*0..3]->(g)
WHERE p.id STARTS WITH $cluster + '/'
RETURN p.id AS pod,
       CASE WHEN startNode(r) = g THEN 'egress' ELSE 'ingress' END AS direction,
       b.id AS cidr, coalesce(r.except, []) AS except, r.protocol AS protocol, r.port AS port, r.endPort AS endPort
ORDER BY pod, direction, cidr, protocol, port
