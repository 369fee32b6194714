// Purpose: which labels and relationship types every other sync of a source and scope wrote (failed
// ones too: their items may be stale now), so cleanup looks only where stale items can be.
// A sync that never recorded its footprint (it crashed) counts as unknown. Params: $source, $scope, $syncId.
// Result: labels (list), types (list), unknown (count of earlier syncs that recorded no footprint).
MATCH (s:Sync)
WHERE s.source = $source AND s.scope = $scope AND s.id <> $syncId
UNWIND CASE WHEN s.labels IS NULL THEN [null] ELSE s.labels END AS label
UNWIND CASE WHEN s.types IS NULL THEN [null] ELSE s.types END AS type
RETURN collect(DISTINCT label) AS labels, collect(DISTINCT type) AS types, count(DISTINCT CASE WHEN s.labels IS NULL OR s.types IS NULL THEN s END) AS unknown
