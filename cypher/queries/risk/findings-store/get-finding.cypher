// Purpose: one stored finding by id, for an acceptance to check before it writes.
// Params: $id (finding id).
// Result: zero or one row {id, status, subjectLabel, subjectId, resolvedAt, acceptedUntil}.
MATCH (f:Finding {id: $id})
RETURN f.id AS id, f.status AS status, f.subjectLabel AS subjectLabel, f.subjectId AS subjectId,
       f.resolvedAt AS resolvedAt, f.acceptedUntil AS acceptedUntil
