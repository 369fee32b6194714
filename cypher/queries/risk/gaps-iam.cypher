// Purpose: IAM grants of a subject's AWS principals against IAM last-accessed usage: the MAY_ACCESS
// action lists, the DID_USE_ACTION edges, and the newest successful last-accessed sync of the account
// (without one, nothing can be called unused).
// Params: $anchors (elementIds from risk/subject-anchors).
// Result: rows {principal, grants [{resource, actions}], used [{action, granularity, lastSeen}], usageSyncedAt}.
MATCH (p) WHERE elementId(p) IN $anchors AND (p:AWSRole OR p:AWSUser)
CALL (p) {
  OPTIONAL MATCH (p)-[g:MAY_ACCESS]->(r)
  RETURN collect(CASE WHEN g IS NULL THEN null ELSE {resource: r.id, actions: g.actions} END) AS grants
}
CALL (p) {
  OPTIONAL MATCH (p)-[u:DID_USE_ACTION]->(a:AWSAction)
  RETURN collect(CASE WHEN u IS NULL THEN null ELSE {action: a.id, granularity: u.granularity, lastSeen: toString(u.lastSeen)} END) AS used
}
CALL (p) {
  OPTIONAL MATCH (s:Sync {source: 'aws-usage', scope: split(p.id, ':')[4], status: 'succeeded'})
  RETURN toString(max(s.finishedAt)) AS usageSyncedAt
}
RETURN p.id AS principal, grants, used, usageSyncedAt
ORDER BY principal
