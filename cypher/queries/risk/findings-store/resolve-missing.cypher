// Purpose: after a complete findings refresh (every AIAgent, every catalog query succeeded), a stored agent
// finding the refresh did not find again is resolved. Only findings last seen before this refresh started
// and not written by it: a refresh that started later and wrote meanwhile keeps what it wrote.
// Params: $refreshId, $startedAt (ISO instant the refresh started), $now (ISO instant).
// Result: one row {resolved (count)}.
MATCH (f:Finding)
WHERE f.status IN ['open', 'accepted'] AND f.subjectLabel = 'AIAgent'
  AND f.refreshId <> $refreshId AND f.lastSeen < $startedAt
SET f.status = 'resolved', f.resolvedAt = $now
RETURN count(f) AS resolved
