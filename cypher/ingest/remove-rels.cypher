// Purpose: remove relationships a sync's producer no longer derives (e.g. an attack edge whose binding was
// deleted), only where this source and scope own them.
// Template: {{type}}, {{fromLabel}}, {{toLabel}} are model names. Params: $source, $scope, $rows [{from, to, key}].
// Result: removed (count).
UNWIND $rows AS row
MATCH (a:{{fromLabel}} {id: row.from})-[r:{{type}} {key: row.key}]->(b:{{toLabel}} {id: row.to})
WHERE r.source = $source AND r.scope = $scope
DELETE r
RETURN count(*) AS removed
