// Purpose: every observed edge of a subject, the behaviour a baseline is learned from and drift is measured
// against: its own DID_* edges and, for a sensor Workload of a pod, the IAM actions its service account's
// roles (IRSA, Pod Identity) used (DID_USE_ACTION); for an AIAgent, the MCP tools it called (DID_CALL_TOOL, `mcp proxy`).
// Params: $label (Workload, AWSRole, AWSUser or AIAgent, from behavior/resolve-subject), $subject (node id).
// Result: type, target, targetLabel, count, firstSeen and lastSeen (epoch ms), executable, fileClass, loopback.
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
}
WITH r, t, coalesce(r.lastSeen, r.firstSeen) AS ls
RETURN type(r) AS type, t.id AS target, labels(t)[0] AS targetLabel, coalesce(r.count, 1) AS count,
       coalesce(r.firstSeen, ls).epochMillis AS firstSeen, ls.epochMillis AS lastSeen,
       r.executable AS executable, r.class AS fileClass, t.loopback AS loopback
ORDER BY type, target
