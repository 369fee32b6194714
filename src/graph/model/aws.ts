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
] as const satisfies readonly LabelDef[];

export const awsRels = [
  { type: 'MAY_ASSUME', family: 'declared', doc: 'A principal may assume a role. Props: via (trust|account|anyone|service|oidc|federated|irsa|pod-identity), conditional, conditions, actions[].' },
  { type: 'MAY_ACCESS', family: 'declared', doc: 'A principal is granted actions on a resource pattern, one edge per condition set. Props: actions[], sensitivity[] (parallel), maxSensitivity, conditional, conditions[], policies[].' },
  { type: 'MAY_ESCALATE_TO', family: 'declared', doc: 'A principal may gain the privileges of a principal, group, or (existing-resource methods) a service principal. Props: method, evidence (JSON), conditional. See docs/iam-escalation.md.' },
  { type: 'DID_USE_ACTION', family: 'observed', doc: 'IAM last-accessed data: the principal used an action (lastSeen = when IAM last saw it). Props: count, lastSeen, region, granularity.' },
  { type: 'HAS_POLICY', family: 'structural', doc: 'A user, group or role has an attached or inline policy. Props: kind (managed|inline|boundary).' },
  { type: 'MEMBER_OF', family: 'structural', doc: 'A user is a member of a group.' },
  { type: 'IN_ACCOUNT', family: 'structural', doc: 'A principal or provider belongs to an account.' },
] as const satisfies readonly RelDef[];
