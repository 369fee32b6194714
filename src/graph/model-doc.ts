/** The generated tables of docs/graph-model.md, from src/graph/model/. */
import { LABELS, RELS } from './model/index.js';

export const DOC_BEGIN = '<!-- GENERATED: npm run docs:model -->';
export const DOC_END = '<!-- END GENERATED -->';

/** Returns the document with its generated section replaced by the current model's tables. */
export function renderModelDoc(text: string): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    DOC_BEGIN,
    '',
    '### Node labels',
    '',
    '| label | what it is |',
    '| --- | --- |',
    ...LABELS.map((l) => `| \`${l.label}\` | ${esc(l.doc)} |`),
    '',
    '### Relationship types',
    '',
    '| type | family | what it means |',
    '| --- | --- | --- |',
    ...RELS.map((r) => `| \`${r.type}\` | ${r.family} | ${esc(r.doc)} |`),
    '',
    DOC_END,
  ];
  const a = text.indexOf(DOC_BEGIN);
  const b = text.indexOf(DOC_END);
  if (a < 0 || b < 0) throw new Error('docs/graph-model.md: the GENERATED markers are missing');
  return text.slice(0, a) + lines.join('\n') + text.slice(b + DOC_END.length);
}
