// Purpose: the Agent view of subjects that agent(id) resolved (an AIAgent, or a pod, workload, service
// account, IAM principal or sensor Workload named the way the CLI accepts): name, stored risk, observed.
// Params: $nodes (elementIds from risk/resolve-subject).
// Result: rows {node, id, name, label, riskScore, observed}.
UNWIND $nodes AS node
MATCH (a) WHERE elementId(a) = node
RETURN node, a.id AS id, coalesce(a.name, a.id) AS name, labels(a)[0] AS label,
       coalesce(toFloat(a.riskScore), 0.0) AS riskScore,
       a:Workload
       OR EXISTS { (a)-[:RUNS_ON]->(:Workload) }
       OR EXISTS { (a)-[:RUNS_ON|OWNED_BY]->{0,1}(:K8sPod)<-[:PART_OF]-(:Workload) }
       OR EXISTS { (a)-[:RUNS_ON]->{0,1}(:K8sWorkload)<-[:OWNED_BY]-{1,3}(:K8sPod)<-[:PART_OF]-(:Workload) }
       OR EXISTS { (a:K8sServiceAccount)<-[:RUNS_AS]-(:K8sPod)<-[:PART_OF]-(:Workload) } AS observed
