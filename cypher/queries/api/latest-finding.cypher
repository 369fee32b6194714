// Purpose: where the subscription poller starts for findings: the newest firstSeen, so that only findings
// first seen after the server started are pushed (an index-backed ordered read of Finding(firstSeen)).
// Params: none.
// Result: zero or one row {at (ISO text), ids [id first seen at exactly that time]}.
MATCH (f:Finding) WHERE f.firstSeen IS NOT NULL
WITH f.firstSeen AS at ORDER BY at DESC LIMIT 1
MATCH (e:Finding) WHERE e.firstSeen = at
RETURN at, collect(e.id) AS ids
