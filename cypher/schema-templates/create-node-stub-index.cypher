// Purpose: index stub nodes of one label, for orphan cleanup. Template: {{label}}. Params: none.
CREATE INDEX {{label}}_stub IF NOT EXISTS FOR (n:{{label}}) ON (n.stub)
