// Purpose: index relationships of one type that more than one owner claims, for cleanup. Template: {{type}}. Params: none.
CREATE INDEX {{type}}_shared IF NOT EXISTS FOR ()-[r:{{type}}]-() ON (r.shared)
