// Purpose: the findings refresh writes one batch: each computed finding MERGEd by its stable id, linked to its
// AIAgent subject; firstSeen on create, lastSeen and refreshId every refresh; a finding found again is open
// (or accepted while an acceptance runs past $now), even when a former refresh had resolved it.
// Params: $rows ([{id, ruleId, title, severity, priority, subjectLabel, subjectId, target, entry, exercised,
//   path (JSON hops), frameworks, frameworkKeys}]), $now (ISO instant: the refresh start), $refreshId.
// Result: one row {written, created, reopened, unlinked (subject no longer in the graph)}.
UNWIND $rows AS row
MERGE (f:Finding {id: row.id})
ON CREATE SET f.firstSeen = $now, f.status = 'open'
WITH f, row, f.firstSeen = $now AS created, f.status = 'resolved' AS reopened
SET f.ruleId = row.ruleId, f.title = row.title, f.severity = row.severity, f.priority = row.priority,
    f.subjectLabel = row.subjectLabel, f.subjectId = row.subjectId, f.target = row.target,
    f.entry = row.entry, f.exercised = row.exercised, f.path = row.path,
    f.frameworks = row.frameworks, f.frameworkKeys = row.frameworkKeys,
    f.lastSeen = $now, f.refreshId = $refreshId, f.resolvedAt = null,
    f.status = CASE WHEN f.acceptedUntil IS NOT NULL AND f.acceptedUntil > $now THEN 'accepted' ELSE 'open' END
WITH f, row, created, reopened
CALL (f, row) {
  MATCH (s:AIAgent {id: row.subjectId}) WHERE row.subjectLabel = 'AIAgent'
  MERGE (f)-[:FINDING_OF]->(s)
  RETURN count(s) AS linked
}
RETURN count(f) AS written, count(CASE WHEN created THEN 1 END) AS created,
       count(CASE WHEN reopened THEN 1 END) AS reopened, count(CASE WHEN linked = 0 THEN 1 END) AS unlinked
