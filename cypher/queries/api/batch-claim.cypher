// Purpose: claim a remote-ingest batch id as the first statement of the transaction that applies the batch
// (runSync's precondition). The unique constraint on IngestBatch.id makes a concurrent claim of the same id
// wait for this transaction: if it commits, the other finds the marker and returns no row (a duplicate);
// if it rolls back, the other creates it. So a batch is applied at most once, and the marker commits
// with the data or not at all.
// Params: $id (the batch id), $requestId (this request). Result: one row {id} when this request claimed it, else none.
MERGE (b:IngestBatch {id: $id})
  ON CREATE SET b.requestId = $requestId, b.firstSeen = datetime()
WITH b
WHERE b.requestId = $requestId
RETURN b.id AS id
