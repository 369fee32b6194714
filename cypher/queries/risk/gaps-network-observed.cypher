// Purpose: a subject's observed outbound connections, each joined to the pods behind the address
// (ADDRESS_OF: pod IP, Service ClusterIP through its EndpointSlices, EndpointSlice endpoint) and to the
// NetworkPolicy edges that could allow it: direct MAY_CONNECT from the subject's pods/workloads to the
// peer's pod or workload, and the peer's ingress hub edge (K8sCluster)->(peer).
// Params: $anchors (elementIds from risk/subject-anchors).
// Result: rows {workload, endpoint, address, port, protocol, count, firstSeen, lastSeen, peers, direct, ingressHub};
// peers = ids of the pods and their owner workloads behind the address ([] outside the cluster).
MATCH (w) WHERE elementId(w) IN $anchors AND w:Workload
MATCH (w)-[c:DID_CONNECT]->(e:NetEndpoint)
CALL (e) {
  OPTIONAL MATCH (e)-[:ADDRESS_OF]->(x)
  OPTIONAL MATCH (x:K8sService)<-[:OWNED_BY]-(:K8sEndpointSlice)-[:ROUTES_TO]->(bp:K8sPod)
  WITH collect(DISTINCT CASE WHEN x:K8sPod THEN x END) + collect(DISTINCT bp) AS pods
  UNWIND CASE WHEN size(pods) = 0 THEN [null] ELSE pods END AS pod
  OPTIONAL MATCH (pod)-[:OWNED_BY]->{0,3}(g)
  RETURN collect(DISTINCT g) AS groups
}
CALL (groups) {
  UNWIND CASE WHEN size(groups) = 0 THEN [null] ELSE groups END AS g
  OPTIONAL MATCH (a)-[d:MAY_CONNECT]->(g) WHERE elementId(a) IN $anchors
  OPTIONAL MATCH (:K8sCluster)-[h:MAY_CONNECT]->(g)
  RETURN collect(DISTINCT d {.protocol, .port, .endPort, to: g.id}) AS direct, collect(DISTINCT h {.protocol, .port, .endPort, to: g.id}) AS ingressHub
}
RETURN w.id AS workload, e.id AS endpoint, coalesce(e.address, split(e.id, ':')[0]) AS address, c.port AS port, c.protocol AS protocol, c.count AS count,
       toString(c.firstSeen) AS firstSeen, toString(c.lastSeen) AS lastSeen, [g IN groups | g.id] AS peers, direct, ingressHub
ORDER BY workload, endpoint, port
