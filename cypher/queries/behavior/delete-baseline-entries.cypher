// Purpose: remove a baseline's entries before it is learned again (the Baseline node and its drift events stay),
// at most $limit per call so a large baseline is removed in bounded transactions (call until deleted < limit).
// Params: $id (Baseline id), $limit (integer).
// Result: deleted (count).
MATCH (:Baseline {id: $id})-[:HAS_ENTRY]->(e:BaselineEntry)
WITH e LIMIT toInteger($limit)
DETACH DELETE e
RETURN count(*) AS deleted
