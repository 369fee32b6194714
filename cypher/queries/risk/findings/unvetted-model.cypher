// Purpose: finding RG-007: a model the subject invokes or serves comes from a source (registry and
// organisation, hosted provider, bucket) that is not on the model-source allowlist: an AIModel the agent
// MAY_INVOKE (its `modelSource`, from a BOM purl, URL or supplier), an InferenceServer the agent
// MAY_INVOKE, or an InferenceServer that RUNS_ON one of the subject's workloads or pods (its `modelSource`
// from the pod template, only when the model was declared, not inferred). Models of unknown source are
// not reported.
// Params: $subjects ([{id, anchors}]: each subject with the elementIds of its anchors, from risk/subject-anchors),
//         $modelSources (allowlist, lower-case: a source matches an entry equal to it or above it at a "/").
// Result: rows {subject, target, hops [{type, from, to}], exercised (false: serving is declared, not observed)}.
UNWIND $subjects AS subj
MATCH (a) WHERE elementId(a) IN subj.anchors AND (a:AIAgent OR a:K8sWorkload OR a:K8sPod)
CALL (a) {
  MATCH p = (a:AIAgent)-[:MAY_INVOKE]->(m:AIModel) WHERE m.modelSource IS NOT NULL
  RETURN p, m.id AS target, m.modelSource AS source
  UNION
  MATCH p = (a:AIAgent)-[:MAY_INVOKE]->(s:InferenceServer) WHERE s.modelSource IS NOT NULL
  RETURN p, s.id AS target, s.modelSource AS source
  UNION
  MATCH p = (a:K8sWorkload|K8sPod)<-[:RUNS_ON]-(s:InferenceServer) WHERE s.modelSource IS NOT NULL
  RETURN p, s.id AS target, s.modelSource AS source
}
WITH subj, p, target, toLower(source) AS source
WHERE NONE(x IN $modelSources WHERE source = x OR source STARTS WITH x + '/')
RETURN DISTINCT subj.id AS subject, target, [r IN relationships(p) | {type: type(r), from: startNode(r).id, to: endNode(r).id}] AS hops, false AS exercised
