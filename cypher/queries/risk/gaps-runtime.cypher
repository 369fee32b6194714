// Purpose: what a subject's sensor Workloads did (files opened, DNS names asked, executables run) next
// to what its AI-BOM declares (model paths, tool and endpoint URLs, MCP server commands); MCP tools: risk/gaps-tools.
// Params: $anchors (elementIds from risk/subject-anchors).
// Result: one row {observed [{type, target, class, count, lastSeen}], declared [{label, id, url, path, command, provider}]}.
CALL () {
  MATCH (w) WHERE elementId(w) IN $anchors AND w:Workload
  MATCH (w)-[o:DID_OPEN|DID_RESOLVE|DID_EXEC]->(t)
  RETURN collect({type: type(o), target: t.id, class: t.class, count: o.count, lastSeen: toString(o.lastSeen)}) AS observed
}
CALL () {
  MATCH (ag) WHERE elementId(ag) IN $anchors AND ag:AIAgent
  MATCH (ag)-[:MAY_USE_TOOL|MAY_INVOKE]->(x)
  OPTIONAL MATCH (m:AIModel)-[:RUNS_ON]->(x)
  WITH collect(x) + collect(m) AS xs
  UNWIND xs AS d
  RETURN collect(DISTINCT {label: labels(d)[0], id: d.id, url: d.url, path: d.path, command: d.command, provider: d.provider}) AS declared
}
RETURN observed, declared
