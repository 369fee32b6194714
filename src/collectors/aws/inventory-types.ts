/**
 * The resource inventory of one account and region, as the fetchers (SDK or saved CLI outputs)
 * hand it to the transform. Only what access analysis needs: names, ARNs, policies, tags and
 * encryption settings. Never a secret value and never an environment variable's value: the
 * fetchers drop those before anything else sees the response.
 */

/** The service families, one ingest source each (`aws-<family>`). SageMaker first: its models mark the buckets holding their artifacts. */
export const RESOURCE_FAMILIES = ['sagemaker', 's3', 'secretsmanager', 'kms', 'dynamodb', 'lambda', 'ecr'] as const;
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
  grants: { grantId: string; granteePrincipal?: string; retiringPrincipal?: string; operations: string[]; name?: string }[];
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
}
