// Purpose: IRSA cross-check. A service account whose eks.amazonaws.com/role-arn annotation
// (LINKED_IDENTITY, written by the Kubernetes collector) names a role of this account that its
// trust policy does not admit; the annotation only tells the webhook what to inject, the trust decides.
// Params: $accountId.
// Result: rows {serviceAccount, annotatedRole, problem}.
MATCH (sa:K8sServiceAccount)-[:LINKED_IDENTITY]->(r:AWSRole)
WHERE r.accountId = $accountId
  AND NOT (sa)-[:MAY_ASSUME]->(r)
OPTIONAL MATCH (sa)-[:MAY_ASSUME]->(other:AWSRole)
WITH sa, r, [x IN collect(other.id) WHERE x IS NOT NULL] AS others
RETURN sa.id AS serviceAccount, r.id AS annotatedRole,
       CASE WHEN size(others) = 0 THEN 'role trust does not admit this service account'
            ELSE 'role trust does not admit this service account; it may assume ' + reduce(s = '', x IN others | s + CASE WHEN s = '' THEN '' ELSE ', ' END + x) END AS problem
ORDER BY serviceAccount, annotatedRole
