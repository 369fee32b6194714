// Purpose: what the API needs to verify one presented key: the stored hash, the role, revoked or not.
// Params: $id (public key id).
// Result: zero or one row {id, name, role, secretHash, revoked}.
MATCH (k:ApiKey {id: $id})
RETURN k.id AS id, k.name AS name, k.role AS role, k.secretHash AS secretHash, k.revokedAt IS NOT NULL AS revoked
