// Purpose: a subject's observed edges, one row per (relationship type, target), read as a stream
// (Graph.readStream) so learning and drift take any number of edges with bounded memory (docs/behavior.md,
// "Bounded volume"). The same edges as behavior/subject-edges: the subject's own DID_* edges and, for a
// sensor Workload of a pod, its service account's IRSA / Pod Identity roles' DID_USE_ACTION and the MCP
// tool calls (DID_CALL_TOOL) of the AIAgents that run on it (directly, on its pod or on the pod's
// controllers); an AIAgent's own are its DID_CALL_TOOL.
// Filters: learning passes the window ($from, $to: the edge's span touches it); drift passes the locked
// baseline ($baseline: edges it holds are left out, by BaselineEntry id) and $after (last seen after the window).
// Params: $label (Workload, AWSRole, AWSUser or AIAgent), $subject (node id), $kinds (map relationship type -> kind;
// other types are ignored), $from, $to, $after (epoch ms or null), $baseline (Baseline id or null).
// Result: type, kind, target, targetLabel, count (summed), firstSeen and lastSeen (epoch ms, min and max),
// executables (distinct; an exec edge's target when it names none), fileClass, loopback. Unordered.
CALL () {
  MATCH (s:Workload {id: $subject}) WHERE $label = 'Workload' RETURN s
  UNION
  MATCH (s:AWSRole {id: $subject}) WHERE $label = 'AWSRole' RETURN s
  UNION
  MATCH (s:AWSUser {id: $subject}) WHERE $label = 'AWSUser' RETURN s
  UNION
  MATCH (s:AIAgent {id: $subject}) WHERE $label = 'AIAgent' RETURN s
}
CALL (s) {
  MATCH (s)-[r]->(t) WHERE type(r) STARTS WITH 'DID_' RETURN r, t
  UNION
  MATCH (s:Workload)-[:PART_OF]->(:K8sPod)-[:RUNS_AS]->(:K8sServiceAccount)-[m:MAY_ASSUME]->(:AWSRole)-[r:DID_USE_ACTION]->(t)
  WHERE m.via IN ['irsa', 'pod-identity']
  RETURN r, t
  UNION
  MATCH (s:Workload)<-[:RUNS_ON]-(:AIAgent)-[r:DID_CALL_TOOL]->(t) RETURN r, t
  UNION
  MATCH (s:Workload)-[:PART_OF]->(:K8sPod)<-[:RUNS_ON]-(:AIAgent)-[r:DID_CALL_TOOL]->(t) RETURN r, t
  UNION
  MATCH (s:Workload)-[:PART_OF]->(:K8sPod)-[:OWNED_BY]->{1,3}(:K8sWorkload)<-[:RUNS_ON]-(:AIAgent)-[r:DID_CALL_TOOL]->(t) RETURN r, t
}
WITH type(r) AS type, r, t
WHERE $kinds[type] IS NOT NULL
WITH type, r, t, coalesce(r.lastSeen, r.firstSeen) AS ls
WITH type, t,
     sum(coalesce(r.count, 1)) AS count,
     min(coalesce(r.firstSeen, ls)) AS fs,
     max(ls) AS ls,
     collect(DISTINCT coalesce(r.executable, CASE WHEN type = 'DID_EXEC' THEN t.id END)) AS executables,
     head(collect(r.class)) AS fileClass
WHERE ($from IS NULL OR (fs.epochMillis <= $to AND ls.epochMillis >= $from))
  AND ($after IS NULL OR ls.epochMillis > $after)
  AND ($baseline IS NULL OR NOT EXISTS { MATCH (:BaselineEntry {id: $baseline + '|' + $kinds[type] + '|' + t.id}) })
RETURN type, $kinds[type] AS kind, t.id AS target, labels(t)[0] AS targetLabel, count,
       fs.epochMillis AS firstSeen, ls.epochMillis AS lastSeen, executables, fileClass, t.loopback AS loopback
