// Purpose: which labels and relationship types every other sync of a source and scope wrote (failed
// ones too: their items may be stale now), so cleanup looks only where stale items can be.
// A sync that never recorded its footprint (it crashed) counts as unknown. An empty list of labels or
// types is a footprint too (a sync that wrote only nodes), not a missing one.
// Params: $source, $scope, $syncId.
// Result: labels (list), types (list), unknown (count of earlier syncs that recorded no footprint).
MATCH (s:Sync)
WHERE s.source = $source AND s.scope = $scope AND s.id <> $syncId
WITH collect(s) AS syncs
RETURN COLLECT { UNWIND syncs AS s UNWIND coalesce(s.labels, []) AS label RETURN DISTINCT label } AS labels,
       COLLECT { UNWIND syncs AS s UNWIND coalesce(s.types, []) AS type RETURN DISTINCT type } AS types,
       size([s IN syncs WHERE s.labels IS NULL OR s.types IS NULL]) AS unknown
