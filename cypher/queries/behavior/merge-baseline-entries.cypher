// Purpose: write a baseline's entries of one target label, each linked to the node its edge reached.
// Template: {{toLabel}} is the target label (a model name).
// Params: $id (Baseline id), $rows [{id, kind, target, targetLabel, count, firstSeen, lastSeen (ISO)}].
// Result: written (count).
MATCH (b:Baseline {id: $id})
UNWIND $rows AS row
MERGE (e:BaselineEntry {id: row.id})
SET e.kind = row.kind, e.target = row.target, e.targetLabel = row.targetLabel, e.count = row.count,
    e.firstSeen = datetime(row.firstSeen), e.lastSeen = datetime(row.lastSeen)
MERGE (b)-[:HAS_ENTRY]->(e)
WITH e, row
OPTIONAL MATCH (t:{{toLabel}} {id: row.target})
FOREACH (_ IN CASE WHEN t IS NULL THEN [] ELSE [1] END | MERGE (e)-[:ENTRY_TARGET]->(t))
RETURN count(*) AS written
