// Purpose: every API key for `reachgraph api-key list`, oldest first; never the hash.
// Params: none.
// Result: rows {id, name, role, createdAt, lastUsedAt, revokedAt} (times as ISO strings or null).
MATCH (k:ApiKey)
RETURN k.id AS id, k.name AS name, k.role AS role, toString(k.createdAt) AS createdAt,
       toString(k.lastUsedAt) AS lastUsedAt, toString(k.revokedAt) AS revokedAt
ORDER BY k.createdAt, k.id
