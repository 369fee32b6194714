/**
 * The Cypher registry: every query the program runs lives in cypher/**\/*.cypher and is loaded
 * once. A few ingest statements are templates over model constants: `{{label}}`, `{{type}}`,
 * `{{fromLabel}}`, `{{toLabel}}` are filled only with names the model defines (src/graph/model/),
 * never with user input. `{{maxHops}}` is a path quantifier's upper bound, which Cypher takes only as a
 * literal: an integer from 1 to MAX_HOPS, checked here, so nothing but digits enters the text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GraphError } from '../errors.js';
import { projectRoot } from '../paths.js';
import { isLabel, isRelType } from './model/index.js';

let registry: Map<string, string> | undefined;

/** Loads every .cypher file; names are paths under cypher/ without the extension. */
export function loadCypherRegistry(dir = path.join(projectRoot(), 'cypher')): Map<string, string> {
  if (registry) return registry;
  const m = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.cypher')) m.set(path.relative(dir, p).replace(/\\/g, '/').replace(/\.cypher$/, ''), fs.readFileSync(p, 'utf8'));
    }
  };
  if (!fs.existsSync(dir)) throw new GraphError(`the Cypher folder ${dir} is missing`);
  walk(dir);
  return (registry = m);
}

export type TemplateVars = Partial<Record<'label' | 'fromLabel' | 'toLabel', string> & { type: string; maxHops: number }>;

/** The largest `{{maxHops}}` a template takes: the deepest path any traversal may ask for. */
export const MAX_HOPS = 10;

const sent = new Map<string, string>();

/**
 * A query file as it is sent: whole-line `//` comments dropped. The files' header comments are most of
 * their bytes, and every byte is sent (and hashed by the plan cache) on every run.
 */
function sendable(name: string): string | undefined {
  let text = sent.get(name);
  if (text === undefined) {
    const raw = loadCypherRegistry().get(name);
    if (raw === undefined) return undefined;
    text = withoutLineComments(raw).trim();
    sent.set(name, text);
  }
  return text;
}

/** The text of one query file, with model constants filled in where it is a template. */
export function cypher(name: string, vars?: TemplateVars): string {
  const text = sendable(name);
  if (text === undefined) throw new GraphError(`no Cypher file cypher/${name}.cypher`);
  if (!vars) {
    if (/\{\{\w+\}\}/.test(text)) throw new GraphError(`cypher/${name}.cypher is a template and needs model names`);
    return text;
  }
  return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
    const v = (vars as Record<string, string | number | undefined>)[k];
    if (v === undefined) throw new GraphError(`cypher/${name}.cypher needs {{${k}}}`);
    if (k === 'maxHops') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_HOPS) throw new GraphError(`{{maxHops}} in cypher/${name}.cypher must be an integer from 1 to ${MAX_HOPS}, got ${String(v)}`);
      return String(v);
    }
    if (typeof v !== 'string') throw new GraphError(`{{${k}}} in cypher/${name}.cypher must be a model name`);
    const ok = k === 'type' ? isRelType(v) : isLabel(v);
    // A model name is [A-Za-z0-9_] only; the check keeps anything else out of query text.
    if (!ok || !/^[A-Za-z][A-Za-z0-9_]*$/.test(v)) throw new GraphError(`"${v}" is not a ${k === 'type' ? 'relationship type' : 'label'} of the graph model`);
    return v;
  });
}

/** The text without its whole-line `//` comments. */
function withoutLineComments(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('//'))
    .join('\n');
}

/** Splits a schema file into statements (schema files hold one constraint or index per statement). */
export function statements(text: string): string[] {
  return withoutLineComments(text)
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}
