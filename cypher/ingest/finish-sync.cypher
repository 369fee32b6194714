// Purpose: record how a sync ended and its footprint (labels and relationship types it wrote).
// Params: $syncId, $status, $error, $nodes, $rels, $removedNodes, $removedRels, $labels, $types, $now.
// Result: none.
MATCH (s:Sync {id: $syncId})
SET s.status = $status, s.error = $error, s.finishedAt = datetime($now),
    s.nodes = $nodes, s.rels = $rels, s.removedNodes = $removedNodes, s.removedRels = $removedRels,
    s.labels = $labels, s.types = $types
