// Purpose: how many of one agent's stored findings match a filter (all pages), the totalCount of the API's findings
// connection. The same filters and status computation as risk/findings-store/list-agent-findings.
// Params: $severity ([string] or null), $framework (lower-case key or control id, or null), $agent
//   (subject id), $status (open|accepted|resolved or null), $now (ISO instant).
// Result: one row {total}.
MATCH (f:Finding {subjectId: $agent})
WHERE ($severity IS NULL OR f.severity IN $severity)
  AND ($framework IS NULL OR $framework IN f.frameworkKeys)
WITH f, CASE WHEN f.status = 'resolved' THEN 'resolved' WHEN f.acceptedUntil > $now THEN 'accepted' ELSE 'open' END AS status
WHERE $status IS NULL OR status = $status
RETURN count(f) AS total
