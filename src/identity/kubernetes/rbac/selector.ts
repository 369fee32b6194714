import type { LabelSelector } from './types.js';

/**
 * Kubernetes label-selector semantics: matchLabels AND every matchExpression.
 * An empty selector ({}) matches everything; callers decide what an absent selector means.
 */
export function selectorMatches(sel: LabelSelector, labels: Record<string, string> | null | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !e.values.includes(l[e.key]!)) return false;
        break;
      case 'NotIn':
        if (has && e.values.includes(l[e.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}
