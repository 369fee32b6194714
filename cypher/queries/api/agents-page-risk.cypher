// Purpose: one page of agents, highest riskScore first (missing = 0), ties by id: keyset pagination, so a
// page costs the same wherever it is and an agent added between pages neither repeats nor shifts others.
// Params: $text (lower-case substring of id or name, or null), $namespace, $observed, $hasFindings (or
// null), $afterScore, $afterId (the previous page's last row, or null for the first page), $limit.
// Result: rows {id, name, label, riskScore, observed}, at most $limit.
MATCH (a:AIAgent)
WITH a, coalesce(toFloat(a.riskScore), 0.0) AS riskScore
WHERE ($afterId IS NULL OR riskScore < $afterScore OR (riskScore = $afterScore AND a.id > $afterId))
  AND ($text IS NULL OR toLower(a.id) CONTAINS $text OR toLower(coalesce(a.name, '')) CONTAINS $text)
  AND ($namespace IS NULL OR a.namespace = $namespace)
  AND ($hasFindings IS NULL OR (coalesce(a.openFindings, 0) > 0) = $hasFindings)
WITH a, riskScore,
     EXISTS { (a)-[:RUNS_ON]->(:Workload) }
     OR EXISTS { (a)-[:RUNS_ON]->(:K8sPod)<-[:PART_OF]-(:Workload) }
     OR EXISTS { (a)-[:RUNS_ON]->(:K8sWorkload)<-[:OWNED_BY]-{1,3}(:K8sPod)<-[:PART_OF]-(:Workload) } AS observed
WHERE $observed IS NULL OR observed = $observed
RETURN a.id AS id, coalesce(a.name, a.id) AS name, 'AIAgent' AS label, riskScore, observed
ORDER BY riskScore DESC, id
LIMIT toInteger($limit)
