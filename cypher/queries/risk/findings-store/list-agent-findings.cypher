// Purpose: one page of one agent's stored findings, highest priority first then by id (a keyset: the cursor is the
// last row's priority and id), filtered by severity, framework key or control id and status. The
// status is computed at $now: resolved stays resolved, an acceptance running past $now reads accepted.
// Params: $severity ([string] or null), $framework (lower-case key or control id, or null), $agent
//   (subject id), $status (open|accepted|resolved or null), $now (ISO instant),
//   $afterPriority and $afterId (the cursor, or both null), $limit (int).
// Result: rows {finding (properties), status, acceptances ([RiskAcceptance properties], newest first)}.
MATCH (f:Finding {subjectId: $agent})
WHERE ($severity IS NULL OR f.severity IN $severity)
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
