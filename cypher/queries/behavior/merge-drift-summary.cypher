// Purpose: record what one drift run of a subject did not write as events (the per-run cap, docs/behavior.md
// "Bounded volume"): one DriftSummary per subject and baseline version, set (not added to) by every run, so
// measuring again never counts an edge twice and nothing beyond the cap is dropped silently.
// Template: {{label}} is the subject's label (a model name).
// Params: $subject, $id (DriftSummary id), $now (ISO), $props (baselineVersion, cap, outside, written,
// suppressed, suppressed<Kind> per kind).
// Result: id, created (true for a new summary).
MATCH (s:{{label}} {id: $subject})
MERGE (d:DriftSummary {id: $id})
  ON CREATE SET d.createdAt = datetime($now), d.new = true
  ON MATCH SET d.new = false
SET d += $props, d.subject = $subject, d.updatedAt = datetime($now)
MERGE (d)-[:DRIFT_SUMMARY_OF]->(s)
RETURN d.id AS id, d.new AS created
