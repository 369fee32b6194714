// Purpose: the relationships of many nodes at once (GraphNode.neighbours, batched per request), up to
// $first per node, in a stable order: by type, then the other end's id.
// Params: $nodes (elementIds), $first.
// Result: rows {node (elementId asked about), type, out (the relationship leaves it), other (elementId),
// id, labels, name, properties (of the other end), props (of the relationship)}.
UNWIND $nodes AS node
MATCH (n) WHERE elementId(n) = node
CALL (n) {
  MATCH (n)-[r]-(m)
  RETURN r, m
  ORDER BY type(r), m.id, elementId(r)
  LIMIT toInteger($first)
}
RETURN node, type(r) AS type, startNode(r) = n AS out, elementId(m) AS other, m.id AS id, labels(m) AS labels,
       m.name AS name, properties(m) AS properties, properties(r) AS props
