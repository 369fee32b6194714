// Purpose: the RBAC half of a subject's gaps: each of its service accounts with the requests the API
// server's audit log recorded (DID_REQUEST, collect k8s-audit, with first and last time), the audit
// windows of its cluster with the audit policy each log was written under, and the rules it holds
// today through bindings to it or to its groups.
// Params: $anchors (elementIds from risk/subject-anchors).
// Result: rows {serviceAccount, cluster, namespace, name, requests [{verb, apiGroup, resource,
// subresource, namespace, path, allowed, count, firstSeen, lastSeen}], windows [{id, from, to, events,
// policy (JSON text or null)}], grants [{binding, bindingKind, bindingNamespace, role, rules (JSON text)}]}.
MATCH (sa) WHERE elementId(sa) IN $anchors AND sa:K8sServiceAccount
CALL (sa) {
  OPTIONAL MATCH (sa)-[r:DID_REQUEST]->()
  RETURN collect(CASE WHEN r IS NOT NULL THEN {verb: r.verb, apiGroup: r.apiGroup, resource: r.resource, subresource: r.subresource,
                      namespace: r.namespace, path: r.path, allowed: r.allowed, count: r.count,
                      firstSeen: toString(r.firstSeen), lastSeen: toString(r.lastSeen)} END) AS requests
}
CALL (sa) {
  // From the cluster (an id lookup), not from Coverage: sensor windows are many and never cover a cluster.
  OPTIONAL MATCH (:K8sCluster {id: sa.cluster})<-[:COVERS]-(c:Coverage {kind: 'k8s-audit'})
  RETURN collect(CASE WHEN c IS NOT NULL THEN {id: c.id, from: toString(c.from), to: toString(c.to), events: c.events, policy: c.auditPolicy} END) AS windows
}
CALL (sa) {
  OPTIONAL MATCH (sa)-[:MEMBER_OF*0..1]->(holder)<-[:BINDS]-(b)-[:GRANTS]->(role)
  WHERE b:K8sRoleBinding OR b:K8sClusterRoleBinding
  RETURN collect(DISTINCT CASE WHEN b IS NOT NULL THEN {binding: b.id, bindingKind: CASE WHEN b:K8sClusterRoleBinding THEN 'ClusterRoleBinding' ELSE 'RoleBinding' END,
                      bindingNamespace: b.namespace, role: role.id, rules: role.rules} END) AS grants
}
RETURN sa.id AS serviceAccount, sa.cluster AS cluster, sa.namespace AS namespace, sa.name AS name, requests, windows, grants
ORDER BY serviceAccount
