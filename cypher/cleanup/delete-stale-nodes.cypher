// Purpose: after a successful replace-mode sync, drop this owner's claim on its nodes of one label that the
// sync did not touch. A node other owners still claim stays (provenance moves to one of them); a node
// nobody claims any more is deleted, or made a stub (id, stub: true, times) when relationships of other
// owners still end at it, so no other owner's relationship goes with it. Candidates come from two
// indexes: nodes this owner wrote last ({{label}}_scope) and nodes several owners claim ({{label}}_shared).
// Template: {{label}}. Params: $source, $scope, $owner (claim prefix), $claim (owner + this syncId), $sep.
// Result: removed (count of nodes deleted or made stubs).
CALL {
  MATCH (n:{{label}}) WHERE n.source = $source AND n.scope = $scope RETURN n
  UNION
  MATCH (n:{{label}}) WHERE n.shared = true RETURN n
}
WITH n, coalesce(n.claims, [n.source + $sep + n.scope + $sep + n.syncId]) AS claims
WHERE any(c IN claims WHERE c STARTS WITH $owner) AND NOT $claim IN claims
WITH n, [c IN claims WHERE NOT c STARTS WITH $owner] AS rest, n.source = $source AND n.scope = $scope AS wasLast
WITH n, rest, wasLast, split(coalesce(rest[0], ''), $sep) AS next, size(rest) = 0 AND EXISTS { (n)--() } AS demote, size(rest) = 0 AND NOT EXISTS { (n)--() } AS drop
FOREACH (_ IN CASE WHEN size(rest) > 0 THEN [1] ELSE [] END |
  SET n.claims = CASE WHEN size(rest) > 1 THEN rest ELSE null END,
      n.shared = CASE WHEN size(rest) > 1 THEN true ELSE null END,
      n.source = CASE WHEN wasLast THEN next[0] ELSE n.source END,
      n.scope = CASE WHEN wasLast THEN next[1] ELSE n.scope END,
      n.syncId = CASE WHEN wasLast THEN next[2] ELSE n.syncId END)
FOREACH (_ IN CASE WHEN demote THEN [1] ELSE [] END | SET n = {id: n.id, stub: true, firstSeen: n.firstSeen, lastSeen: n.lastSeen})
FOREACH (_ IN CASE WHEN drop THEN [1] ELSE [] END | DELETE n)
RETURN sum(CASE WHEN demote OR drop THEN 1 ELSE 0 END) AS removed
