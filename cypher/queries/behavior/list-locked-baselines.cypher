// Purpose: the subjects with a locked baseline, to measure drift for all of them.
// Params: none.
// Result: subject, label (the subject's label), id (Baseline id).
MATCH (b:Baseline {state: 'locked'})-[:BASELINE_OF]->(s)
RETURN b.subject AS subject, labels(s)[0] AS label, b.id AS id
ORDER BY subject
