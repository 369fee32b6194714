// Purpose: forget remote-ingest batch markers older than the retention, a bounded number per call
// (a sender never replays a batch older than its spool's age limit, which is shorter).
// Params: $before (ISO time), $limit. Result: removed.
MATCH (b:IngestBatch)
WHERE b.firstSeen < datetime($before)
WITH b LIMIT toInteger($limit)
DETACH DELETE b
RETURN count(*) AS removed
