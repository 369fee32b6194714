// Purpose: where the subscription poller starts: the newest drift event's detection time, so that only
// events detected after the server started are pushed (an index-backed ordered read of DriftEvent(detectedAt)).
// Params: none.
// Result: zero or one row {at (ISO text), ids [id detected at exactly that time]}.
MATCH (d:DriftEvent) WHERE d.detectedAt IS NOT NULL
WITH d.detectedAt AS at ORDER BY at DESC LIMIT 1
MATCH (e:DriftEvent) WHERE e.detectedAt = at
RETURN toString(at) AS at, collect(e.id) AS ids
