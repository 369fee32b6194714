// Purpose: record that a key was used, at most once a minute per key (the condition holds across API processes).
// Params: $id (public key id).
// Result: zero or one row {lastUsedAt}.
MATCH (k:ApiKey {id: $id})
WHERE k.lastUsedAt IS NULL OR k.lastUsedAt < datetime() - duration('PT1M')
SET k.lastUsedAt = datetime()
RETURN toString(k.lastUsedAt) AS lastUsedAt
