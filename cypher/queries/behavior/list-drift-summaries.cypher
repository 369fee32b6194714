// Purpose: the stored drift summaries (edges outside a locked baseline beyond the per-run event cap), newest first.
// Params: $subject (node id or null), $limit (integer).
// Result: summary (props with times as ISO text).
MATCH (d:DriftSummary)
WHERE $subject IS NULL OR d.subject = $subject
WITH d ORDER BY d.updatedAt DESC, d.id LIMIT toInteger($limit)
RETURN d {.*, createdAt: toString(d.createdAt), updatedAt: toString(d.updatedAt)} AS summary
