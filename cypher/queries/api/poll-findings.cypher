// Purpose: the subscription poller's read of new findings (one per API server, about once a second):
// findings first seen at or after $from (the poller's look-back behind the newest it published) and not
// published yet, oldest first; an index seek on Finding(firstSeen), ISO text that sorts as time.
// Params: $from (ISO time text), $seen ([id] published already), $limit (rows per poll).
// Result: rows {id, at (firstSeen)}, by firstSeen, id.
MATCH (f:Finding)
WHERE f.firstSeen >= $from AND NOT f.id IN $seen
RETURN f.id AS id, f.firstSeen AS at
ORDER BY at, id
LIMIT toInteger($limit)
