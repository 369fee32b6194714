// Purpose: the container images each top-level workload's pods run, as the graph holds them now
// (read before a Kubernetes sync, to record the workloads whose sync brings a new image).
// Params: $cluster (the sync scope).
// Result: rows {workload, images} (distinct images, sorted).
MATCH (p:K8sPod {cluster: $cluster})-[:HAS_CONTAINER]->(c:K8sContainer)
WHERE p.workload IS NOT NULL AND c.image IS NOT NULL
WITH p.workload AS workload, c.image AS image ORDER BY image
RETURN workload, collect(DISTINCT image) AS images
