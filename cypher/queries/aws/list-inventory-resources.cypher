// Purpose: every concrete AWS resource the inventory wrote (any account: a pattern may name
// another account's resources), with its label, for pattern → resource links.
// Params: none.
// Result: rows {id, label}.
MATCH (n)
WHERE (n:AWSS3Bucket OR n:AWSSecret OR n:AWSKMSKey OR n:AWSDynamoDBTable OR n:AWSLambdaFunction OR n:AWSECRRepository OR n:AWSSageMakerModel OR n:AWSSageMakerEndpoint
       OR n:AWSBedrockCustomModel OR n:AWSBedrockImportedModel OR n:AWSBedrockGuardrail OR n:AWSBedrockAgent OR n:AWSBedrockKnowledgeBase)
  AND n.arn IS NOT NULL
RETURN n.id AS id, [l IN labels(n) WHERE l STARTS WITH 'AWS'][0] AS label
ORDER BY id
