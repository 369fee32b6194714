// Purpose: attack edges into one identity: who may act as (or escalate to) the node with this id, by which method.
// Params: $id (e.g. 'prod/payments/sa-deployer' for a K8sServiceAccount, an AWSRole ARN reached via LINKED_IDENTITY).
// Result: one row per edge: type, from (id), fromLabels, method, evidence.
MATCH (s)-[r:MAY_ACT_AS|MAY_ESCALATE_TO]->(t {id: $id})
RETURN type(r) AS type, s.id AS from, labels(s) AS fromLabels, r.method AS method, r.evidence AS evidence
ORDER BY from, method
