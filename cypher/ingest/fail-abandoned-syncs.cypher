// Purpose: when a sync takes the lease of its source and scope, any other sync of the pair still
// `running` lost its writer (the process or Neo4j died mid-run): record it as failed. The items it
// wrote keep its syncId in their claims, so they stay marked as written by a failed sync until a later
// sync of the pair touches or removes them.
// Params: $source, $scope, $syncId (the sync taking over). Result: failed (list of sync ids).
MATCH (s:Sync)
WHERE s.source = $source AND s.scope = $scope AND s.status = 'running' AND s.id <> $syncId
SET s.status = 'failed', s.finishedAt = datetime(),
    s.error = 'abandoned: its writer stopped before it finished (found when sync ' + $syncId + ' took the lease of this source and scope)'
RETURN collect(s.id) AS failed
