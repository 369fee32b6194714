// Purpose: privilege-escalation edges, optionally only those leaving one principal.
// Params: $principal (ARN or null for all).
// Result: rows {from, to, method, conditional, evidence}, ordered.
MATCH (a)-[e:MAY_ESCALATE_TO]->(b)
WHERE $principal IS NULL OR a.id = $principal
RETURN a.id AS from, b.id AS to, e.method AS method, e.conditional AS conditional, e.evidence AS evidence
ORDER BY from, to, method
