import { aibomLabels, aibomRels } from './aibom.js';
import { awsLabels, awsRels } from './aws.js';
import { behaviorLabels, behaviorRels } from './behavior.js';
import { coreLabels, coreRels, familyOfType, UNSERVED_LABELS, type LabelDef, type RelDef } from './core.js';
import { kubernetesLabels, kubernetesRels } from './kubernetes.js';
import { riskLabels, riskRels } from './risk.js';
import { runtimeLabels, runtimeRels } from './runtime.js';

export { familyOfType, UNSERVED_LABELS };
export type { LabelDef, RelDef, RelFamily } from './core.js';

/** Bumped whenever cypher/schema/ or the model changes in a way a graph must be migrated for. */
export const GRAPH_MODEL_VERSION = 2;

/** Every node label of the model. */
export const LABELS: readonly LabelDef[] = [...coreLabels, ...awsLabels, ...kubernetesLabels, ...runtimeLabels, ...aibomLabels, ...behaviorLabels, ...riskLabels];

/** Every relationship type of the model; a type may be listed by more than one domain (MAY_ACCESS). */
export const RELS: readonly RelDef[] = dedupeRels([...coreRels, ...awsRels, ...kubernetesRels, ...runtimeRels, ...aibomRels, ...behaviorRels, ...riskRels]);

const labelSet = new Set(LABELS.map((l) => l.label));
const relSet = new Set(RELS.map((r) => r.type));

export function isLabel(s: string): boolean {
  return labelSet.has(s);
}
export function isRelType(s: string): boolean {
  return relSet.has(s);
}

function dedupeRels(rels: RelDef[]): RelDef[] {
  const seen = new Map<string, RelDef>();
  for (const r of rels) {
    const prev = seen.get(r.type);
    seen.set(r.type, prev ? { ...prev, doc: `${prev.doc} ${r.doc}` } : r);
  }
  return [...seen.values()];
}
