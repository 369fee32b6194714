// Purpose: MERGE a batch of declared or structural relationships of one type between two labels,
// with provenance. Endpoints missing from the graph are created as stubs (id and stub: true, no
// source) so that order of arrival does not matter. Written so that the plan has no Eager step:
// nothing the query sets is read back.
// Template: {{type}}, {{fromLabel}}, {{toLabel}} are model names.
// Params: $rows [{from, to, key, props, firstSeen, lastSeen}], $source, $scope, $syncId, $now (ISO time).
// Result: none.
UNWIND $rows AS row
MERGE (a:{{fromLabel}} {id: row.from})
  ON CREATE SET a.stub = true, a.firstSeen = datetime($now), a.lastSeen = datetime($now)
MERGE (b:{{toLabel}} {id: row.to})
  ON CREATE SET b.stub = true, b.firstSeen = datetime($now), b.lastSeen = datetime($now)
MERGE (a)-[r:{{type}} {key: row.key}]->(b)
  ON CREATE SET r.firstSeen = datetime(coalesce(row.firstSeen, $now))
SET r += row.props,
    r.source = $source,
    r.scope = $scope,
    r.syncId = $syncId,
    r.lastSeen = datetime(coalesce(row.lastSeen, $now))
