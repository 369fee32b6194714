// Purpose: revoke one API key; revoking twice keeps the first time. The node stays, for the audit trail.
// Params: $id (public key id).
// Result: zero or one row {id, revokedAt}.
MATCH (k:ApiKey {id: $id})
SET k.revokedAt = coalesce(k.revokedAt, datetime())
RETURN k.id AS id, toString(k.revokedAt) AS revokedAt
