// Purpose: drop this owner's claim on nodes a sync's producer reports gone (e.g. objects a Kubernetes watch
// saw deleted) and its claims on their relationships. Relationships no owner claims any more are deleted;
// a node no owner claims is deleted, or made a stub when relationships of other owners still end at it.
// Template: {{label}} is a model label. Params: $source, $scope, $owner (claim prefix), $sep, $ids (node ids).
// Result: removed (nodes deleted or made stubs), removedRels (relationships deleted).
UNWIND $ids AS nid
MATCH (n:{{label}} {id: nid})
WITH DISTINCT n
WITH n, coalesce(n.claims, [n.source + $sep + n.scope + $sep + n.syncId]) AS claims
WHERE any(c IN claims WHERE c STARTS WITH $owner)
CALL (n) {
  MATCH (n)-[r]-()
  WITH DISTINCT r
  WITH r, coalesce(r.claims, [r.source + $sep + r.scope + $sep + r.syncId]) AS rc
  WHERE any(c IN rc WHERE c STARTS WITH $owner)
  WITH r, [c IN rc WHERE NOT c STARTS WITH $owner] AS rest, r.source = $source AND r.scope = $scope AS wasLast
  WITH r, rest, wasLast, split(coalesce(rest[0], ''), $sep) AS next
  FOREACH (_ IN CASE WHEN size(rest) > 0 THEN [1] ELSE [] END |
    SET r.claims = CASE WHEN size(rest) > 1 THEN rest ELSE null END,
        r.shared = CASE WHEN size(rest) > 1 THEN true ELSE null END,
        r.source = CASE WHEN wasLast THEN next[0] ELSE r.source END,
        r.scope = CASE WHEN wasLast THEN next[1] ELSE r.scope END,
        r.syncId = CASE WHEN wasLast THEN next[2] ELSE r.syncId END)
  FOREACH (_ IN CASE WHEN size(rest) = 0 THEN [1] ELSE [] END | DELETE r)
  RETURN sum(CASE WHEN size(rest) = 0 THEN 1 ELSE 0 END) AS rels
}
WITH n, claims, rels, [c IN claims WHERE NOT c STARTS WITH $owner] AS rest, n.source = $source AND n.scope = $scope AS wasLast
WITH n, rels, rest, wasLast, split(coalesce(rest[0], ''), $sep) AS next, size(rest) = 0 AND EXISTS { (n)--() } AS demote, size(rest) = 0 AND NOT EXISTS { (n)--() } AS drop
FOREACH (_ IN CASE WHEN size(rest) > 0 THEN [1] ELSE [] END |
  SET n.claims = CASE WHEN size(rest) > 1 THEN rest ELSE null END,
      n.shared = CASE WHEN size(rest) > 1 THEN true ELSE null END,
      n.source = CASE WHEN wasLast THEN next[0] ELSE n.source END,
      n.scope = CASE WHEN wasLast THEN next[1] ELSE n.scope END,
      n.syncId = CASE WHEN wasLast THEN next[2] ELSE n.syncId END)
FOREACH (_ IN CASE WHEN demote THEN [1] ELSE [] END | SET n = {id: n.id, stub: true, firstSeen: n.firstSeen, lastSeen: n.lastSeen})
FOREACH (_ IN CASE WHEN drop THEN [1] ELSE [] END | DELETE n)
RETURN sum(CASE WHEN demote OR drop THEN 1 ELSE 0 END) AS removed, sum(rels) AS removedRels
