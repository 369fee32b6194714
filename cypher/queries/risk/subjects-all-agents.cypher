// Purpose: every AIAgent, the default subjects of a findings report.
// Params: none.
// Result: rows {label, id, name}, ordered by id.
MATCH (n:AIAgent)
RETURN 'AIAgent' AS label, n.id AS id, coalesce(n.name, n.id) AS name
ORDER BY id
