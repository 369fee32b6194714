// Purpose: the nodes a subject acts through (its "anchors"), each with the join path from the subject:
// an AIAgent reaches the identities it USES_IDENTITY and what it RUNS_ON; a sensor Workload of kind pod
// reaches its K8sPod (PART_OF); a K8sWorkload reaches its pods (OWNED_BY, downwards); a pod reaches its
// sensor Workloads, its owner chain (OWNED_BY, upwards: NetworkPolicy verdicts sit there), its service
// account (RUNS_AS); a service account reaches the IAM roles it assumes by IRSA / Pod Identity. Paths
// only go down to pods and then up from them, so a pod never reaches a sibling pod.
// Params: $subjects ([{label, id}]: one subject from risk/resolve-subject, or many for a report).
// Result: rows {subject (id), anchor (elementId), label, id, hops [{type, from, to}]}; the subject itself with hops [].
UNWIND $subjects AS subj
CALL (subj) {
  MATCH (s:AIAgent {id: subj.id}) WHERE subj.label = 'AIAgent' RETURN s
  UNION
  MATCH (s:Workload {id: subj.id}) WHERE subj.label = 'Workload' RETURN s
  UNION
  MATCH (s:AWSRole {id: subj.id}) WHERE subj.label = 'AWSRole' RETURN s
  UNION
  MATCH (s:AWSUser {id: subj.id}) WHERE subj.label = 'AWSUser' RETURN s
  UNION
  MATCH (s:K8sPod {id: subj.id}) WHERE subj.label = 'K8sPod' RETURN s
  UNION
  MATCH (s:K8sWorkload {id: subj.id}) WHERE subj.label = 'K8sWorkload' RETURN s
  UNION
  MATCH (s:K8sServiceAccount {id: subj.id}) WHERE subj.label = 'K8sServiceAccount' RETURN s
}
// Runtime roots: the subject, or what an agent runs on; plus the identities an agent uses.
CALL (s) {
  MATCH p = (s) RETURN p
  UNION
  MATCH p = (s:AIAgent)-[:RUNS_ON|USES_IDENTITY]->() RETURN p
}
WITH s, p AS rootPath, last(nodes(p)) AS root
// Down to pods: a sensor Workload is PART_OF its pod; a controller owns pods (OWNED_BY, reversed).
CALL (root) {
  MATCH d = (root) RETURN d
  UNION
  MATCH d = (root:Workload)-[:PART_OF]->(:K8sPod) RETURN d
  UNION
  MATCH d = (root:K8sWorkload)<-[:OWNED_BY]-{1,3}(:K8sPod) RETURN d
}
WITH s, rootPath, d, last(nodes(d)) AS base
// Up from each pod (and from the roots themselves): sensor workloads, owners, service account, cloud roles.
CALL (base) {
  MATCH u = (base) RETURN u
  UNION
  MATCH u = (base:K8sPod)<-[:PART_OF]-(:Workload) RETURN u
  UNION
  MATCH u = (base:K8sPod|K8sWorkload)-[:OWNED_BY]->{1,3}(:K8sWorkload) RETURN u
  UNION
  MATCH u = (base:K8sPod)-[:RUNS_AS]->(:K8sServiceAccount) RETURN u
  UNION
  MATCH u = (base:K8sPod)-[:RUNS_AS]->(:K8sServiceAccount)-[r:MAY_ASSUME]->(:AWSRole) WHERE r.via IN ['irsa', 'pod-identity'] RETURN u
  UNION
  MATCH u = (base:K8sServiceAccount)-[r:MAY_ASSUME]->(:AWSRole) WHERE r.via IN ['irsa', 'pod-identity'] RETURN u
}
WITH s, last(nodes(u)) AS a, relationships(rootPath) + relationships(d) + relationships(u) AS rels
WITH s, a, rels ORDER BY size(rels)
WITH s, a, head(collect(rels)) AS rels
RETURN s.id AS subject, elementId(a) AS anchor, labels(a)[0] AS label, a.id AS id,
       [r IN rels | {type: type(r), from: startNode(r).id, to: endNode(r).id}] AS hops
ORDER BY subject, size(hops), label, id
