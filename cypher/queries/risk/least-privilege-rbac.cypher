// Purpose: what a minimal Kubernetes Role for a subject needs: each of its service accounts with the
// requests the API server's audit log recorded (DID_REQUEST, collect k8s-audit), the audit windows of
// its cluster, and the rules it holds today through bindings to it or to its groups.
// Params: $anchors (elementIds from risk/subject-anchors).
// Result: rows {serviceAccount, cluster, namespace, name, requests [{verb, apiGroup, resource,
// subresource, namespace, path, allowed, count, lastSeen}], windows [{from, to, events}],
// grants [{binding, bindingKind, bindingNamespace, role, rules (JSON text), via}]}.
MATCH (sa) WHERE elementId(sa) IN $anchors AND sa:K8sServiceAccount
CALL (sa) {
  OPTIONAL MATCH (sa)-[r:DID_REQUEST]->()
  RETURN collect(CASE WHEN r IS NOT NULL THEN {verb: r.verb, apiGroup: r.apiGroup, resource: r.resource, subresource: r.subresource,
                      namespace: r.namespace, path: r.path, allowed: r.allowed, count: r.count, lastSeen: toString(r.lastSeen)} END) AS requests
}
CALL (sa) {
  OPTIONAL MATCH (c:Coverage {kind: 'k8s-audit'})-[:COVERS]->(:K8sCluster {id: sa.cluster})
  RETURN collect(CASE WHEN c IS NOT NULL THEN {from: toString(c.from), to: toString(c.to), events: c.events} END) AS windows
}
CALL (sa) {
  OPTIONAL MATCH (sa)-[:MEMBER_OF*0..1]->(holder)<-[:BINDS]-(b)-[:GRANTS]->(role)
  WHERE b:K8sRoleBinding OR b:K8sClusterRoleBinding
  RETURN collect(CASE WHEN b IS NOT NULL THEN {binding: b.id, bindingKind: CASE WHEN b:K8sClusterRoleBinding THEN 'ClusterRoleBinding' ELSE 'RoleBinding' END,
                      bindingNamespace: b.namespace, role: role.id, rules: role.rules, via: holder.name} END) AS grants
}
RETURN sa.id AS serviceAccount, sa.cluster AS cluster, sa.namespace AS namespace, sa.name AS name, requests, windows, grants
ORDER BY serviceAccount
