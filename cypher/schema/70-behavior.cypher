// Behaviour labels (issue 15, baselines and drift): one unique id per label; drift is listed by subject and time, and polled by time (API subscriptions).
CREATE CONSTRAINT baseline_id IF NOT EXISTS FOR (n:Baseline) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT baselineentry_id IF NOT EXISTS FOR (n:BaselineEntry) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT driftevent_id IF NOT EXISTS FOR (n:DriftEvent) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT driftsummary_id IF NOT EXISTS FOR (n:DriftSummary) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT statechange_id IF NOT EXISTS FOR (n:StateChange) REQUIRE n.id IS UNIQUE;
CREATE INDEX driftevent_subject IF NOT EXISTS FOR (n:DriftEvent) ON (n.subject, n.detectedAt);
CREATE INDEX driftevent_detected IF NOT EXISTS FOR (n:DriftEvent) ON (n.detectedAt);
