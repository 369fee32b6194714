// Purpose: finding RG-002: a subject's identities may read secrets: Kubernetes secrets (RBAC get/list,
// a mounted secret) or AWS grants of class secrets-read. The grant's class is an inline predicate on
// the last hop, part of the pattern SHORTEST selects over (a WHERE after it would be a post-filter that
// could drop a secrets-read edge tied in length with another grant on the same resource).
// Params: $subjects ([{id, anchors}]: each subject with the elementIds of its anchors, from risk/subject-anchors).
// Result: rows {subject, target, hops [{type, from, to}], exercised (a secrets-read action was used, or a credential file opened)}.
UNWIND $subjects AS subj
MATCH (a) WHERE elementId(a) IN subj.anchors
CALL (a) {
  MATCH p = SHORTEST 1 (a)((x)-[r]->(y) WHERE type(r) IN ['MAY_ASSUME', 'MAY_ESCALATE_TO', 'MAY_ACT_AS', 'MEMBER_OF']){0,5}()-[:MAY_ACCESS|MOUNTS]->(t:K8sSecret)
  RETURN p, t
  UNION
  MATCH p = SHORTEST 1 (a)((x)-[r]->(y) WHERE type(r) IN ['MAY_ASSUME', 'MAY_ESCALATE_TO', 'MAY_ACT_AS', 'MEMBER_OF']){0,5}()-[g:MAY_ACCESS WHERE g.maxSensitivity = 'secrets-read']->(t:AWSResource)
  RETURN p, t
}
RETURN subj.id AS subject, t.id AS target, [r IN relationships(p) | {type: type(r), from: startNode(r).id, to: endNode(r).id}] AS hops,
       any(n IN nodes(p) WHERE EXISTS { (n)-[:DID_USE_ACTION]->(:AWSAction {sensitivity: 'secrets-read'}) } OR EXISTS { (n)-[:DID_OPEN]->(:File {class: 'credential'}) }) AS exercised
