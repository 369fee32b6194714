// Purpose: one page of stored findings, highest priority first then by id (a keyset: the cursor is the
// last row's priority and id), filtered by severity, framework key or control id and status. The
// status is computed at $now: resolved stays resolved, an acceptance running past $now reads accepted.
// Params: $severity ([string] or null), $framework (lower-case key or control id, or null), $status (open|accepted|resolved or null), $now (ISO instant),
//   $afterPriority and $afterId (the cursor, or both null), $limit (int).
// Result: rows {finding (properties), status, acceptances ([RiskAcceptance properties], newest first)}.
// The (priority, id) index gives the order, so a page reads about as many findings as it returns (a
// PartialSort, not a sort of every finding); with an agent, risk/findings-store/list-agent-findings seeks
// by subject instead.
MATCH (f:Finding) USING INDEX f:Finding(priority, id)
WHERE f.priority >= 0 AND f.id IS NOT NULL
  AND ($severity IS NULL OR f.severity IN $severity)
  AND ($framework IS NULL OR $framework IN f.frameworkKeys)
  AND ($afterId IS NULL OR f.priority < $afterPriority OR (f.priority = $afterPriority AND f.id > $afterId))
WITH f, CASE WHEN f.status = 'resolved' THEN 'resolved' WHEN f.acceptedUntil > $now THEN 'accepted' ELSE 'open' END AS status
WHERE $status IS NULL OR status = $status
WITH f, status ORDER BY f.priority DESC, f.id ASC LIMIT toInteger($limit)
CALL (f) {
  OPTIONAL MATCH (r:RiskAcceptance)-[:ACCEPTS]->(f)
  WITH r ORDER BY r.at DESC
  RETURN collect(r {.*}) AS acceptances
}
RETURN f {.*} AS finding, status, acceptances
ORDER BY f.priority DESC, f.id ASC
