// Purpose: delete stub nodes (created as relationship endpoints, never owned by a source) that no
// relationship uses any more. Template: {{label}}. Params: none. Result: removed (count).
MATCH (n:{{label}})
WHERE n.stub = true AND NOT (n)--()
DELETE n
RETURN count(*) AS removed
