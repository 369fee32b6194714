/**
 * Crown-jewel candidates among AWS resources, for the risk engine: secrets and KMS keys always;
 * data stores (buckets, tables, repositories) whose name or tags look sensitive; AI model
 * artifacts (SageMaker models, the buckets their artifacts live in). The user's tag
 * `reachgraph:crown-jewel` (`true`/`false`) overrides the default either way. Pure.
 */
import type { Tags } from './inventory-types.js';

export type CrownJewelClass = 'secret' | 'kms-key' | 'sensitive-data' | 'model-artifact' | 'user-marked';

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
  kind: 'bucket' | 'secret' | 'key' | 'table' | 'function' | 'repository' | 'model' | 'endpoint';
  name: string;
  tags: Tags;
  /** A bucket some SageMaker model loads its artifacts from. */
  artifact?: boolean;
}

/** The crown-jewel class of a resource, or undefined when it is not a candidate. */
export function crownJewel(s: CrownJewelSubject, opts: CrownJewelOptions = {}): CrownJewel | undefined {
  const userTag = Object.entries(s.tags).find(([k]) => k.toLowerCase() === USER_TAG)?.[1]?.toLowerCase();
  if (userTag === 'false') return undefined;
  if (userTag === 'true') return { class: 'user-marked', reason: `tag ${USER_TAG}=true` };
  if (s.kind === 'secret') return { class: 'secret', reason: 'Secrets Manager secret' };
  if (s.kind === 'key') return { class: 'kms-key', reason: 'KMS key' };
  if (s.kind === 'model' || s.artifact) return { class: 'model-artifact', reason: s.kind === 'model' ? 'SageMaker model' : 'holds SageMaker model artifacts' };
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
