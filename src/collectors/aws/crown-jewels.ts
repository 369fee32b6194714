/**
 * Crown-jewel candidates among AWS resources, for the risk engine: secrets and KMS keys always;
 * data stores (buckets, tables, repositories) whose name or tags look sensitive; AI model
 * artifacts (SageMaker models, Bedrock custom and imported models, the buckets their artifacts and
 * training data live in); Bedrock agents and knowledge bases. The user's tag
 * `reachgraph:crown-jewel` (`true`/`false`) overrides the default either way. Pure.
 */
import type { Tags } from './inventory-types.js';

export type CrownJewelClass = 'secret' | 'kms-key' | 'sensitive-data' | 'model-artifact' | 'ai-agent' | 'user-marked';

export interface CrownJewel {
  class: CrownJewelClass;
  reason: string;
}

export interface CrownJewelOptions {
  /** Names or tag values matching this mark a data store sensitive; default DEFAULT_SENSITIVE. */
  sensitive?: RegExp;
}

/** Words that usually mean regulated or business-critical data. */
export const DEFAULT_SENSITIVE = /(^|[^a-z])(pii|phi|pci|gdpr|hipaa|customers?|payments?|billing|cardholder|payroll|finance|financial|medical|health|ssn|credentials?|secrets?|passwords?|confidential|restricted|sensitive|backups?|training-data|dataset)([^a-z]|$)/i;

/** Tag keys whose value states a data classification. */
const CLASSIFICATION_KEYS = /^(data[-_]?classification|classification|sensitivity|confidentiality|data[-_]?sensitivity)$/i;
const USER_TAG = 'reachgraph:crown-jewel';

export interface CrownJewelSubject {
  kind: 'bucket' | 'secret' | 'key' | 'table' | 'function' | 'repository' | 'model' | 'endpoint' | 'bedrock-model' | 'agent' | 'knowledge-base' | 'guardrail';
  name: string;
  tags: Tags;
  /** A bucket some SageMaker or Bedrock model loads its artifacts or training data from, or a knowledge base ingests. */
  artifact?: boolean;
}

/** The crown-jewel class of a resource, or undefined when it is not a candidate. */
export function crownJewel(s: CrownJewelSubject, opts: CrownJewelOptions = {}): CrownJewel | undefined {
  const userTag = Object.entries(s.tags).find(([k]) => k.toLowerCase() === USER_TAG)?.[1]?.toLowerCase();
  if (userTag === 'false') return undefined;
  if (userTag === 'true') return { class: 'user-marked', reason: `tag ${USER_TAG}=true` };
  if (s.kind === 'secret') return { class: 'secret', reason: 'Secrets Manager secret' };
  if (s.kind === 'key') return { class: 'kms-key', reason: 'KMS key' };
  if (s.kind === 'model' || s.kind === 'bedrock-model' || s.artifact)
    return { class: 'model-artifact', reason: s.kind === 'model' ? 'SageMaker model' : s.kind === 'bedrock-model' ? 'Bedrock custom or imported model' : 'holds model artifacts, training data or knowledge-base sources' };
  // An agent acts with its role on whatever its tools reach; its knowledge base answers from the data it ingested.
  if (s.kind === 'agent') return { class: 'ai-agent', reason: 'Bedrock agent' };
  if (s.kind === 'knowledge-base') return { class: 'sensitive-data', reason: 'Bedrock knowledge base (retrieval over ingested data)' };
  if (s.kind === 'bucket' || s.kind === 'table' || s.kind === 'repository') {
    const re = opts.sensitive ?? DEFAULT_SENSITIVE;
    for (const [k, v] of Object.entries(s.tags)) {
      if (CLASSIFICATION_KEYS.test(k) && !/^(public|internal|none|low)$/i.test(v)) return { class: 'sensitive-data', reason: `tag ${k}=${v}` };
      if (re.test(k) || re.test(v)) return { class: 'sensitive-data', reason: `tag ${k}=${v}` };
    }
    if (re.test(s.name)) return { class: 'sensitive-data', reason: `name ${s.name}` };
  }
  return undefined;
}
