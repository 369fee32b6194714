import type { LabelDef, RelDef } from './core.js';

/** AWS IAM labels and relationships (issue: declared identity, AWS). */
export const awsLabels = [
  { label: 'AWSAccount', doc: 'An AWS account (id = 12-digit account id; "*" stands for any AWS principal in a trust policy).' },
  { label: 'AWSUser', doc: 'An IAM user (id = ARN).' },
  { label: 'AWSGroup', doc: 'An IAM group (id = ARN).' },
  { label: 'AWSRole', doc: 'An IAM role (id = ARN); trust policy kept as text.' },
  { label: 'AWSPolicy', doc: 'A managed or inline IAM policy (id = ARN, or principal ARN + "#inline/" + name).' },
  { label: 'AWSResource', doc: 'A resource ARN or ARN pattern that a policy grants on (id = the pattern; "NOT a,b" for NotResource).' },
  { label: 'AWSOIDCProvider', doc: 'An IAM OpenID Connect provider, e.g. an EKS cluster issuer (id = ARN).' },
  { label: 'AWSServicePrincipal', doc: 'An AWS service principal such as lambda.amazonaws.com (id = the name).' },
  { label: 'AWSAction', doc: 'An IAM action such as s3:GetObject (id = lower-case service:action), with its sensitivity class.' },
  { label: 'AWSS3Bucket', doc: 'An S3 bucket (id = ARN): policy text, Block Public Access settings, public ACL grants, default encryption, public, crownJewel.' },
  { label: 'AWSSecret', doc: 'A Secrets Manager secret (id = ARN): metadata and resource policy only, never the value; crownJewel "secret".' },
  { label: 'AWSKMSKey', doc: 'A KMS key (id = ARN): key policy, aliases[], grants[] (JSON), key manager and state, iamAccounts[] (accounts whose IAM policies the key policy lets count); crownJewel "kms-key".' },
  { label: 'AWSDynamoDBTable', doc: 'A DynamoDB table (id = ARN): status, item count, encryption, crownJewel when sensitive.' },
  { label: 'AWSLambdaFunction', doc: 'A Lambda function (id = ARN): runtime, execution role, resource policy, environment variable names (never values).' },
  { label: 'AWSECRRepository', doc: 'An ECR repository (id = ARN): repository policy, encryption, URI.' },
  { label: 'AWSSageMakerModel', doc: 'A SageMaker model (id = ARN): execution role, artifact S3 URLs, images; crownJewel "model-artifact".' },
  { label: 'AWSSageMakerEndpoint', doc: 'A SageMaker endpoint (id = ARN): status.' },
] as const satisfies readonly LabelDef[];

export const awsRels = [
  { type: 'MAY_ASSUME', family: 'declared', doc: 'A principal may assume a role. Props: via (trust|account|anyone|service|oidc|federated|irsa|pod-identity), conditional, conditions, actions[].' },
  { type: 'MAY_ACCESS', family: 'declared', doc: 'A principal is granted actions on a resource pattern, one edge per condition set. Props: actions[], sensitivity[] (parallel), maxSensitivity, conditional, conditions[], policies[]. Also from a principal, account or AWSAccount "*" a resource policy or KMS grant names to the concrete resource: via (resource-policy|kms-grant), actions[], conditional, conditions[], public, statement|grantId.' },
  { type: 'MAY_ESCALATE_TO', family: 'declared', doc: 'A principal may gain the privileges of a principal, group, or (existing-resource methods) a service principal. Props: method, evidence (JSON), conditional. See docs/iam-escalation.md.' },
  { type: 'DID_USE_ACTION', family: 'observed', doc: 'IAM last-accessed data: the principal used an action (lastSeen = when IAM last saw it). Props: count, lastSeen, region, granularity.' },
  { type: 'HAS_POLICY', family: 'structural', doc: 'A user, group or role has an attached or inline policy. Props: kind (managed|inline|boundary).' },
  { type: 'MEMBER_OF', family: 'structural', doc: 'A user is a member of a group.' },
  { type: 'IN_ACCOUNT', family: 'structural', doc: 'A principal, provider or resource belongs to an account.' },
  { type: 'MATCHES_RESOURCE', family: 'structural', doc: 'A grant pattern (AWSResource) reaches a concrete resource (source aws-links, recomputed after every IAM or inventory sync). Props: reach (resource = the ARN itself; contents = objects, indexes or versions inside it).' },
  { type: 'EXECUTES_AS', family: 'structural', doc: 'A Lambda function or SageMaker model runs with an IAM role (its execution role).' },
  { type: 'ENCRYPTED_BY', family: 'structural', doc: 'A bucket, secret, table, function or repository is encrypted with a KMS key (named by key ARN).' },
  { type: 'LOADS_ARTIFACT', family: 'structural', doc: 'A SageMaker model loads its artifacts from an S3 bucket.' },
] as const satisfies readonly RelDef[];
