// Purpose: MERGE a batch of nodes of one label by id and record this source's claim on them. A node keeps
// the claims of other sources, so cleanup by one source never removes what another still claims.
// source/scope/syncId name the last writer; with one owner that is its only claim (`claims` stays unset, so
// the common case writes no list); with more, `claims` lists one `source␟scope␟syncId` per owner and
// `shared` is true.
// Template: {{label}} is a model label. Params: $rows [{id, props}], $source, $scope, $syncId, $now (ISO time),
// $owner (this owner's claim prefix), $claim (owner + syncId), $sep (the claim separator).
// Result: none.
UNWIND $rows AS row
MERGE (n:{{label}} {id: row.id})
  ON CREATE SET n.firstSeen = datetime($now)
WITH n, row, [c IN coalesce(n.claims, CASE WHEN n.source IS NULL THEN [] ELSE [n.source + $sep + n.scope + $sep + n.syncId] END) WHERE NOT c STARTS WITH $owner] AS others
SET n += row.props,
    n.lastSeen = datetime($now),
    n.source = $source,
    n.scope = $scope,
    n.syncId = $syncId,
    n.claims = CASE WHEN size(others) > 0 THEN others + $claim ELSE null END,
    n.shared = CASE WHEN size(others) > 0 THEN true ELSE null END
REMOVE n.stub
