// Purpose: what a minimal egress NetworkPolicy for a subject needs: its pods (namespace, labels, top
// owner) and every observed outbound connection with the port, protocol and, for in-cluster peers,
// the peer pods' namespace and labels (through ADDRESS_OF, Services through their EndpointSlices).
// Params: $anchors (elementIds from risk/subject-anchors).
// Result: rows {pod, namespace, labels, workload, address, port, protocol, peers [{namespace, labels}]}; a pod without
// observed connections has one row with address null.
MATCH (p) WHERE elementId(p) IN $anchors AND p:K8sPod
OPTIONAL MATCH (p)<-[:PART_OF]-(:Workload)-[c:DID_CONNECT]->(e:NetEndpoint)
CALL (e) {
  OPTIONAL MATCH (e)-[:ADDRESS_OF]->(x)
  OPTIONAL MATCH (x:K8sService)<-[:OWNED_BY]-(:K8sEndpointSlice)-[:ROUTES_TO]->(bp:K8sPod)
  WITH collect(DISTINCT CASE WHEN x:K8sPod THEN x END) + collect(DISTINCT bp) AS pods
  RETURN [q IN pods | {namespace: q.namespace, labels: coalesce(q.labels, [])}] AS peers
}
RETURN p.id AS pod, p.namespace AS namespace, coalesce(p.labels, []) AS labels, p.workload AS workload,
       coalesce(e.address, split(e.id, ':')[0]) AS address, c.port AS port, c.protocol AS protocol, peers
ORDER BY pod, address, port
