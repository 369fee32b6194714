// Purpose: expand the stored NetworkPolicy verdicts of one cluster into pod-to-pod port ranges.
// Edges sit on a pod or on its workload (reached through OWNED_BY, 0 to 3 hops). A pair of distinct
// pods is allowed on the intersection of the source's egress hub edge (->K8sCluster) and the
// destination's ingress hub edge (K8sCluster->), plus the direct edges between their nodes; the
// two parts are disjoint except where a direct edge is ANY.
// Params: $cluster (K8sCluster id; pod ids start with "$cluster/"), $src, $dst (pod ids, or null for all).
// Result: rows {src, dst, protocol, port, endPort, via} ordered by src, dst, protocol, port;
// protocol "ANY" means every protocol and port.
MATCH (c:K8sCluster {id: $cluster})
CALL {
  WITH c
  MATCH (sg)-[a:MAY_CONNECT]->(c)-[b:MAY_CONNECT]->(dg)
  WHERE (a.protocol = b.protocol OR a.protocol = 'ANY' OR b.protocol = 'ANY')
    AND a.port <= b.endPort AND b.port <= a.endPort
  MATCH (s:K8sPod)-[:OWNED_BY*0..3]->(sg)
  WHERE s.id STARTS WITH c.id + '/' AND ($src IS NULL OR s.id = $src)
  MATCH (d:K8sPod)-[:OWNED_BY*0..3]->(dg)
  WHERE d <> s AND d.id STARTS WITH c.id + '/' AND ($dst IS NULL OR d.id = $dst)
  RETURN s.id AS src, d.id AS dst,
         CASE WHEN a.protocol = 'ANY' THEN b.protocol ELSE a.protocol END AS protocol,
         CASE WHEN a.port > b.port THEN a.port ELSE b.port END AS port,
         CASE WHEN a.endPort < b.endPort THEN a.endPort ELSE b.endPort END AS endPort,
         'cluster' AS via
  UNION ALL
  WITH c
  MATCH (sg)-[r:MAY_CONNECT]->(dg)
  WHERE (sg:K8sPod OR sg:K8sWorkload) AND (dg:K8sPod OR dg:K8sWorkload) AND sg.id STARTS WITH c.id + '/'
  MATCH (s:K8sPod)-[:OWNED_BY*0..3]->(sg)
  WHERE s.id STARTS WITH c.id + '/' AND ($src IS NULL OR s.id = $src)
  MATCH (d:K8sPod)-[:OWNED_BY*0..3]->(dg)
  WHERE d <> s AND d.id STARTS WITH c.id + '/' AND ($dst IS NULL OR d.id = $dst)
  RETURN s.id AS src, d.id AS dst, r.protocol AS protocol, r.port AS port, r.endPort AS endPort, 'direct' AS via
}
RETURN src, dst, protocol, port, endPort, via
ORDER BY src, dst, protocol, port
