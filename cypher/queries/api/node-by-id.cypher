// Purpose: the nodes with one id, whatever their label (ids are unique per label only), for node(id)
// without a label. Scans every node: node(id, label) is the index seek (node-by-label-id.cypher).
// Params: $id. Result: rows {node (elementId), id, labels, name, properties}, ordered by label, at most 20.
MATCH (n {id: $id})
RETURN elementId(n) AS node, n.id AS id, labels(n) AS labels, n.name AS name, properties(n) AS properties
ORDER BY labels[0]
LIMIT 20
