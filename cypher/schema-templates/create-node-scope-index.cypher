// Purpose: index owned nodes of one label by provenance, for cleanup. Template: {{label}}. Params: none.
CREATE INDEX {{label}}_scope IF NOT EXISTS FOR (n:{{label}}) ON (n.source, n.scope)
