// Purpose: after `tag` / `untag` through the API (risk/tag-node, risk/untag-node), record who changed the
// node's risk tags and when, next to the tags (riskTagsBy, riskTagsAt: no collector writes them either),
// and return the node as the API's GraphNode. The id was checked unambiguous by the tag engine (setTag).
// Params: $id (the node's id property), $by (the principal's name), $now (ISO time).
// Result: one row {id, labels, name, properties}.
MATCH (n {id: $id})
SET n.riskTagsBy = $by, n.riskTagsAt = datetime($now)
RETURN n.id AS id, labels(n) AS labels, n.name AS name, properties(n) AS properties
