// Purpose: after a successful replace-mode sync, drop this owner's claim on its relationships of one type
// that the sync did not touch; delete those no owner claims any more (provenance of the others moves to a
// remaining owner). Candidates: relationships this owner wrote last ({{type}}_scope) and shared ones
// ({{type}}_shared). Template: {{type}}. Params: $source, $scope, $owner (claim prefix), $claim (owner + this
// syncId), $sep. Result: removed (count of relationships deleted).
CALL {
  MATCH ()-[r:{{type}}]->() WHERE r.source = $source AND r.scope = $scope RETURN r
  UNION
  MATCH ()-[r:{{type}}]->() WHERE r.shared = true RETURN r
}
WITH r, coalesce(r.claims, [r.source + $sep + r.scope + $sep + r.syncId]) AS claims
WHERE any(c IN claims WHERE c STARTS WITH $owner) AND NOT $claim IN claims
WITH r, [c IN claims WHERE NOT c STARTS WITH $owner] AS rest, r.source = $source AND r.scope = $scope AS wasLast
WITH r, rest, wasLast, split(coalesce(rest[0], ''), $sep) AS next
FOREACH (_ IN CASE WHEN size(rest) > 0 THEN [1] ELSE [] END |
  SET r.claims = CASE WHEN size(rest) > 1 THEN rest ELSE null END,
      r.shared = CASE WHEN size(rest) > 1 THEN true ELSE null END,
      r.source = CASE WHEN wasLast THEN next[0] ELSE r.source END,
      r.scope = CASE WHEN wasLast THEN next[1] ELSE r.scope END,
      r.syncId = CASE WHEN wasLast THEN next[2] ELSE r.syncId END)
FOREACH (_ IN CASE WHEN size(rest) = 0 THEN [1] ELSE [] END | DELETE r)
RETURN sum(CASE WHEN size(rest) = 0 THEN 1 ELSE 0 END) AS removed
