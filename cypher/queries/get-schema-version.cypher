// Purpose: the graph model version applied to this graph. Params: none. Result: version, appliedAt.
MATCH (v:SchemaVersion {id: 'reachgraph'})
RETURN v.version AS version, toString(v.appliedAt) AS appliedAt
