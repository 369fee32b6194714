// Purpose: the nodes with one id, whatever their label (ids are unique per label only), for commands
// that take a NODE_ID (tag, paths --from/--to). Scans every node: a command-line lookup, not a hot path.
// Params: $id.
// Result: rows {node (elementId), label, id}, ordered by label.
MATCH (n {id: $id})
RETURN elementId(n) AS node, labels(n)[0] AS label, n.id AS id
ORDER BY label
