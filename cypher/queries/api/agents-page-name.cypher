// Purpose: one page of agents by name (the id when unnamed), ties by id: keyset pagination (see
// agents-page-risk.cypher).
// Params: $text (lower-case substring of id or name, or null), $namespace, $observed, $hasFindings (or
// null), $afterName, $afterId (the previous page's last row, or null for the first page), $limit.
// Result: rows {id, name, label, riskScore, observed}, at most $limit.
MATCH (a:AIAgent)
WITH a, coalesce(a.name, a.id) AS name
WHERE ($afterId IS NULL OR name > $afterName OR (name = $afterName AND a.id > $afterId))
  AND ($text IS NULL OR toLower(a.id) CONTAINS $text OR toLower(coalesce(a.name, '')) CONTAINS $text)
  AND ($namespace IS NULL OR a.namespace = $namespace)
  AND ($hasFindings IS NULL OR (coalesce(a.openFindings, 0) > 0) = $hasFindings)
WITH a, name,
     EXISTS { (a)-[:RUNS_ON]->(:Workload) }
     OR EXISTS { (a)-[:RUNS_ON]->(:K8sPod)<-[:PART_OF]-(:Workload) }
     OR EXISTS { (a)-[:RUNS_ON]->(:K8sWorkload)<-[:OWNED_BY]-{1,3}(:K8sPod)<-[:PART_OF]-(:Workload) } AS observed
WHERE $observed IS NULL OR observed = $observed
RETURN a.id AS id, name, 'AIAgent' AS label, coalesce(toFloat(a.riskScore), 0.0) AS riskScore, observed
ORDER BY name, id
LIMIT toInteger($limit)
