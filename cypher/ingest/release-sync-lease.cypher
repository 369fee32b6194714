// Purpose: give up the lease a sync holds when it ends (succeeded or failed); the node stays, so a waiting
// sync's MERGE never races a delete. Params: $key, $syncId. Result: none.
MATCH (l:SyncLease {id: $key})
WHERE l.syncId = $syncId
SET l.syncId = null, l.host = null, l.pid = null, l.expiresAt = null, l.releasedAt = datetime()
