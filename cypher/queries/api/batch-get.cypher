// Purpose: whether a remote-ingest batch was applied already (idempotency by batch id).
// Params: $id (the sender's batch id). Result: zero or one row {id, scope, syncId, appliedAt}.
MATCH (b:IngestBatch {id: $id})
RETURN b.id AS id, b.scope AS scope, b.syncId AS syncId, toString(b.firstSeen) AS appliedAt
