// Purpose: remove a risk tag from one node (the riskTags property goes away with its last tag).
// Params: $node (elementId from risk/find-node), $tag.
// Result: one row {id, riskTags}.
MATCH (n) WHERE elementId(n) = $node
WITH n, [t IN coalesce(n.riskTags, []) WHERE t <> $tag] AS rest
SET n.riskTags = CASE WHEN size(rest) = 0 THEN null ELSE rest END
RETURN n.id AS id, coalesce(n.riskTags, []) AS riskTags
