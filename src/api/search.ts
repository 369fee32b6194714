/**
 * The search box's text as a Lucene query for the full-text index (cypher/schema/90-search.cypher).
 * Pure. What the user typed reaches the query only as lower-case letters and digits, or as one
 * backslash-escaped literal prefix: never as Lucene syntax.
 */

/** Whitespace-separated words of one search that reach the index; the rest are ignored. */
export const MAX_SEARCH_WORDS = 8;
/** Longest search text. */
export const MAX_SEARCH_TEXT = 200;

/** Characters the classic Lucene query parser treats as syntax. */
const LUCENE_SPECIAL = /[\\+\-!():^[\]"{}~*?|&/]/g;

/**
 * Each whitespace-separated word must match, in one of three ways (boosted in this order; the query then
 * orders exact id or name matches first):
 * - the word as a phrase: the index's analyzer splits it as it split the ids (`support-agent` → support,
 *   agent; `arn:aws:iam::1:role/x` → `arn:aws:iam`, 1, role, x), and all of them must follow each other;
 * - the word as a literal prefix of one token (`qdrant.data` finds `qdrant.data.svc`, which the
 *   analyzer keeps whole);
 * - every letter-and-digit run of the word as a prefix (type-ahead: `support-ag` finds support-agent).
 * Lower-cased, so a word is never an (upper-case) operator. Undefined when no word has a letter or digit.
 */
export function searchQuery(text: string): string | undefined {
  const words = [...new Set(text.toLowerCase().split(/\s+/u))].filter((w) => /[\p{L}\p{N}]/u.test(w)).slice(0, MAX_SEARCH_WORDS);
  if (words.length === 0) return undefined;
  const escape = (w: string) => w.replace(LUCENE_SPECIAL, (c) => `\\${c}`);
  return words
    .map((w) => {
      const runs = [...new Set(w.match(/[\p{L}\p{N}]+/gu)!)];
      if (runs.length === 1 && runs[0] === w) return `(${w}^4 OR ${w}*^3)`;
      // A prefix hit scores 1 per field (id, name): the runs together can reach 2 per run, which the whole
      // word's hits must outrank.
      const b = 2 * runs.length;
      return `("${escape(w)}"^${b + 2} OR ${escape(w)}*^${b + 1} OR (${runs.map((r) => `${r}*`).join(' AND ')}))`;
    })
    .join(' AND ');
}
