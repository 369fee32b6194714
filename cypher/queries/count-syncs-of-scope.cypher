// Purpose: how many syncs a source has run over a scope (has this source ever written this scope?).
// Params: $source, $scope. Result: syncs.
MATCH (s:Sync)
WHERE s.source = $source AND s.scope = $scope
RETURN count(s) AS syncs
