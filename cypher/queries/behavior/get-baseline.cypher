// Purpose: a subject's baseline and its entries.
// Params: $id (Baseline id "baseline:" + subject id).
// Result: one row {baseline (props), entries [{kind, target, targetLabel, count, firstSeen, lastSeen}]} or none.
MATCH (b:Baseline {id: $id})
OPTIONAL MATCH (b)-[:HAS_ENTRY]->(e:BaselineEntry)
WITH b, e ORDER BY e.kind, e.target
RETURN properties(b) AS baseline,
       [x IN collect(e) | {kind: x.kind, target: x.target, targetLabel: x.targetLabel, count: x.count, firstSeen: x.firstSeen, lastSeen: x.lastSeen}] AS entries
