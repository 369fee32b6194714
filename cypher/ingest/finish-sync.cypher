// Purpose: record how a sync ended. Params: $syncId, $status, $error, $nodes, $rels, $removedNodes, $removedRels, $now.
// Result: none.
MATCH (s:Sync {id: $syncId})
SET s.status = $status, s.error = $error, s.finishedAt = datetime($now),
    s.nodes = $nodes, s.rels = $rels, s.removedNodes = $removedNodes, s.removedRels = $removedRels
