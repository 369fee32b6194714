// Purpose: find the subject a baseline is kept for: a sensor Workload (its DID_* edges), or an IAM role or
// user (its DID_USE_ACTION edges), or an AIAgent (its DID_CALL_TOOL edges), by exact id; or agent Workloads (kind agent) by their agent name.
// Params: $subject (node id or agent name).
// Result: label, id, exact (true for an id match; false for an agent-name match).
CALL () {
  MATCH (s:Workload {id: $subject}) RETURN s, true AS exact
  UNION
  MATCH (s:AWSRole {id: $subject}) RETURN s, true AS exact
  UNION
  MATCH (s:AWSUser {id: $subject}) RETURN s, true AS exact
  UNION
  MATCH (s:AIAgent {id: $subject}) RETURN s, true AS exact
  UNION
  MATCH (s:Workload {kind: 'agent', name: $subject}) RETURN s, false AS exact
}
RETURN labels(s)[0] AS label, s.id AS id, exact
ORDER BY exact DESC, label, id
