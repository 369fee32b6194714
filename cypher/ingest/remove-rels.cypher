// Purpose: drop this owner's claim on relationships a sync's producer no longer derives (e.g. an attack
// edge whose binding was deleted); delete those no owner claims any more, keep the others.
// Template: {{type}}, {{fromLabel}}, {{toLabel}} are model names.
// Params: $source, $scope, $owner (claim prefix), $sep, $rows [{from, to, key}].
// Result: removed (count of relationships deleted).
UNWIND $rows AS row
MATCH (a:{{fromLabel}} {id: row.from})-[r:{{type}} {key: row.key}]->(b:{{toLabel}} {id: row.to})
WITH DISTINCT r
WITH r, coalesce(r.claims, [r.source + $sep + r.scope + $sep + r.syncId]) AS claims
WHERE any(c IN claims WHERE c STARTS WITH $owner)
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
