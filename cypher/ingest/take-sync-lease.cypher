// Purpose: take the lease of a source and scope for a sync when it is free: never held, released, held by
// this sync, expired (its holder stopped renewing), or held by $deadHolder (a sync whose process the caller
// saw gone on this host). Runs after lock-sync-lease in the same transaction.
// Params: $key, $syncId, $host, $pid, $ttlMs, $deadHolder (sync id or null).
// Result: acquired (boolean), holder, host, pid, expiresAt (of the lease as found).
MATCH (l:SyncLease {id: $key})
WITH l, l.syncId AS holder, l.host AS host, l.pid AS pid, l.expiresAt AS expiresAt
WITH l, holder, host, pid, expiresAt,
     holder IS NULL OR holder = $syncId OR expiresAt IS NULL OR expiresAt < datetime() OR holder = $deadHolder AS free
FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END |
  SET l.syncId = $syncId, l.host = $host, l.pid = $pid, l.acquiredAt = datetime(),
      l.expiresAt = datetime() + duration({milliseconds: $ttlMs}))
RETURN free AS acquired, holder, host, pid, toString(expiresAt) AS expiresAt
