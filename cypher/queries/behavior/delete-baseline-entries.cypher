// Purpose: remove a baseline's entries before it is learned again (the Baseline node and its drift events stay).
// Params: $id (Baseline id).
// Result: deleted (count).
MATCH (:Baseline {id: $id})-[:HAS_ENTRY]->(e:BaselineEntry)
DETACH DELETE e
RETURN count(*) AS deleted
