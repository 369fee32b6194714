// Purpose: the observation windows (Coverage) of the host a sensor Workload runs on: what the sensor watched
// and whether it lost events, to say how complete a baseline's window and a drift event's window were.
// Params: $subject (Workload id).
// Result: id, from and to (epoch ms), probes, lost.
MATCH (:Workload {id: $subject})-[:ON_HOST]->(h:Host)<-[:ON_HOST]-(c:Coverage)
RETURN c.id AS id, datetime(c.from).epochMillis AS from, datetime(c.to).epochMillis AS to,
       coalesce(c.probes, []) AS probes, coalesce(c.lost, false) AS lost
ORDER BY from, id
