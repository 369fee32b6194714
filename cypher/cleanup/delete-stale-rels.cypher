// Purpose: after a successful replace-mode sync, delete this source+scope's relationships of one
// type that the sync did not touch. Template: {{type}}. Params: $source, $scope, $syncId.
// Result: removed (count).
MATCH ()-[r:{{type}}]->()
WHERE r.source = $source AND r.scope = $scope AND r.syncId <> $syncId
DELETE r
RETURN count(*) AS removed
