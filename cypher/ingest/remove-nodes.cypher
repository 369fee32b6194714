// Purpose: remove nodes a sync's producer reports gone (e.g. objects a Kubernetes watch saw deleted), with
// their relationships, only where this source and scope own them.
// Template: {{label}} is a model label. Params: $source, $scope, $ids (list of node ids).
// Result: removed (count).
UNWIND $ids AS nid
MATCH (n:{{label}} {id: nid})
WHERE n.source = $source AND n.scope = $scope
DETACH DELETE n
RETURN count(*) AS removed
