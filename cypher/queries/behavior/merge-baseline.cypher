// Purpose: write a subject's baseline node (learned or re-learned), linked BASELINE_OF to the subject.
// Template: {{label}} is the subject's label (a model name).
// Params: $subject, $id, $now (ISO time), $props (state, version, windowFrom, windowTo, entryCount, coverage*, learnedAt, lockedAt).
// Result: id.
MATCH (s:{{label}} {id: $subject})
MERGE (b:Baseline {id: $id})
  ON CREATE SET b.createdAt = datetime($now)
SET b += $props, b.subject = $subject, b.updatedAt = datetime($now)
MERGE (b)-[:BASELINE_OF]->(s)
RETURN b.id AS id
