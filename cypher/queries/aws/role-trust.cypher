// Purpose: a role's trust policy text, for evaluating sts:AssumeRole* requests from the graph.
// Params: $arn (role ARN).
// Result: one row {trustPolicy} or no row.
MATCH (r:AWSRole {id: $arn})
RETURN r.trustPolicy AS trustPolicy
