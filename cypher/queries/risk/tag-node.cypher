// Purpose: add a risk tag (entry | crown-jewel) to one node. Tags live in the node's riskTags list, a
// property no collector writes, so a re-sync keeps them.
// Params: $node (elementId from risk/find-node), $tag.
// Result: one row {id, riskTags}.
MATCH (n) WHERE elementId(n) = $node
SET n.riskTags = CASE WHEN $tag IN coalesce(n.riskTags, []) THEN n.riskTags ELSE coalesce(n.riskTags, []) + $tag END
RETURN n.id AS id, n.riskTags AS riskTags
