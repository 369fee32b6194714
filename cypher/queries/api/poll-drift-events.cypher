// Purpose: the subscription poller's read (one per API server, about once a second): drift events
// detected at or after $from (the poller's look-back behind the newest it published) and not published
// yet, oldest first, each with the AIAgents whose behaviour subject it happened to (so a
// `driftEvents(agent)` subscriber is matched without a query of its own). An index seek on
// DriftEvent(detectedAt).
// Params: $from (ISO time), $seen ([id] published already), $limit (rows per poll).
// Result: rows {event (props, times as ISO text), at (detectedAt as ISO text), agents [AIAgent id]}, by detectedAt, id.
MATCH (d:DriftEvent)
WHERE d.detectedAt >= datetime($from) AND NOT d.id IN $seen
WITH d ORDER BY d.detectedAt, d.id LIMIT toInteger($limit)
RETURN d {.*, detectedAt: toString(d.detectedAt), updatedAt: toString(d.updatedAt), firstSeen: toString(d.firstSeen), lastSeen: toString(d.lastSeen)} AS event,
  toString(d.detectedAt) AS at,
  COLLECT {
    MATCH (d)-[:DRIFT_OF]->(s)
    CALL (s) {
      MATCH (a:AIAgent)-[:RUNS_ON]->(s:Workload) RETURN a
      UNION
      MATCH (a:AIAgent)-[:RUNS_ON]->(:K8sPod)<-[:PART_OF]-(s:Workload) RETURN a
      UNION
      MATCH (a:AIAgent)-[:RUNS_ON]->(:K8sWorkload)<-[:OWNED_BY*1..3]-(:K8sPod)<-[:PART_OF]-(s:Workload) RETURN a
      UNION
      MATCH (a:AIAgent)-[:USES_IDENTITY]->(s:AWSRole) RETURN a
      UNION
      MATCH (a:AIAgent)-[:USES_IDENTITY]->(:K8sServiceAccount)-[m:MAY_ASSUME]->(s:AWSRole) WHERE m.via IN ['irsa', 'pod-identity'] RETURN a
    }
    RETURN DISTINCT a.id
  } AS agents
