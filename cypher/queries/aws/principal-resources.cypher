// Purpose: the concrete resources a principal may reach: through its identity grants (pattern →
// MATCHES_RESOURCE → resource) and through resource policies or KMS grants naming it directly. Through
// IAM grants: a KMS key only when its key policy allows the principal's account (iamAccounts); a resource
// of another account only when its resource policy names the principal or its account (both sides needed).
// Resource-policy Denies (DENIES_ACCESS) naming the principal, its account or anyone (NotPrincipal
// exceptions honoured) are returned with each row: `denied` is 'all' when one is unconditional, covers the
// whole resource and every action of its service (or the grant edge itself says so), 'partly' when any
// other applies; which actions exactly is for `iam can`.
// Params: $principal (user or role ARN).
// Result: rows {resource, label, via, reach, actions, conditional, conditionKeys, denied, deniedBy, crownJewel}.
MATCH (p {id: $principal})
WHERE p:AWSUser OR p:AWSRole
CALL (p) {
  MATCH (p)-[g:MAY_ACCESS]->(:AWSResource)-[m:MATCHES_RESOURCE]->(res)
  WHERE CASE
    WHEN res.accountId = p.accountId THEN NOT (res:AWSKMSKey AND NOT p.accountId IN coalesce(res.iamAccounts, []))
    ELSE EXISTS { MATCH (x)-[:MAY_ACCESS {via: 'resource-policy'}]->(res) WHERE x.id IN [p.id, p.accountId] }
  END
  RETURN res, 'identity' AS via, m.reach AS reach, g.actions AS actions, g.conditional AS conditional, [] AS conditionKeys, null AS edgeDenied
  UNION ALL
  MATCH (p)-[g:MAY_ACCESS]->(res)
  WHERE g.via IN ['resource-policy', 'kms-grant']
  RETURN res, g.via AS via, 'resource' AS reach, g.actions AS actions, g.conditional AS conditional, coalesce(g.conditionKeys, []) AS conditionKeys, g.denied AS edgeDenied
}
// NotPrincipal (exceptPrincipals) spares the principal only when its account ARN is listed too (IAM User
// Guide, NotPrincipal with Deny); listed alone, the Deny may still apply: 'partly'.
OPTIONAL MATCH (x)-[d:DENIES_ACCESS]->(res)
WHERE x.id IN [p.id, p.accountId, '*']
  AND NOT (p.id IN coalesce(d.exceptPrincipals, []) AND ('arn:aws:iam::' + p.accountId + ':root') IN coalesce(d.exceptPrincipals, []))
WITH p, res, via, reach, actions, conditional, conditionKeys, edgeDenied, collect(d) AS denies
WITH res, via, reach, actions, conditional, conditionKeys, denies,
     CASE
       WHEN edgeDenied = 'all' OR any(d IN denies WHERE NOT d.conditional AND d.allActions AND d.wholeResource AND NOT p.id IN coalesce(d.exceptPrincipals, [])) THEN 'all'
       WHEN edgeDenied = 'partly' OR size(denies) > 0 THEN 'partly'
     END AS denied
RETURN res.id AS resource, [l IN labels(res) WHERE l STARTS WITH 'AWS'][0] AS label, via, reach, actions, conditional, conditionKeys,
       denied, [d IN denies | d.statement] AS deniedBy, res.crownJewel AS crownJewel
ORDER BY resource, via
