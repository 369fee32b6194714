// Purpose: create the lease node of a source and scope if missing and take its write lock for this
// transaction, so the holder read next is the latest committed one (a unique constraint on SyncLease.id
// keeps one lease per pair, on a cluster too). Params: $key, $source, $scope. Result: none.
MERGE (l:SyncLease {id: $key})
  ON CREATE SET l.ownerSource = $source, l.ownerScope = $scope
SET l.lockedAt = datetime()
