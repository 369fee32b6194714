// Purpose: finding RG-006: the subject reaches a Kubernetes node (privileged pod, hostPath, host PID,
// runtime socket, create-privileged-pod…): every pod token and the kubelet's credential on it.
// Params: $subjects ([{id, anchors}]: each subject with the elementIds of its anchors, from risk/subject-anchors).
// Result: rows {subject, target, hops [{type, from, to}], exercised (an identity on the path has runtime behaviour)}.
UNWIND $subjects AS subj
MATCH (a) WHERE elementId(a) IN subj.anchors
MATCH p = SHORTEST 1 (a)((x)-[r]->(y) WHERE type(r) IN ['MAY_ACT_AS', 'MAY_ESCALATE_TO', 'MEMBER_OF']){1,6}(t:K8sNode)
RETURN subj.id AS subject, t.id AS target, [r IN relationships(p) | {type: type(r), from: startNode(r).id, to: endNode(r).id}] AS hops,
       any(n IN nodes(p) WHERE EXISTS { (n)<-[:PART_OF]-(:Workload) }) AS exercised
