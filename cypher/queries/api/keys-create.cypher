// Purpose: store a new API key: its SHA-256 only, never the secret. CREATE, so a reused id fails on the constraint.
// Params: $id (public key id), $name, $role (viewer|analyst|admin|ingest), $secretHash (hex SHA-256 of the secret).
// Result: one row {id, name, role, createdAt}.
CREATE (k:ApiKey {id: $id, name: $name, role: $role, secretHash: $secretHash, createdAt: datetime()})
RETURN k.id AS id, k.name AS name, k.role AS role, toString(k.createdAt) AS createdAt
