// Purpose: MERGE a batch of declared or structural relationships of one type between two labels,
// with provenance. Endpoints missing from the graph are created as stubs (id and stub: true, no
// source) so that order of arrival does not matter. Written so that the plan has no Eager step:
// the only property read back is the claims list of the relationship this row MERGEd.
// Template: {{type}}, {{fromLabel}}, {{toLabel}} are model names.
// Claims as in merge-nodes: one `source␟scope␟syncId` per owner, `shared` when more than one.
// Params: $rows [{from, to, key, props, firstSeen, lastSeen}], $source, $scope, $syncId, $now (ISO time), $owner, $claim, $sep.
// Result: none.
UNWIND $rows AS row
MERGE (a:{{fromLabel}} {id: row.from})
  ON CREATE SET a.stub = true, a.firstSeen = datetime($now), a.lastSeen = datetime($now)
MERGE (b:{{toLabel}} {id: row.to})
  ON CREATE SET b.stub = true, b.firstSeen = datetime($now), b.lastSeen = datetime($now)
MERGE (a)-[r:{{type}} {key: row.key}]->(b)
  ON CREATE SET r.firstSeen = datetime(coalesce(row.firstSeen, $now))
WITH r, row, [c IN coalesce(r.claims, CASE WHEN r.source IS NULL THEN [] ELSE [r.source + $sep + r.scope + $sep + r.syncId] END) WHERE NOT c STARTS WITH $owner] AS others
SET r += row.props,
    r.source = $source,
    r.scope = $scope,
    r.syncId = $syncId,
    r.claims = CASE WHEN size(others) > 0 THEN others + $claim ELSE null END,
    r.shared = CASE WHEN size(others) > 0 THEN true ELSE null END,
    r.lastSeen = datetime(coalesce(row.lastSeen, $now))
