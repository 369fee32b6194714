// Purpose: index nodes of one label that more than one owner claims, for cleanup. Template: {{label}}. Params: none.
CREATE INDEX {{label}}_shared IF NOT EXISTS FOR (n:{{label}}) ON (n.shared)
