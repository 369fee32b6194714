// Purpose: link drift events to the node their new edge reached.
// Template: {{toLabel}} is the target label (a model name).
// Params: $rows [{id (DriftEvent id), target (node id)}].
// Result: linked (count).
UNWIND $rows AS row
MATCH (d:DriftEvent {id: row.id})
MATCH (t:{{toLabel}} {id: row.target})
MERGE (d)-[:DRIFT_TARGET]->(t)
RETURN count(*) AS linked
