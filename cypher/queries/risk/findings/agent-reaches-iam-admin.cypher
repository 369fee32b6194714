// Purpose: finding RG-001: a subject reaches an IAM principal with an admin-class grant through
// identity edges (IRSA, trust, escalation methods, RBAC attack edges), one shortest path per admin.
// Edge filter inline in the quantified pattern (pre-filter), hop bound 8.
// Params: $subjects ([{id, anchors}]: each subject with the elementIds of its anchors, from risk/subject-anchors).
// Result: rows {subject, target, hops [{type, from, to}], exercised (an identity on the path has used IAM actions)}.
UNWIND $subjects AS subj
MATCH (a) WHERE elementId(a) IN subj.anchors
MATCH p = SHORTEST 1 (a)((x)-[r]->(y) WHERE type(r) IN ['MAY_ASSUME', 'MAY_ESCALATE_TO', 'MAY_ACT_AS', 'MEMBER_OF']){1,8}(t:AWSRole|AWSUser)
WHERE EXISTS { (t)-[g:MAY_ACCESS]->() WHERE g.maxSensitivity = 'admin' }
RETURN subj.id AS subject, t.id AS target, [r IN relationships(p) | {type: type(r), from: startNode(r).id, to: endNode(r).id}] AS hops,
       any(n IN nodes(p) WHERE EXISTS { (n)-[:DID_USE_ACTION]->() }) AS exercised
