// Purpose: write drift events of one subject (new or updated: count and lastSeen move, detectedAt stays),
// linked DRIFT_OF to the subject, EVIDENCED_BY to their processes, IN_WINDOW to their Coverage windows and
// EXPLAINED_BY to the StateChange that explains them.
// Template: {{label}} is the subject's label (a model name).
// Params: $subject, $now (ISO), $rows [{id, props, processes [ids], windows [ids], change (id or null)}].
// Result: id, created (true for a new event).
MATCH (s:{{label}} {id: $subject})
UNWIND $rows AS row
MERGE (d:DriftEvent {id: row.id})
  ON CREATE SET d.detectedAt = datetime($now), d.new = true
  ON MATCH SET d.new = false
SET d += row.props, d.subject = $subject, d.updatedAt = datetime($now)
MERGE (d)-[:DRIFT_OF]->(s)
WITH d, row
CALL (d, row) {
  UNWIND row.processes AS pid
  MATCH (p:Process {id: pid})
  MERGE (d)-[:EVIDENCED_BY]->(p)
}
CALL (d, row) {
  UNWIND row.windows AS wid
  MATCH (c:Coverage {id: wid})
  MERGE (d)-[:IN_WINDOW]->(c)
}
CALL (d, row) {
  OPTIONAL MATCH (c:StateChange {id: row.change})
  WITH c WHERE c IS NOT NULL
  MERGE (d)-[:EXPLAINED_BY]->(c)
}
RETURN d.id AS id, d.new AS created
