// Purpose: how many nodes carry one label (answered from Neo4j's count store, no scan).
// Template: {{label}} is a model label. Params: none. Result: count.
MATCH (n:{{label}})
RETURN count(n) AS count
