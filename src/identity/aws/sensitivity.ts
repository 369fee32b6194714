/**
 * Sensitivity classes of IAM actions: what an edge lets an identity do, in a handful of words that
 * blast-radius queries rank by. Curated lists name the classes that matter for AI agents; the
 * catalog's access level decides the rest.
 */
import type { ActionCatalog } from './catalog.js';
import { actionMatches, serviceOf } from './glob.js';

/** Ordered most to least severe. */
export const SENSITIVITY_CLASSES = [
  'admin',
  'iam-write',
  'secrets-read',
  'kms-decrypt',
  'compute-control',
  'data-write',
  'model-invoke',
  'data-read',
  'write',
  'read',
  'list',
  'tagging',
] as const;
export type Sensitivity = (typeof SENSITIVITY_CLASSES)[number];

const RULES: ReadonlyArray<readonly [Sensitivity, readonly string[]]> = [
  ['iam-write', ['iam:Create*', 'iam:Put*', 'iam:Attach*', 'iam:Update*', 'iam:Add*', 'iam:PassRole', 'iam:SetDefaultPolicyVersion', 'iam:Delete*', 'iam:Detach*', 'iam:Remove*', 'sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML', 'organizations:*', 'sso:*', 'identitystore:Create*', 'identitystore:Update*']],
  ['secrets-read', ['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory', 'sts:GetSessionToken', 'sts:GetFederationToken', 'lambda:GetFunctionConfiguration', 'ecr:GetAuthorizationToken', 'codeartifact:GetAuthorizationToken', 'rds-db:connect', 'redshift:GetClusterCredentials']],
  ['kms-decrypt', ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:CreateGrant']],
  ['compute-control', ['lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:CreateFunction', 'lambda:InvokeFunction', 'ec2:RunInstances', 'ec2:ModifyInstanceAttribute', 'ssm:SendCommand', 'ssm:StartSession', 'ecs:RunTask', 'ecs:RegisterTaskDefinition', 'glue:CreateDevEndpoint', 'glue:UpdateDevEndpoint', 'codebuild:StartBuild', 'cloudformation:CreateStack', 'cloudformation:UpdateStack', 'sagemaker:CreatePresignedNotebookInstanceUrl', 'eks:AccessKubernetesApi', 'ec2-instance-connect:SendSSHPublicKey']],
  ['data-write', ['s3:PutObject', 's3:DeleteObject', 's3:DeleteBucket', 's3:PutBucketPolicy', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'rds:DeleteDBInstance', 'rds-data:ExecuteStatement', 'kinesis:PutRecord*', 'sqs:SendMessage', 'sns:Publish', 'kms:Encrypt', 'kms:ScheduleKeyDeletion', 'es:ESHttpPut', 'es:ESHttpPost', 'es:ESHttpDelete', 'aoss:APIAccessAll', 'bedrock:CreateKnowledgeBase', 'bedrock:StartIngestionJob']],
  ['model-invoke', ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:Converse', 'bedrock:ConverseStream', 'bedrock:InvokeAgent', 'bedrock:Retrieve', 'bedrock:RetrieveAndGenerate', 'bedrock:InvokeInlineAgent', 'bedrock:ApplyGuardrail', 'bedrock-agentcore:Invoke*', 'sagemaker:InvokeEndpoint*', 'comprehend:Detect*', 'textract:Analyze*', 'rekognition:Detect*']],
  ['data-read', ['s3:GetObject', 's3:GetObjectVersion', 'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ExportTableToPointInTime', 'rds:CreateDBSnapshot', 'kinesis:GetRecords', 'sqs:ReceiveMessage', 'logs:GetLogEvents', 'logs:FilterLogEvents', 'es:ESHttpGet', 'athena:GetQueryResults', 'ec2:GetPasswordData', 'ebs:GetSnapshotBlock', 'bedrock:GetKnowledgeBase']],
];

const ACCESS: Record<string, Sensitivity> = { Write: 'write', Read: 'read', List: 'list', Tagging: 'tagging' };

/** Rules indexed by service prefix, in severity order, so a lookup tests only its service's patterns. */
const RULES_BY_SERVICE = new Map<string, [Sensitivity, string][]>();
for (const [cls, patterns] of RULES) {
  for (const p of patterns) {
    const svc = serviceOf(p);
    let l = RULES_BY_SERVICE.get(svc);
    if (l === undefined) RULES_BY_SERVICE.set(svc, (l = []));
    l.push([cls, p]);
  }
}
const memo = new Map<string, Sensitivity>();

/** Sensitivity of one concrete action (lower-case key or canonical name). */
export function actionSensitivity(action: string, catalog: ActionCatalog): Sensitivity {
  if (action === '*') return 'admin';
  const key = action.toLowerCase();
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  let out: Sensitivity | undefined;
  for (const [cls, p] of RULES_BY_SERVICE.get(serviceOf(key)) ?? []) {
    if (actionMatches(p, key)) {
      out = cls;
      break;
    }
  }
  if (out === undefined) {
    const lvl = catalog.actions.get(key)?.accessLevel;
    out = (lvl !== undefined ? ACCESS[lvl] : undefined) ?? 'write';
  }
  memo.set(key, out);
  return out;
}

export function severityRank(s: Sensitivity): number {
  return SENSITIVITY_CLASSES.indexOf(s);
}

/** The most severe class among actions (or of the whole catalog when the set is `*`). */
export function maxSensitivity(classes: Iterable<Sensitivity>): Sensitivity | undefined {
  let best: Sensitivity | undefined;
  for (const c of classes) if (best === undefined || severityRank(c) < severityRank(best)) best = c;
  return best;
}
