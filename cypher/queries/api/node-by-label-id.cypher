// Purpose: the node with one label and id (the label's unique id constraint makes this an index seek).
// Template: {{label}} is a model label. Params: $id.
// Result: at most one row {node (elementId), id, labels, name, properties}.
MATCH (n:{{label}} {id: $id})
RETURN elementId(n) AS node, n.id AS id, labels(n) AS labels, n.name AS name, properties(n) AS properties
