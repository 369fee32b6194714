// Purpose: a subject's baseline and its first entries (a baseline may hold any number; entryCount on the node says how many).
// Params: $id (Baseline id "baseline:" + subject id), $limit (most entries returned, integer; 0 for none).
// Result: one row {baseline (props), entries [{kind, target, targetLabel, count, firstSeen, lastSeen}] in (kind, target) order} or none.
MATCH (b:Baseline {id: $id})
CALL (b) {
  OPTIONAL MATCH (b)-[:HAS_ENTRY]->(e:BaselineEntry)
  WITH e ORDER BY e.kind, e.target LIMIT toInteger($limit)
  RETURN [x IN collect(e) | {kind: x.kind, target: x.target, targetLabel: x.targetLabel, count: x.count, firstSeen: x.firstSeen, lastSeen: x.lastSeen}] AS entries
}
RETURN properties(b) AS baseline, entries
