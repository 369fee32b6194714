/**
 * Privilege-escalation methods (pathfinding.cloud ids, Rhino Security Labs and PMapper names).
 * Data only: `privesc.ts` checks them against an account. docs/iam-escalation.md lists them.
 */

export type MethodTarget =
  /** The caller itself gains privileges (to = from). */
  | 'self'
  /** A group the caller joins (to = the group). */
  | 'group'
  /** Another IAM user whose credentials the caller can mint or set. */
  | 'user'
  /** A role the caller can assume or rewrite the trust of. */
  | 'role'
  /** A role the caller passes to a new compute resource of `service`. */
  | 'passrole'
  /**
   * Code an existing resource of `service` runs: the edge goes to the service principal (its
   * MAY_ASSUME edges lead to the roles), since which role a resource uses needs a compute inventory.
   */
  | 'existing';

export interface EscalationMethod {
  id: string;
  category: 'self-escalation' | 'principal-access' | 'new-passrole' | 'existing-passrole';
  target: MethodTarget;
  /** Actions the caller needs, besides iam:PassRole (listed in `passRole`). */
  requires: string[];
  /** Service principals a passed or existing role must trust (any one). */
  services?: string[];
  passRole?: boolean;
  rhino?: number;
  summary: string;
}

const np = (id: string, services: string[], requires: string[], summary: string, rhino?: number): EscalationMethod => ({ id, category: 'new-passrole', target: 'passrole', requires, services, passRole: true, summary, ...(rhino === undefined ? {} : { rhino }) });
const ex = (id: string, services: string[], requires: string[], summary: string, rhino?: number): EscalationMethod => ({ id, category: 'existing-passrole', target: 'existing', requires, services, summary, ...(rhino === undefined ? {} : { rhino }) });

export const ESCALATION_METHODS: readonly EscalationMethod[] = [
  { id: 'iam-001', category: 'self-escalation', target: 'self', requires: ['iam:CreatePolicyVersion'], rhino: 1, summary: 'Create a new default version of a customer-managed policy attached to the caller.' },
  { id: 'iam-setdefaultpolicyversion', category: 'self-escalation', target: 'self', requires: ['iam:SetDefaultPolicyVersion'], rhino: 2, summary: 'Roll an attached customer-managed policy back to another stored version.' },
  { id: 'iam-005', category: 'self-escalation', target: 'self', requires: ['iam:PutRolePolicy'], rhino: 12, summary: 'Put an inline policy on the caller role.' },
  { id: 'iam-007', category: 'self-escalation', target: 'self', requires: ['iam:PutUserPolicy'], rhino: 11, summary: 'Put an inline policy on the caller user.' },
  { id: 'iam-008', category: 'self-escalation', target: 'self', requires: ['iam:AttachUserPolicy'], rhino: 8, summary: 'Attach a managed policy (e.g. AdministratorAccess) to the caller user.' },
  { id: 'iam-009', category: 'self-escalation', target: 'self', requires: ['iam:AttachRolePolicy'], rhino: 10, summary: 'Attach a managed policy to the caller role.' },
  { id: 'iam-010', category: 'self-escalation', target: 'self', requires: ['iam:AttachGroupPolicy'], rhino: 9, summary: 'Attach a managed policy to a group the caller is in.' },
  { id: 'iam-011', category: 'self-escalation', target: 'self', requires: ['iam:PutGroupPolicy'], rhino: 13, summary: 'Put an inline policy on a group the caller is in.' },
  { id: 'iam-013', category: 'self-escalation', target: 'group', requires: ['iam:AddUserToGroup'], rhino: 7, summary: 'Add the caller user to a group and gain its policies.' },
  { id: 'iam-002', category: 'principal-access', target: 'user', requires: ['iam:CreateAccessKey'], rhino: 4, summary: 'Mint an access key for another user (needs fewer than 2 keys; iam-003 adds DeleteAccessKey).' },
  { id: 'iam-004', category: 'principal-access', target: 'user', requires: ['iam:CreateLoginProfile'], rhino: 5, summary: 'Set a console password for a user that has none.' },
  { id: 'iam-006', category: 'principal-access', target: 'user', requires: ['iam:UpdateLoginProfile'], rhino: 6, summary: 'Change the console password of a user that has one.' },
  { id: 'iam-012', category: 'principal-access', target: 'role', requires: ['iam:UpdateAssumeRolePolicy'], rhino: 14, summary: 'Rewrite a role trust policy to admit the caller, then assume it.' },
  { id: 'sts-001', category: 'principal-access', target: 'role', requires: ['sts:AssumeRole'], rhino: 14, summary: 'Assume a role whose trust policy admits the caller.' },
  np('ec2-001', ['ec2.amazonaws.com'], ['ec2:RunInstances'], 'Launch an instance with an instance profile of the passed role.', 3),
  np('ec2-003', ['ec2.amazonaws.com'], ['ec2:RequestSpotInstances'], 'Launch a Spot instance with the passed role.'),
  np('ec2-associateprofile', ['ec2.amazonaws.com'], ['ec2:RunInstances', 'ec2:AssociateIamInstanceProfile'], 'Run an instance, then associate an instance profile of the passed role (PMapper).'),
  np('autoscaling-launchconfig', ['ec2.amazonaws.com'], ['autoscaling:CreateLaunchConfiguration', 'autoscaling:CreateAutoScalingGroup'], 'Auto Scaling launches instances with the passed role (PMapper).'),
  np('lambda-001', ['lambda.amazonaws.com'], ['lambda:CreateFunction', 'lambda:InvokeFunction'], 'Create a function with the passed role and invoke it.', 15),
  np('lambda-002', ['lambda.amazonaws.com'], ['lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], 'Create a function with the passed role triggered by an event source.', 17),
  np('lambda-006', ['lambda.amazonaws.com'], ['lambda:CreateFunction', 'lambda:AddPermission'], 'Create a function with the passed role and grant yourself invoke.', 16),
  np('glue-001', ['glue.amazonaws.com'], ['glue:CreateDevEndpoint'], 'Create a Glue dev endpoint with the passed role and SSH in.', 19),
  np('glue-003', ['glue.amazonaws.com'], ['glue:CreateJob', 'glue:StartJobRun'], 'Create and run a Glue job with the passed role.'),
  np('glue-004', ['glue.amazonaws.com'], ['glue:CreateJob', 'glue:CreateTrigger'], 'Create a Glue job with the passed role started by a trigger.'),
  np('cloudformation-001', ['cloudformation.amazonaws.com'], ['cloudformation:CreateStack'], 'Create a stack whose service role is the passed role.', 21),
  np('cloudformation-003', ['cloudformation.amazonaws.com'], ['cloudformation:CreateStackSet', 'cloudformation:CreateStackInstances'], 'Self-managed StackSet executing with the passed role.'),
  np('cloudformation-updatestack-passrole', ['cloudformation.amazonaws.com'], ['cloudformation:UpdateStack'], 'Update an existing stack, passing a new service role (PMapper).'),
  np('datapipeline-001', ['datapipeline.amazonaws.com', 'elasticmapreduce.amazonaws.com'], ['datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition', 'datapipeline:ActivatePipeline'], 'Data Pipeline running commands with the passed role.', 22),
  np('sagemaker-001', ['sagemaker.amazonaws.com'], ['sagemaker:CreateNotebookInstance'], 'Create a notebook instance with the passed role.', 27),
  np('sagemaker-002', ['sagemaker.amazonaws.com'], ['sagemaker:CreateTrainingJob'], 'Create a training job with the passed role.'),
  np('sagemaker-003', ['sagemaker.amazonaws.com'], ['sagemaker:CreateProcessingJob'], 'Create a processing job with the passed role.'),
  np('ecs-003', ['ecs-tasks.amazonaws.com'], ['ecs:RegisterTaskDefinition', 'ecs:CreateService'], 'Register a task definition with the passed task role and run it as a service.'),
  np('ecs-004', ['ecs-tasks.amazonaws.com'], ['ecs:RegisterTaskDefinition', 'ecs:RunTask'], 'Register a task definition with the passed task role and run it.'),
  np('ecs-005', ['ecs-tasks.amazonaws.com'], ['ecs:RegisterTaskDefinition', 'ecs:StartTask'], 'Register a task definition and start it on a container instance.'),
  np('codebuild-001', ['codebuild.amazonaws.com'], ['codebuild:CreateProject', 'codebuild:StartBuild'], 'Create a CodeBuild project with the passed role and build.'),
  np('codebuild-004', ['codebuild.amazonaws.com'], ['codebuild:CreateProject', 'codebuild:StartBuildBatch'], 'Create a CodeBuild project with the passed role and batch build.'),
  np('codebuild-updateproject', ['codebuild.amazonaws.com'], ['codebuild:UpdateProject', 'codebuild:StartBuild'], 'Swap the passed role into an existing project and build (PMapper).'),
  np('apprunner-001', ['tasks.apprunner.amazonaws.com'], ['apprunner:CreateService'], 'Create an App Runner service with the passed instance role.'),
  np('bedrock-001', ['bedrock-agentcore.amazonaws.com'], ['bedrock-agentcore:CreateCodeInterpreter', 'bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'], 'Create an AgentCore code interpreter with the passed role and run code.'),
  np('codestar-createproject', ['codestar.amazonaws.com'], ['codestar:CreateProject'], 'CodeStar project with the passed role (retired service).', 24),
  ex('lambda-003', ['lambda.amazonaws.com'], ['lambda:UpdateFunctionCode'], 'Replace the code of an existing function that runs as the role.', 18),
  ex('lambda-004', ['lambda.amazonaws.com'], ['lambda:UpdateFunctionCode', 'lambda:InvokeFunction'], 'Replace the code of an existing function and invoke it.'),
  ex('lambda-updateconfiguration', ['lambda.amazonaws.com'], ['lambda:UpdateFunctionConfiguration'], 'Attach a malicious layer to an existing function.', 26),
  ex('glue-002', ['glue.amazonaws.com'], ['glue:UpdateDevEndpoint'], 'Add an SSH key to an existing dev endpoint.', 20),
  ex('cloudformation-002', ['cloudformation.amazonaws.com'], ['cloudformation:UpdateStack'], 'Update an existing stack that has the role as service role.'),
  ex('cloudformation-005', ['cloudformation.amazonaws.com'], ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'], 'Execute a change set on a stack that runs as the role.'),
  ex('codebuild-002', ['codebuild.amazonaws.com'], ['codebuild:StartBuild'], 'Start a build of an existing project with a buildspec override.'),
  ex('codebuild-003', ['codebuild.amazonaws.com'], ['codebuild:StartBuildBatch'], 'Start a batch build of an existing project.'),
  ex('sagemaker-004', ['sagemaker.amazonaws.com'], ['sagemaker:CreatePresignedNotebookInstanceUrl'], 'Open an existing notebook instance that runs as the role.', 28),
  ex('sagemaker-005', ['sagemaker.amazonaws.com'], ['sagemaker:CreateNotebookInstanceLifecycleConfig', 'sagemaker:StopNotebookInstance', 'sagemaker:UpdateNotebookInstance', 'sagemaker:StartNotebookInstance'], 'Lifecycle script on an existing notebook instance.'),
  ex('ssm-001', ['ec2.amazonaws.com'], ['ssm:StartSession'], 'Open a session on an SSM-managed instance whose profile has the role.'),
  ex('ssm-002', ['ec2.amazonaws.com'], ['ssm:SendCommand'], 'Run a command on an SSM-managed instance whose profile has the role.'),
  ex('ec2instanceconnect-003', ['ec2.amazonaws.com'], ['ec2-instance-connect:SendSSHPublicKey', 'ec2:DescribeInstances'], 'Push an SSH key to an instance with the role.'),
  ex('ec2-002', ['ec2.amazonaws.com'], ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:StartInstances'], 'Rewrite user data of a stopped instance with the role.'),
  ex('ec2-004', ['ec2.amazonaws.com'], ['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'], 'New default launch template version with the role instance profile.'),
  ex('apprunner-002', ['tasks.apprunner.amazonaws.com'], ['apprunner:UpdateService'], 'Update an App Runner service running with the role.'),
  ex('bedrock-002', ['bedrock-agentcore.amazonaws.com'], ['bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'], 'Run code in an existing AgentCore code interpreter with the role.'),
];

export const METHOD_BY_ID = new Map(ESCALATION_METHODS.map((m) => [m.id, m]));
