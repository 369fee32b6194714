/**
 * The resource inventory of one account and region, as the fetchers (SDK or saved CLI outputs)
 * hand it to the transform. Only what access analysis needs: names, ARNs, policies, tags and
 * encryption settings. Never a secret value and never an environment variable's value: the
 * fetchers drop those before anything else sees the response.
 */

/**
 * The service families, one ingest source each (`aws-<family>`). SageMaker and Bedrock first: their models
 * and knowledge bases mark the buckets holding artifacts and training data. `bedrock` is the control plane
 * of models and guardrails, `bedrock-agent` that of agents and knowledge bases (the AWS CLI's names).
 */
export const RESOURCE_FAMILIES = ['sagemaker', 'bedrock', 'bedrock-agent', 's3', 'secretsmanager', 'kms', 'dynamodb', 'lambda', 'ecr'] as const;
export type ResourceFamily = (typeof RESOURCE_FAMILIES)[number];

export type Tags = Record<string, string>;

export interface S3Bucket {
  name: string;
  region: string;
  policy?: string;
  /** PutPublicAccessBlock settings; undefined when none is configured. */
  publicAccessBlock?: { blockPublicAcls: boolean; ignorePublicAcls: boolean; blockPublicPolicy: boolean; restrictPublicBuckets: boolean };
  /** ACL grants to AllUsers / AuthenticatedUsers, as `<group>:<permission>`. */
  publicAclGrants: string[];
  /** Default encryption: SSE algorithm and KMS key id when set. */
  encryption?: { algorithm: string; kmsKeyId?: string };
  tags: Tags;
}

export interface Secret {
  arn: string;
  name: string;
  region: string;
  description?: string;
  kmsKeyId?: string;
  rotationEnabled: boolean;
  policy?: string;
  tags: Tags;
}

export interface KmsKey {
  arn: string;
  keyId: string;
  region: string;
  description?: string;
  keyManager?: string;
  keyState?: string;
  keyUsage?: string;
  policy?: string;
  aliases: string[];
  /** `constraints`: the grant's encryption-context constraints as AWS returns them (a condition on the grant). */
  grants: { grantId: string; granteePrincipal?: string; retiringPrincipal?: string; operations: string[]; name?: string; constraints?: Record<string, Record<string, string>> }[];
  tags: Tags;
}

export interface DynamoTable {
  arn: string;
  name: string;
  region: string;
  status?: string;
  itemCount?: number;
  sseType?: string;
  kmsKeyArn?: string;
  tags: Tags;
}

export interface LambdaFunction {
  arn: string;
  name: string;
  region: string;
  runtime?: string;
  role?: string;
  /** Names only: values may be credentials. */
  environmentNames: string[];
  kmsKeyArn?: string;
  policy?: string;
  tags: Tags;
}

export interface EcrRepository {
  arn: string;
  name: string;
  region: string;
  uri?: string;
  policy?: string;
  encryption?: { type: string; kmsKey?: string };
  tags: Tags;
}

export interface SageMakerModel {
  arn: string;
  name: string;
  region: string;
  executionRole?: string;
  /** S3 locations of the model artifacts. */
  artifacts: string[];
  images: string[];
}

export interface SageMakerEndpoint {
  arn: string;
  name: string;
  region: string;
  status?: string;
  config?: string;
}

/** A Bedrock custom model (fine-tuned or continued pre-training of a base model). */
export interface BedrockCustomModel {
  arn: string;
  name: string;
  region: string;
  baseModelArn?: string;
  customizationType?: string;
  jobArn?: string;
  kmsKeyArn?: string;
  /** S3 URIs of the training and validation data, and where the job wrote its output. */
  trainingData: string[];
  outputData?: string;
  tags: Tags;
}

/** A model imported into Bedrock (Custom Model Import) from weights in S3. */
export interface BedrockImportedModel {
  arn: string;
  name: string;
  region: string;
  /** S3 URI of the imported weights. */
  source?: string;
  jobArn?: string;
  kmsKeyArn?: string;
  tags: Tags;
}

/** A Bedrock guardrail (its working draft): which policies it configures. */
export interface BedrockGuardrail {
  arn: string;
  id: string;
  name: string;
  region: string;
  version?: string;
  status?: string;
  kmsKeyArn?: string;
  /** Configured policies: content, topic, word, sensitive-information, contextual-grounding, automated-reasoning. */
  policies: string[];
  tags: Tags;
}

/** An action group of a Bedrock agent: a Lambda function, or control returned to the caller. */
export interface BedrockActionGroup {
  id: string;
  name: string;
  state?: string;
  lambdaArn?: string;
  /** `RETURN_CONTROL` when the caller executes the action; a built-in signature such as `AMAZON.CodeInterpreter`. */
  customControl?: string;
  parentSignature?: string;
  /** S3 location of the OpenAPI schema, when kept in S3. */
  schemaS3?: string;
}

/** A Bedrock agent (its working draft, version DRAFT), with what it is configured to use. */
export interface BedrockAgent {
  arn: string;
  id: string;
  name: string;
  region: string;
  status?: string;
  /** Model id, inference profile or model ARN the agent calls. */
  foundationModel?: string;
  roleArn?: string;
  kmsKeyArn?: string;
  guardrail?: { id: string; version?: string };
  actionGroups: BedrockActionGroup[];
  knowledgeBases: { id: string; state?: string }[];
  tags: Tags;
}

/** A Bedrock knowledge base: its role, embedding model, vector store and data sources. */
export interface BedrockKnowledgeBase {
  arn: string;
  id: string;
  name: string;
  region: string;
  status?: string;
  roleArn?: string;
  embeddingModelArn?: string;
  storageType?: string;
  /** Collection, index, domain or graph ARN, or endpoint, of the vector store. */
  vectorStore?: string;
  dataSources: { id: string; name: string; type?: string; bucketArn?: string }[];
  tags: Tags;
}

/** One family's resources in one account and region (S3 lists every region's buckets at once). */
export interface Inventory {
  accountId: string;
  region: string;
  buckets?: S3Bucket[];
  secrets?: Secret[];
  keys?: KmsKey[];
  tables?: DynamoTable[];
  functions?: LambdaFunction[];
  repositories?: EcrRepository[];
  models?: SageMakerModel[];
  endpoints?: SageMakerEndpoint[];
  customModels?: BedrockCustomModel[];
  importedModels?: BedrockImportedModel[];
  guardrails?: BedrockGuardrail[];
  agents?: BedrockAgent[];
  knowledgeBases?: BedrockKnowledgeBase[];
}
