// Stored findings and risk acceptances (docs/risk.md, "Stored findings"): unique ids; findings are listed by
// subject, by status and in priority order; acceptances are read per finding through ACCEPTS.
CREATE CONSTRAINT finding_id IF NOT EXISTS FOR (n:Finding) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT riskacceptance_id IF NOT EXISTS FOR (n:RiskAcceptance) REQUIRE n.id IS UNIQUE;
CREATE INDEX finding_subject IF NOT EXISTS FOR (n:Finding) ON (n.subjectId);
CREATE INDEX finding_status IF NOT EXISTS FOR (n:Finding) ON (n.status);
CREATE INDEX finding_priority IF NOT EXISTS FOR (n:Finding) ON (n.priority, n.id);
CREATE INDEX finding_firstseen IF NOT EXISTS FOR (n:Finding) ON (n.firstSeen);
