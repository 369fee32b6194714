// Purpose: every node a subject, as the user typed it, may name: an AIAgent id, a sensor Workload id, an
// IAM user or role ARN, a pod / workload / service account id, a pod `NS/NAME`, a workload `NS/KIND/NAME`
// or a service account `system:serviceaccount:NS:NAME`. More than one row is an ambiguous subject (e.g.
// one NS/NAME in two clusters); none is an unknown one. The short forms are looked up by id in every
// cluster (ids are cluster/ns/name, cluster/ns/Kind/name), so each branch is an index seek.
// Params: $subject (the text), $ns, $name (the NS/NAME or NS/KIND/NAME parts, or null), $kind (the KIND
// part spelled as the model does, e.g. Deployment, or null), $saNs, $saName (the service-account parts, or null).
// Result: rows {label, id, name, node (elementId)}, ordered by label, id.
CALL () {
  MATCH (n:AIAgent {id: $subject}) RETURN n
  UNION
  MATCH (n:Workload {id: $subject}) RETURN n
  UNION
  MATCH (n:AWSRole {id: $subject}) RETURN n
  UNION
  MATCH (n:AWSUser {id: $subject}) RETURN n
  UNION
  MATCH (n:K8sPod {id: $subject}) RETURN n
  UNION
  MATCH (n:K8sWorkload {id: $subject}) RETURN n
  UNION
  MATCH (n:K8sServiceAccount {id: $subject}) RETURN n
  UNION
  MATCH (c:K8sCluster) MATCH (n:K8sServiceAccount {id: c.id + '/' + $saNs + '/' + $saName}) RETURN n
  UNION
  MATCH (c:K8sCluster) WHERE $kind IS NULL MATCH (n:K8sPod {id: c.id + '/' + $ns + '/' + $name}) RETURN n
  UNION
  MATCH (c:K8sCluster) MATCH (n:K8sWorkload {id: c.id + '/' + $ns + '/' + $kind + '/' + $name}) RETURN n
}
RETURN labels(n)[0] AS label, n.id AS id, coalesce(n.name, n.id) AS name, elementId(n) AS node
ORDER BY label, id
