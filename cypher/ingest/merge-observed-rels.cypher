// Purpose: MERGE a batch of observed (DID_*) relationships of one type between two labels, with provenance.
// Endpoints missing from the graph are created as stubs (id and stub: true, no source) so that order of
// arrival does not matter. Observed relationships carry `count`: the cumulative count within
// this sync; counts of earlier syncs are kept in countPrior, so replaying a sync is idempotent.
// Template: {{type}}, {{fromLabel}}, {{toLabel}} are model names.
// Claims as in merge-nodes: one `source␟scope␟syncId` per owner, `shared` when more than one.
// Params: $rows [{from, to, key, props, firstSeen, lastSeen, count}], $source, $scope, $syncId, $now, $owner, $claim, $sep.
// Result: none.
UNWIND $rows AS row
MERGE (a:{{fromLabel}} {id: row.from})
  ON CREATE SET a.stub = true, a.firstSeen = datetime($now), a.lastSeen = datetime($now)
MERGE (b:{{toLabel}} {id: row.to})
  ON CREATE SET b.stub = true, b.firstSeen = datetime($now), b.lastSeen = datetime($now)
MERGE (a)-[r:{{type}} {key: row.key}]->(b)
WITH r, row, [c IN coalesce(r.claims, CASE WHEN r.source IS NULL THEN [] ELSE [r.source + $sep + r.scope + $sep + r.syncId] END) WHERE NOT c STARTS WITH $owner] AS others, datetime(coalesce(row.firstSeen, $now)) AS fs, datetime(coalesce(row.lastSeen, $now)) AS ls,
     coalesce(r.countPrior, 0) + CASE WHEN r.syncId = $syncId THEN 0 ELSE coalesce(r.countCurrent, 0) END AS prior
SET r += row.props,
    r.source = $source,
    r.scope = $scope,
    r.syncId = $syncId,
    r.claims = CASE WHEN size(others) > 0 THEN others + $claim ELSE null END,
    r.shared = CASE WHEN size(others) > 0 THEN true ELSE null END,
    r.firstSeen = CASE WHEN r.firstSeen IS NULL OR fs < r.firstSeen THEN fs ELSE r.firstSeen END,
    r.lastSeen = CASE WHEN r.lastSeen IS NULL OR ls > r.lastSeen THEN ls ELSE r.lastSeen END,
    r.countPrior = CASE WHEN row.count IS NULL THEN null ELSE prior END,
    r.countCurrent = row.count,
    r.count = CASE WHEN row.count IS NULL THEN null ELSE prior + row.count END
