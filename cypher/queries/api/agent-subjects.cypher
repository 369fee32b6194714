// Purpose: the behaviour subjects (sensor Workloads, IAM roles) of many AIAgents, for the API's Agent.drift
// and for naming an agent's baseline: the Workloads it runs as (directly, through its pod, or through the
// pods of its Kubernetes workload, as aibom/agent-runtime joins them) and the IAM roles it uses (directly,
// or through its service account by IRSA / Pod Identity).
// Params: $agents ([AIAgent id]).
// Result: rows {agent, subjects [{label, id}]}, one per known agent.
UNWIND $agents AS agentId
MATCH (a:AIAgent {id: agentId})
RETURN agentId AS agent, COLLECT {
  MATCH (a)-[:RUNS_ON]->(w:Workload) RETURN {label: 'Workload', id: w.id} AS s
  UNION
  MATCH (a)-[:RUNS_ON]->(:K8sPod)<-[:PART_OF]-(w:Workload) RETURN {label: 'Workload', id: w.id} AS s
  UNION
  MATCH (a)-[:RUNS_ON]->(:K8sWorkload)<-[:OWNED_BY*1..3]-(:K8sPod)<-[:PART_OF]-(w:Workload) RETURN {label: 'Workload', id: w.id} AS s
  UNION
  MATCH (a)-[:USES_IDENTITY]->(r:AWSRole) RETURN {label: 'AWSRole', id: r.id} AS s
  UNION
  MATCH (a)-[:USES_IDENTITY]->(:K8sServiceAccount)-[m:MAY_ASSUME]->(r:AWSRole) WHERE m.via IN ['irsa', 'pod-identity'] RETURN {label: 'AWSRole', id: r.id} AS s
} AS subjects
