// Purpose: what an attacker wants. Nodes tagged `crown-jewel`, plus inferred ones: IAM principals with
// an admin-class grant, Kubernetes nodes (every pod token and the kubelet's credential), cluster-admin
// equivalent ClusterRoles, secrets (Kubernetes secrets; AWS Secrets Manager, SSM parameters, KMS keys
// as granted resources), data stores (S3, DynamoDB, RDS resources; vector stores), and inventoried AWS
// resources the AWS collector marked crownJewel.
// Params: $criticalRoles (ClusterRole names that control a cluster).
// Result: rows {node (elementId), label, id, reason}, ordered by label, id.
CALL () {
  MATCH (n) WHERE 'crown-jewel' IN n.riskTags RETURN n, 'tagged crown-jewel' AS reason
  UNION
  MATCH (n:AWSRole|AWSUser) WHERE EXISTS { (n)-[g:MAY_ACCESS]->() WHERE g.maxSensitivity = 'admin' } RETURN n, 'IAM admin' AS reason
  UNION
  MATCH (n:K8sNode) RETURN n, 'node identity' AS reason
  UNION
  MATCH (n:K8sClusterRole) WHERE n.name IN $criticalRoles RETURN n, 'cluster-admin equivalent ClusterRole' AS reason
  UNION
  MATCH (n:K8sSecret) RETURN n, 'Kubernetes secret' AS reason
  UNION
  MATCH (n:AWSResource) WHERE n.id STARTS WITH 'arn:aws:secretsmanager:' OR n.id STARTS WITH 'arn:aws:ssm:' OR n.id STARTS WITH 'arn:aws:kms:' RETURN n, 'secret store' AS reason
  UNION
  MATCH (n:AWSResource) WHERE n.id STARTS WITH 'arn:aws:s3:::' OR n.id STARTS WITH 'arn:aws:dynamodb:' OR n.id STARTS WITH 'arn:aws:rds:' RETURN n, 'data store' AS reason
  UNION
  MATCH (n:VectorStore) RETURN n, 'data store (vectors)' AS reason
  UNION
  MATCH (n:AWSS3Bucket|AWSSecret|AWSKMSKey|AWSDynamoDBTable|AWSSageMakerModel) WHERE n.crownJewel IS NOT NULL AND n.crownJewel <> false
  RETURN n, 'inventoried crown jewel: ' + toString(n.crownJewel) AS reason
}
RETURN elementId(n) AS node, labels(n)[0] AS label, n.id AS id, reason
ORDER BY label, id
