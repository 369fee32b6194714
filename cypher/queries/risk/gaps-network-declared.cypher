// Purpose: the egress a subject is granted by NetworkPolicy: MAY_CONNECT edges leaving its pods and
// workloads, towards a pod or workload (direct), any pod (the K8sCluster hub) or a CIDR (IPBlock).
// Params: $anchors (elementIds from risk/subject-anchors).
// Result: rows {from, to, toLabel, protocol, port, endPort, except}, ordered.
MATCH (a)-[m:MAY_CONNECT]->(t) WHERE elementId(a) IN $anchors AND (a:K8sPod OR a:K8sWorkload)
RETURN a.id AS from, t.id AS to, labels(t)[0] AS toLabel, m.protocol AS protocol, m.port AS port, m.endPort AS endPort, coalesce(m.except, []) AS except
ORDER BY from, to, protocol, port
