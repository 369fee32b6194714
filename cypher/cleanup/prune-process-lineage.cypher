// Purpose: bounded volume: delete per-process lineage (Process nodes and their CHILD_OF, PART_OF, DID_EXEC edges)
// older than the retention window. Kept: processes behind a drift event (EVIDENCED_BY), and processes with a
// descendant exec'd inside the window (the ancestry of what runs now). The (workload, executable, parent
// executable) aggregate on Workload-[:DID_EXEC]->Executable is never touched. One batch per call.
// Params: $before (ISO time: the start of the retention window), $host (Host id, or null for every host), $limit (batch size).
// Result: deleted (count).
MATCH (p:Process)
WHERE ($host IS NULL OR p.id STARTS WITH $host + '/')
  AND CASE WHEN p.execAt IS NULL THEN coalesce(p.lastSeen < datetime($before), true) ELSE coalesce(p.exitedAt, p.execAt) < $before END
  AND NOT EXISTS { (p)<-[:EVIDENCED_BY]-(:DriftEvent) }
  AND NOT EXISTS { (p)<-[:CHILD_OF]-+(c:Process) WHERE c.execAt >= $before }
WITH p LIMIT toInteger($limit)
DETACH DELETE p
RETURN count(*) AS deleted
