/**
 * Prompt files an agent declares: Dotprompt (`.prompt`) and Prompty (`.prompty`) files, whose YAML front
 * matter names the model and its settings above the prompt template, and plain system-prompt files
 * (catalog.json `prompts`). Pure: text in, the model reference and two short content hashes out. The
 * prompt and config text never leave this module: a prompt can hold business rules or pasted
 * credentials, so the graph only ever sees hashes of it (docs/aibom.md).
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { aibomCatalog } from './catalog.js';
import { canonicalJson } from './mcp-analysis.js';

export type PromptFormat = 'dotprompt' | 'prompty' | 'text';

/** What one prompt file declares; `prompt` and `config` are for hashing, never stored. */
export interface ParsedPromptFile {
  format: PromptFormat;
  /** Model reference (`googleai/gemini-1.5-flash`, `azure_openai/gpt-4o`), when the file names one. */
  model?: string;
  /** Model version, when the file pins one apart from the name (Dotprompt `config.version`). */
  modelVersion?: string;
  prompt: string;
  /** The front matter without the model reference and without secret-looking keys; undefined for plain text. */
  config?: unknown;
}

/** The prompt format of a file by its name, or undefined when it is not a prompt file. */
export function promptFormat(file: string): PromptFormat | undefined {
  const cat = aibomCatalog().prompts;
  const base = path.posix.basename(file);
  if (cat.files.includes(base)) return 'text';
  return cat.formats[path.posix.extname(base).toLowerCase()];
}

/**
 * Keys whose values are credentials: left out of the config hash, so a rotated key is not a config
 * change and no hash of a secret is stored. Matched on the key's last word (camelCase split), so
 * `max_tokens` and `maxOutputTokens` stay settings while `apiKey` and `auth_token` go.
 */
const SECRET_KEY = /(^|_)(pass|password|passwd|secret|token|api_?key|access_?key|private_?key|credentials?|bearer)$/;
const isSecretKey = (k: string) => SECRET_KEY.test(k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-.\s]/g, '_').toLowerCase());

function withoutSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutSecrets);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([k]) => !isSecretKey(k)).map(([k, x]) => [k, withoutSecrets(x)]));
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/** Front matter between `---` lines at the very top, and the body after it; no front matter → all body. */
function splitFrontMatter(text: string): { head?: string; body: string; headLine: number } {
  const t = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const m = /^---[ \t]*\n([\s\S]*?)\n?---[ \t]*(?:\n|$)/.exec(t);
  return m ? { head: m[1]!, body: t.slice(m[0].length), headLine: 2 } : { body: t, headLine: 1 };
}

/**
 * Parses one prompt file. Throws an Error naming the line (YAML) or field when the front matter is not
 * what its format says; the scan turns that into a scan error of the file.
 */
export function parsePromptFile(format: PromptFormat, text: string): ParsedPromptFile {
  if (format === 'text') return { format, prompt: text.replace(/\r\n?/g, '\n') };
  const { head, body, headLine } = splitFrontMatter(text);
  let fm: unknown = {};
  if (head !== undefined && head.trim() !== '') {
    try {
      fm = parseYaml(head);
    } catch (e) {
      if (e instanceof YAMLParseError && e.linePos) throw new Error(`line ${e.linePos[0].line + headLine - 1}: invalid YAML front matter (${e.code})`);
      throw new Error(`invalid YAML front matter (${(e as Error).message.split('\n')[0]})`);
    }
  }
  if (fm === null || fm === undefined) fm = {};
  if (!isObj(fm)) throw new Error('front matter: not a YAML mapping');
  const config = structuredClone(fm);
  let model: string | undefined;
  let modelVersion: string | undefined;
  if (format === 'dotprompt') {
    // Dotprompt: `model: provider/name`, and `config.version` pins a model version apart from the name.
    if (fm.model !== undefined && !str(fm.model)) throw new Error('field `model`: not a string');
    model = str(fm.model);
    delete config.model;
    if (isObj(config.config)) {
      modelVersion = str(config.config.version);
      delete config.config.version;
    }
  } else {
    // Prompty: `model.configuration` says where the model is (`type` and deployment or name); `model.parameters` are settings.
    if (fm.model !== undefined && !isObj(fm.model)) throw new Error('field `model`: not a mapping');
    const conf = isObj(fm.model) && isObj(fm.model.configuration) ? fm.model.configuration : undefined;
    const name = conf ? (str(conf.azure_deployment) ?? str(conf.model) ?? str(conf.name)) : undefined;
    if (name) model = conf && str(conf.type) ? `${str(conf.type)}/${name}` : name;
    const c = isObj(config.model) && isObj(config.model.configuration) ? config.model.configuration : undefined;
    if (c) for (const k of ['azure_deployment', 'model', 'name', 'type']) delete c[k];
  }
  return { format, ...(model ? { model } : {}), ...(modelVersion ? { modelVersion } : {}), prompt: body, config: withoutSecrets(config) };
}

/** A short content hash (`sha256:` and 16 hex digits): enough to tell versions apart, too short to be worth reversing. */
export function shortHash(parts: readonly string[]): string {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return `sha256:${h.digest('hex').slice(0, 16)}`;
}

/** One agent's prompt and config hashes over its prompt files (sorted by path, so the walk order does not matter). */
export function promptHashes(files: readonly { file: string; parsed: ParsedPromptFile }[]): { promptHash?: string; configHash?: string } {
  const sorted = [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const withConfig = sorted.filter((f) => f.parsed.config !== undefined);
  return {
    ...(sorted.length ? { promptHash: shortHash(sorted.flatMap((f) => [f.file, f.parsed.prompt])) } : {}),
    ...(withConfig.length ? { configHash: shortHash(withConfig.flatMap((f) => [f.file, canonicalJson(f.parsed.config)])) } : {}),
  };
}
