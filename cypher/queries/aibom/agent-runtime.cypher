// Purpose: what the sensor observed for some agents, for the runtime-derived AI-BOM (`aibom diff`, the
// API's Agent.aiBom for a page of agents in one round trip): the sensor Workloads each agent runs as
// (directly, through its pod, or through the pods of its Kubernetes workload), the model and agent-package
// files they opened, the DNS names they resolved and the processes (redacted argv) that ran in them.
// Params: $agents ([AIAgent id]).
// Result: one row per known agent {agent, workloads [id], files [{path, class, count, lastSeen}],
// dns [{name, count, lastSeen}], processes [{executable, argv}]}; none for an unknown one.
UNWIND $agents AS agentId
MATCH (a:AIAgent {id: agentId})
WITH a, COLLECT {
  MATCH (a)-[:RUNS_ON]->(w:Workload) RETURN w
  UNION
  MATCH (a)-[:RUNS_ON]->(:K8sPod)<-[:PART_OF]-(w:Workload) RETURN w
  UNION
  MATCH (a)-[:RUNS_ON]->(:K8sWorkload)<-[:OWNED_BY*1..3]-(:K8sPod)<-[:PART_OF]-(w:Workload) RETURN w
} AS ws
RETURN a.id AS agent, [w IN ws | w.id] AS workloads,
  COLLECT {
    UNWIND ws AS w
    MATCH (w)-[o:DID_OPEN]->(f:File) WHERE f.class IN ['model', 'agent-package']
    RETURN {path: f.id, class: f.class, count: o.count, lastSeen: toString(o.lastSeen)}
  } AS files,
  COLLECT {
    UNWIND ws AS w
    MATCH (w)-[o:DID_RESOLVE]->(d:DNSName)
    RETURN {name: d.id, count: o.count, lastSeen: toString(o.lastSeen)}
  } AS dns,
  COLLECT {
    UNWIND ws AS w
    MATCH (p:Process)-[:PART_OF]->(w) WHERE p.argv IS NOT NULL
    RETURN {executable: p.executable, argv: p.argv}
  } AS processes
