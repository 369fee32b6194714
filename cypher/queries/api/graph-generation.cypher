// Purpose: the graph's generation for the API's caches: the latest finished sync (index-backed order on
// Sync.finishedAt, so one index read however many syncs there were). A new value means the graph changed.
// Params: none. Result: at most one row {id, finishedAt}.
MATCH (s:Sync) WHERE s.finishedAt IS NOT NULL
RETURN s.id AS id, toString(s.finishedAt) AS finishedAt
ORDER BY s.finishedAt DESC
LIMIT 1
