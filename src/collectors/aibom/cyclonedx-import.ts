/**
 * CycloneDX 1.5–1.7 JSON BOMs, ML-BOM included: validated against the specification's schema with
 * @cyclonedx/cyclonedx-library's strict validator, then read for machine-learning-model components
 * (with their model cards and the data components they were trained on), AI packages by purl, and
 * services that are inference servers or vector stores (catalog.json).
 */
import { aibomCatalog, lookupPackage, type Ecosystem } from './catalog.js';
import { parseJsonStrict } from './manifests.js';
import { modelSource } from './model-source.js';
import type { ScannedComponent, ScannedModel, ScannedService } from './types.js';

const SUPPORTED = ['1.5', '1.6', '1.7'] as const;

/** True when a parsed JSON value claims to be a CycloneDX BOM (worth validating). */
export function looksLikeCycloneDx(v: unknown): boolean {
  return isObj(v) && v.bomFormat === 'CycloneDX';
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export interface ImportedBom {
  components: ScannedComponent[];
  models: ScannedModel[];
  services: ScannedService[];
}

/** Validates and reads one BOM; throws an Error naming the schema path when the document is invalid. */
export async function importCycloneDx(text: string, file: string, agent: string): Promise<ImportedBom> {
  const doc = parseJsonStrict(text);
  if (!looksLikeCycloneDx(doc)) throw new Error('not a CycloneDX BOM (bomFormat is not "CycloneDX")');
  const bom = doc as Record<string, unknown>;
  const version = str(bom.specVersion);
  if (!version || !(SUPPORTED as readonly string[]).includes(version)) throw new Error(`specVersion ${JSON.stringify(bom.specVersion)} is not supported (${SUPPORTED.join(', ')})`);
  const CDX = await import('@cyclonedx/cyclonedx-library');
  const errors = (await new CDX.Validation.JsonStrictValidator(version as (typeof CDX.Spec.Version)[keyof typeof CDX.Spec.Version]).validate(text)) as { instancePath?: string; message?: string; params?: unknown }[] | null;
  if (errors && errors.length > 0) {
    const first = errors.slice(0, 3).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}${isObj(e.params) && e.params.additionalProperty ? ` (${String(e.params.additionalProperty)})` : ''}`);
    throw new Error(`not valid against the CycloneDX ${version} schema: ${first.join('; ')}${errors.length > 3 ? ` (+${errors.length - 3} more)` : ''}`);
  }

  const all: Record<string, unknown>[] = [];
  const walk = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const c of list) if (isObj(c)) (all.push(c), walk(c.components));
  };
  walk(bom.components);
  const byRef = new Map(all.filter((c) => str(c['bom-ref'])).map((c) => [c['bom-ref'] as string, c]));

  const out: ImportedBom = { components: [], models: [], services: [] };
  for (const c of all) {
    const name = str(c.name)!;
    if (c.type === 'machine-learning-model') out.models.push(modelOf(c, name, byRef, file, agent));
    const purl = str(c.purl);
    const m = purl ? /^pkg:(npm|pypi)\/(.+?)@([^?#]+)/.exec(purl) : null;
    if (m) {
      const eco = m[1] as Ecosystem;
      const pkgName = decodeURIComponent(m[2]!);
      const hit = lookupPackage(eco, pkgName);
      if (hit) out.components.push({ agent, ecosystem: eco, name: pkgName, version: decodeURIComponent(m[3]!), pinned: true, ...hit, file });
    }
  }
  for (const s of Array.isArray(bom.services) ? bom.services.filter(isObj) : []) {
    const name = str(s.name);
    if (!name) continue;
    const def = aibomCatalog().services.find((d) => name.toLowerCase().includes(d.match));
    if (!def) continue;
    const url = Array.isArray(s.endpoints) ? s.endpoints.find((e): e is string => typeof e === 'string') : undefined;
    out.services.push({ agent, label: def.label, id: url ?? `service/${name}`, name, engine: def.engine, ...(url ? { url } : {}), file });
  }
  return out;
}

function modelOf(c: Record<string, unknown>, name: string, byRef: Map<string, Record<string, unknown>>, file: string, agent: string): ScannedModel {
  const hashes = Array.isArray(c.hashes) ? c.hashes.filter(isObj) : [];
  const sha = hashes.find((h) => h.alg === 'SHA-256' && typeof h.content === 'string')?.content as string | undefined;
  const group = str(c.group) ?? (isObj(c.supplier) ? str(c.supplier.name) : undefined) ?? str(c.publisher);
  const card = isObj(c.modelCard) ? c.modelCard : {};
  const params = isObj(card.modelParameters) ? card.modelParameters : {};
  const datasets = (Array.isArray(params.datasets) ? params.datasets : [])
    .map((d) => (isObj(d) ? (typeof d.ref === 'string' ? (str(byRef.get(d.ref)?.name) ?? d.ref) : str(d.name)) : undefined))
    .filter((d): d is string => d !== undefined);
  const version = str(c.version);
  // A purl or a distribution URL names the registry and organisation; else the supplier is the source.
  const dist = (Array.isArray(c.externalReferences) ? c.externalReferences.filter(isObj) : []).find((r) => r.type === 'distribution' && typeof r.url === 'string')?.url as string | undefined;
  const source = modelSource(str(c.purl) ?? dist, { supplier: group });
  const task = str(params.task);
  const architecture = str(params.architectureFamily) ?? str(params.modelArchitecture);
  return {
    agent,
    // A digest names the exact artifact; without one only the declared name does (and the model is unpinned).
    id: sha ? `sha256:${sha.toLowerCase()}` : `${group ?? 'model'}/${name}`,
    name,
    origin: 'bom',
    file,
    ...(sha ? { sha256: sha.toLowerCase() } : {}),
    ...(version ? { version } : {}),
    ...(group ? { supplier: group } : {}),
    ...(source ? { source } : {}),
    ...(task ? { task } : {}),
    ...(architecture ? { architecture } : {}),
    ...(datasets.length ? { datasets } : {}),
  };
}
