// Purpose: what a runtime workload was observed doing: its DID_* edges with counts and times.
// Params: $workloadId (Workload id host/kind/name).
// Result: type, target (id of the node reached), targetLabels, key, count, firstSeen, lastSeen, props.
MATCH (w:Workload {id: $workloadId})-[r]->(t)
WHERE type(r) STARTS WITH 'DID_'
RETURN type(r) AS type, t.id AS target, labels(t) AS targetLabels, r.key AS key, r.count AS count,
       toString(r.firstSeen) AS firstSeen, toString(r.lastSeen) AS lastSeen, properties(r) AS props
ORDER BY type, target, key
