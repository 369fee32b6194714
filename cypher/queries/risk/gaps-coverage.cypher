// Purpose: the observation windows behind a subject's runtime evidence: every Coverage node that
// COVERS one of the subject's sensor Workloads, with what it ran and whether anything was lost.
// Params: $anchors (elementIds from risk/subject-anchors).
// Result: rows {workload, coverage, from, to, probes, lost}, ordered by workload, from.
MATCH (w) WHERE elementId(w) IN $anchors AND w:Workload
OPTIONAL MATCH (c:Coverage)-[:COVERS]->(w)
RETURN w.id AS workload, c.id AS coverage, toString(c.from) AS from, toString(c.to) AS to, coalesce(c.probes, []) AS probes,
       coalesce(c.lost, false) OR coalesce(c.ringLost, 0) + coalesce(c.mapFull, 0) + coalesce(c.queueOverflow, 0) > 0 AS lost
ORDER BY workload, from
