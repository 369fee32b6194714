// Purpose: the newest drift events of many AIAgents at once (Agent.drift for a page of agents in one round
// trip): events DRIFT_OF any of each agent's behaviour subjects (as api/agent-subjects finds them).
// Params: $agents ([AIAgent id]), $limit (events per agent).
// Result: rows {agent, events [event props with times as ISO text]}, one per known agent, newest first.
UNWIND $agents AS agentId
MATCH (a:AIAgent {id: agentId})
CALL (a) {
  CALL (a) {
    MATCH (a)-[:RUNS_ON]->(s:Workload) RETURN s
    UNION
    MATCH (a)-[:RUNS_ON]->(:K8sPod)<-[:PART_OF]-(s:Workload) RETURN s
    UNION
    MATCH (a)-[:RUNS_ON]->(:K8sWorkload)<-[:OWNED_BY*1..3]-(:K8sPod)<-[:PART_OF]-(s:Workload) RETURN s
    UNION
    MATCH (a)-[:USES_IDENTITY]->(s:AWSRole) RETURN s
    UNION
    MATCH (a)-[:USES_IDENTITY]->(:K8sServiceAccount)-[m:MAY_ASSUME]->(s:AWSRole) WHERE m.via IN ['irsa', 'pod-identity'] RETURN s
  }
  MATCH (d:DriftEvent)-[:DRIFT_OF]->(s)
  WITH d ORDER BY d.detectedAt DESC, d.score DESC, d.id LIMIT toInteger($limit)
  RETURN collect(d {.*, detectedAt: toString(d.detectedAt), updatedAt: toString(d.updatedAt), firstSeen: toString(d.firstSeen), lastSeen: toString(d.lastSeen)}) AS events
}
RETURN agentId AS agent, events
