// Purpose: the stored resource-based policy of one concrete resource (bucket, secret, key, function,
// repository), for `iam can` against the graph.
// Params: $arn (resource ARN; for S3 objects the bucket ARN).
// Result: zero or one row {id, label, policy, accountId}.
MATCH (n {id: $arn})
WHERE (n:AWSS3Bucket OR n:AWSSecret OR n:AWSKMSKey OR n:AWSLambdaFunction OR n:AWSECRRepository) AND n.policy IS NOT NULL
RETURN n.id AS id, [l IN labels(n) WHERE l STARTS WITH 'AWS'][0] AS label, n.policy AS policy, n.accountId AS accountId
LIMIT 1
