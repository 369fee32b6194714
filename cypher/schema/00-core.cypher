// Core labels: one unique id per label (the constraint also gives the id index MERGE uses).
CREATE CONSTRAINT sync_id IF NOT EXISTS FOR (n:Sync) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT schemaversion_id IF NOT EXISTS FOR (n:SchemaVersion) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT synclease_id IF NOT EXISTS FOR (n:SyncLease) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT coverage_id IF NOT EXISTS FOR (n:Coverage) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT ingestbatch_id IF NOT EXISTS FOR (n:IngestBatch) REQUIRE n.id IS UNIQUE;
CREATE INDEX sync_source_scope IF NOT EXISTS FOR (n:Sync) ON (n.source, n.scope);
// The API's blast-radius cache reads the latest finished sync (its graph generation) through this index.
CREATE INDEX sync_finished IF NOT EXISTS FOR (n:Sync) ON (n.finishedAt);
