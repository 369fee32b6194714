/**
 * The AI-BOM catalog and the MCP rule table: data files next to this module (catalog.json,
 * mcp-rules.json), validated once with zod so a bad row fails loudly at load, not as a silent miss.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { projectRoot } from '../../paths.js';

const ecosystem = z.enum(['npm', 'pypi']);
const componentKind = z.enum(['framework', 'llm-sdk', 'ml-library', 'inference', 'mcp-sdk', 'vector-db-client', 'cloud-sdk']);

const catalogSchema = z.object({
  packages: z.array(z.object({ ecosystem, name: z.string().min(1), kind: componentKind, product: z.string(), provider: z.string().optional() }).strict()),
  prefixes: z.array(z.object({ ecosystem, prefix: z.string().min(1), kind: componentKind, product: z.string() }).strict()),
  services: z.array(z.object({ match: z.string().min(1), label: z.enum(['InferenceServer', 'VectorStore']), engine: z.string() }).strict()),
  llmApiHosts: z.object({ hosts: z.array(z.object({ provider: z.string(), pattern: z.string() }).strict()), aliases: z.record(z.string(), z.string()) }),
  models: z.object({ extensions: z.record(z.string(), z.string()), ambiguousExtensions: z.record(z.string(), z.string()), directories: z.array(z.string()) }),
  prompts: z.object({ formats: z.record(z.string(), z.enum(['dotprompt', 'prompty'])), files: z.array(z.string()) }),
  skipDirectories: z.array(z.string()),
  mcpClients: z.array(z.object({ client: z.string(), level: z.enum(['project', 'user']), path: z.string(), key: z.string() }).strict()),
});
export type Catalog = z.infer<typeof catalogSchema>;
export type Ecosystem = z.infer<typeof ecosystem>;
export type ComponentKind = z.infer<typeof componentKind>;
export type McpClientDef = Catalog['mcpClients'][number];

const capability = z.enum(['filesystem', 'shell', 'network', 'secrets']);
const rulesSchema = z.object({
  injectionPatterns: z.array(z.object({ id: z.string().regex(/^[a-z0-9-]+$/), pattern: z.string(), why: z.string() }).strict()),
  capabilityRules: z.array(z.object({ capability, toolName: z.string(), schemaProperties: z.array(z.string()) }).strict()),
  serverLaunchRules: z.array(z.object({ capability, commandOrArg: z.string(), rootsFromArgs: z.boolean() }).strict()),
  broadRoots: z.array(z.string()),
});
export type McpRules = z.infer<typeof rulesSchema>;
export type Capability = z.infer<typeof capability>;

/** A data file next to this module, checked with `schema`; errors name the file and the first bad field. */
export function loadAibomData<T>(file: string, schema: z.ZodType<T>): T {
  const p = path.join(projectRoot(), 'src', 'collectors', 'aibom', file);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(p, 'utf8'));
  } catch (e) {
    throw new InputError(`${p}: ${(e as Error).message}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new InputError(`${p}: field \`${r.error.issues[0]!.path.join('.')}\`: ${r.error.issues[0]!.message}`);
  return r.data;
}

let catalog: Catalog | undefined;
let rules: McpRules | undefined;

/** The package/model/MCP-client catalog (cached). */
export function aibomCatalog(): Catalog {
  return (catalog ??= loadAibomData('catalog.json', catalogSchema));
}

/** Injection patterns and capability rules for MCP tool definitions (cached). */
export function mcpRules(): McpRules {
  return (rules ??= loadAibomData('mcp-rules.json', rulesSchema));
}

/** PEP 503 name normalisation for PyPI; npm names compare lower-case. */
export function normalizeName(eco: Ecosystem, name: string): string {
  return eco === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name.toLowerCase();
}

/** The catalog entry for a package, exact name first, then prefix; undefined when it is not AI-related. */
export function lookupPackage(eco: Ecosystem, name: string): { kind: ComponentKind; product: string; provider?: string } | undefined {
  const n = normalizeName(eco, name);
  const c = aibomCatalog();
  const exact = c.packages.find((p) => p.ecosystem === eco && normalizeName(eco, p.name) === n);
  if (exact) return { kind: exact.kind, product: exact.product, ...(exact.provider ? { provider: exact.provider } : {}) };
  const pre = c.prefixes.find((p) => p.ecosystem === eco && n.startsWith(normalizeName(eco, p.prefix)));
  return pre ? { kind: pre.kind, product: pre.product } : undefined;
}
