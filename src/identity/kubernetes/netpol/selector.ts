/**
 * Label selectors with the API server's semantics: matchLabels and matchExpressions are ANDed;
 * an empty selector (`{}`) matches everything; `NotIn` and `DoesNotExist` also match objects
 * that lack the key.
 */
import type { V1LabelSelector } from '@kubernetes/client-node';
import { InputError } from '../../../errors.js';

export type Labels = Readonly<Record<string, string>>;

export interface Selector {
  readonly matches: (labels: Labels) => boolean;
  /** True for `{}`: no requirement at all. */
  readonly matchesAll: boolean;
}

export const MATCH_ALL: Selector = { matches: () => true, matchesAll: true };

/** Compile a selector; `where` names it in errors (`NetworkPolicy ns/name spec.podSelector`). */
export function compileSelector(sel: V1LabelSelector, where: string): Selector {
  const reqs: Array<(l: Labels) => boolean> = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    if (typeof v !== 'string') throw new InputError(`${where}.matchLabels.${k}: value must be a string`);
    reqs.push((l) => Object.hasOwn(l, k) && l[k] === v);
  }
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const at = `${where}.matchExpressions[${i}]`;
    if (typeof e.key !== 'string' || e.key === '') throw new InputError(`${at}: key is required`);
    const key = e.key;
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
      case 'NotIn': {
        if (values.length === 0) throw new InputError(`${at}: operator ${e.operator} needs values`);
        const set = new Set(values);
        reqs.push(e.operator === 'In' ? (l) => Object.hasOwn(l, key) && set.has(l[key]!) : (l) => !Object.hasOwn(l, key) || !set.has(l[key]!));
        break;
      }
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) throw new InputError(`${at}: operator ${e.operator} takes no values`);
        reqs.push(e.operator === 'Exists' ? (l) => Object.hasOwn(l, key) : (l) => !Object.hasOwn(l, key));
        break;
      default:
        throw new InputError(`${at}: unknown operator "${String(e.operator).slice(0, 40)}" (In, NotIn, Exists, DoesNotExist)`);
    }
  });
  if (reqs.length === 0) return MATCH_ALL;
  return { matches: (l) => reqs.every((r) => r(l)), matchesAll: false };
}
