// Purpose: lock a baseline (drift is measured against locked baselines only).
// Params: $id (Baseline id), $state ('locked' or 'learning'), $now (ISO time).
// Result: id, state, version (no row when there is no such baseline).
MATCH (b:Baseline {id: $id})
SET b.state = $state, b.lockedAt = CASE WHEN $state = 'locked' THEN datetime($now) ELSE null END, b.updatedAt = datetime($now)
RETURN b.id AS id, b.state AS state, b.version AS version
