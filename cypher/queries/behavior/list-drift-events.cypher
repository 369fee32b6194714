// Purpose: drift events, newest first: all, or one subject's, optionally only those detected after a time.
// Params: $subject (node id or null), $since (ISO time or null), $limit (integer).
// Result: event (props with times as ISO text).
MATCH (d:DriftEvent)
WHERE ($subject IS NULL OR d.subject = $subject)
  AND ($since IS NULL OR d.updatedAt > datetime($since))
WITH d ORDER BY d.updatedAt DESC, d.score DESC, d.id LIMIT toInteger($limit)
RETURN d {.*, detectedAt: toString(d.detectedAt), updatedAt: toString(d.updatedAt), firstSeen: toString(d.firstSeen), lastSeen: toString(d.lastSeen)} AS event
