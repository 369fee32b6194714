// Purpose: index relationships of one type by provenance, for cleanup. Template: {{type}}. Params: none.
CREATE INDEX {{type}}_scope IF NOT EXISTS FOR ()-[r:{{type}}]-() ON (r.source, r.scope)
