// Purpose: extend the lease a running sync holds (its heartbeat); no row changes when another sync took it
// over after it expired. Params: $key, $syncId, $ttlMs. Result: held (1 when this sync still holds it).
MATCH (l:SyncLease {id: $key})
WHERE l.syncId = $syncId
SET l.expiresAt = datetime() + duration({milliseconds: $ttlMs})
RETURN count(l) AS held
