// Purpose: record the applied graph model version. Params: $version. Result: none.
MERGE (v:SchemaVersion {id: 'reachgraph'})
SET v.version = $version, v.appliedAt = datetime()
