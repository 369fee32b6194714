// Purpose: how many agents match an agents filter, all pages (the connection's totalCount).
// Params: $text (lower-case substring of id or name, or null), $namespace, $observed, $hasFindings (or null).
// Result: one row {count}.
MATCH (a:AIAgent)
WHERE ($text IS NULL OR toLower(a.id) CONTAINS $text OR toLower(coalesce(a.name, '')) CONTAINS $text)
  AND ($namespace IS NULL OR a.namespace = $namespace)
  AND ($hasFindings IS NULL OR (coalesce(a.openFindings, 0) > 0) = $hasFindings)
  AND ($observed IS NULL OR (EXISTS { (a)-[:RUNS_ON]->(:Workload) }
       OR EXISTS { (a)-[:RUNS_ON]->(:K8sPod)<-[:PART_OF]-(:Workload) }
       OR EXISTS { (a)-[:RUNS_ON]->(:K8sWorkload)<-[:OWNED_BY]-{1,3}(:K8sPod)<-[:PART_OF]-(:Workload) }) = $observed)
RETURN count(a) AS count
