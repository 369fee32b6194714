// Purpose: record the start of a sync. Params: $syncId, $source, $scope, $mode, $now. Result: none.
MERGE (s:Sync {id: $syncId})
SET s.source = $source, s.scope = $scope, s.mode = $mode, s.status = 'running', s.startedAt = datetime($now), s.finishedAt = null, s.error = null
