// Purpose: MERGE a batch of nodes of one label by id and mark them as owned by this sync.
// Template: {{label}} is a model label. Params: $rows [{id, props}], $source, $scope, $syncId, $now (ISO time).
// Result: none.
UNWIND $rows AS row
MERGE (n:{{label}} {id: row.id})
  ON CREATE SET n.firstSeen = datetime($now)
SET n += row.props,
    n.lastSeen = datetime($now),
    n.source = $source,
    n.scope = $scope,
    n.syncId = $syncId
REMOVE n.stub
