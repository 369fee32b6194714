// Purpose: what the sensor observed for one agent, for the runtime-derived AI-BOM (`aibom diff`): the
// sensor Workloads the agent runs as (directly, through its pod, or through the pods of its Kubernetes
// workload), the model and agent-package files they opened, the DNS names they resolved and the
// processes (redacted argv) that ran in them.
// Params: $agent (AIAgent id).
// Result: one row {workloads [id], files [{path, class, count, lastSeen}], dns [{name, count, lastSeen}],
// processes [{executable, argv}]}; no row when the agent is unknown.
MATCH (a:AIAgent {id: $agent})
WITH a, COLLECT {
  MATCH (a)-[:RUNS_ON]->(w:Workload) RETURN w
  UNION
  MATCH (a)-[:RUNS_ON]->(:K8sPod)<-[:PART_OF]-(w:Workload) RETURN w
  UNION
  MATCH (a)-[:RUNS_ON]->(:K8sWorkload)<-[:OWNED_BY*1..3]-(:K8sPod)<-[:PART_OF]-(w:Workload) RETURN w
} AS ws
RETURN [w IN ws | w.id] AS workloads,
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
