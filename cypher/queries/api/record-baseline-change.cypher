// Purpose: after an API mutation of a baseline (lock, relearn through behavior/store), record who did it,
// what and when on the Baseline node (changedBy, change, changedAt; the behaviour engine's own writes
// add to the node's properties and leave these in place).
// Params: $id (Baseline id "baseline:" + subject id), $by (the principal's name), $change ('lock' | 'relearn'), $now (ISO time).
// Result: one row {id}, none when there is no such baseline.
MATCH (b:Baseline {id: $id})
SET b.changedBy = $by, b.change = $change, b.changedAt = datetime($now)
RETURN b.id AS id
