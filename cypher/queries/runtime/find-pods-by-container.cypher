// Purpose: attribution: find the Kubernetes pod a runtime container belongs to, by pod UID
// (K8sPod.uid) or by container id (K8sPod.containerIds), as the Kubernetes collector records them.
// Params: $rows [{key, podUid (string or null), containerId (string or null)}].
// Result: key, podId (the K8sPod id <cluster>/<ns>/<name>, or null when no pod matches).
UNWIND $rows AS row
OPTIONAL MATCH (p:K8sPod)
  WHERE (row.podUid IS NOT NULL AND p.uid = row.podUid)
     OR (row.containerId IS NOT NULL AND row.containerId IN coalesce(p.containerIds, []))
WITH row, collect(p.id) AS ids
RETURN row.key AS key, CASE WHEN size(ids) = 0 THEN null ELSE ids[0] END AS podId
