// Purpose: after a successful replace-mode sync, delete this source+scope's nodes of one label that
// the sync did not touch, with their relationships. Template: {{label}}. Params: $source, $scope, $syncId.
// Result: removed (count).
MATCH (n:{{label}})
WHERE n.source = $source AND n.scope = $scope AND n.syncId <> $syncId
DETACH DELETE n
RETURN count(*) AS removed
