// Purpose: finding RG-005: the subject's workloads were seen opening credential files (cloud keys,
// service-account tokens, kubeconfigs) at runtime.
// Params: $subjects ([{id, anchors}]: each subject with the elementIds of its anchors, from risk/subject-anchors).
// Result: rows {subject, target, hops [{type, from, to}], exercised (true: observed)}.
UNWIND $subjects AS subj
MATCH (w) WHERE elementId(w) IN subj.anchors AND w:Workload
MATCH (w)-[o:DID_OPEN]->(f:File {class: 'credential'})
RETURN subj.id AS subject, f.id AS target, [{type: type(o), from: w.id, to: f.id}] AS hops, true AS exercised
