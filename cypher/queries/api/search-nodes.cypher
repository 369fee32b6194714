// Purpose: the API's search: nodes of the main labels whose id or name matches the user's words, through
// the full-text index of cypher/schema/90-search.cypher. Exact id or name matches first, then Lucene's score.
// Params: $query (a Lucene query built by src/api/search.ts: the words as lower-case letter-and-digit runs
// or backslash-escaped literals, so nothing the user typed is query syntax), $exact (the text as
// typed), $candidates (hits read from the index), $first (hits returned). A node without a name has a
// null comparison, which would sort first in DESC: hence coalesce.
// Result: rows {node (elementId), id, labels, name, properties, score}, at most $first.
CALL db.index.fulltext.queryNodes('search_id_name_v1', $query, {limit: toInteger($candidates)}) YIELD node AS n, score
RETURN elementId(n) AS node, n.id AS id, labels(n) AS labels, n.name AS name, properties(n) AS properties, score
ORDER BY coalesce(n.id = $exact, false) OR coalesce(n.name = $exact, false) DESC, score DESC, id
LIMIT toInteger($first)
