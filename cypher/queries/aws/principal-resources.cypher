// Purpose: the concrete resources a principal may reach: through its identity grants (pattern →
// MATCHES_RESOURCE → resource) and through resource policies or KMS grants naming it directly. Through
// IAM grants: a KMS key only when its key policy allows the principal's account (iamAccounts); a resource
// of another account only when its resource policy names the principal or its account (both sides needed).
// Params: $principal (user or role ARN).
// Result: rows {resource, label, via, reach, actions, conditional, crownJewel}.
MATCH (p {id: $principal})
WHERE p:AWSUser OR p:AWSRole
CALL (p) {
  MATCH (p)-[g:MAY_ACCESS]->(:AWSResource)-[m:MATCHES_RESOURCE]->(res)
  WHERE CASE
    WHEN res.accountId = p.accountId THEN NOT (res:AWSKMSKey AND NOT p.accountId IN coalesce(res.iamAccounts, []))
    ELSE EXISTS { MATCH (x)-[:MAY_ACCESS {via: 'resource-policy'}]->(res) WHERE x.id IN [p.id, p.accountId] }
  END
  RETURN res, 'identity' AS via, m.reach AS reach, g.actions AS actions, g.conditional AS conditional
  UNION ALL
  MATCH (p)-[g:MAY_ACCESS]->(res)
  WHERE g.via IN ['resource-policy', 'kms-grant']
  RETURN res, g.via AS via, 'resource' AS reach, g.actions AS actions, g.conditional AS conditional
}
RETURN res.id AS resource, [l IN labels(res) WHERE l STARTS WITH 'AWS'][0] AS label, via, reach, actions, conditional, res.crownJewel AS crownJewel
ORDER BY resource, via
