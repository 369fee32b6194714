/**
 * One agent's AI-BOM as a CycloneDX 1.6 JSON document, built with @cyclonedx/cyclonedx-library's
 * models and serializer. What the library's models lack (modelCard, service endpoints) is added to
 * the serialized document in the shape the 1.6 schema defines; the tests validate the result with
 * the library's strict JSON validator.
 */
import crypto from 'node:crypto';
import type { Capability } from './catalog.js';
import type { DiffItem, RuntimeDiff } from './runtime-diff.js';

/** The export input: from a scan (`--from PATH`) or from the graph. */
export interface AgentBom {
  agent: string;
  components: { ecosystem: string; name: string; version: string | null; kind: string; product?: string; provider?: string }[];
  models: { id: string; name: string; sha256?: string; version?: string; supplier?: string; task?: string; architecture?: string; datasets?: string[]; format?: string; path?: string }[];
  services: { label: string; name: string; engine: string; url?: string }[];
  mcpServers: { id: string; name: string; transport: string; command?: string; args?: string[]; url?: string; tools: { name: string; hash: string; capabilities: string[] }[] }[];
}

const FRAMEWORK_KINDS = new Set(['framework', 'mcp-sdk']);
const P = 'reachgraph:';

/** The bom-ref a declared diff item has in the export (packages, models, MCP servers). */
function refOfDeclared(i: DiffItem): string | undefined {
  if (!i.declared) return undefined;
  if (i.kind === 'package') return `pkg:${i.declared}`;
  if (i.kind === 'model') return `model:${i.declared}`;
  if (i.kind === 'mcp-server') return `mcp:${i.declared}`;
  return undefined;
}

/**
 * Serialises `b` as CycloneDX 1.6 JSON (2-space indented). `now` and `serial` make it reproducible.
 * With `runtime`, components carry `reachgraph:runtime` (confirmed / dormant) and observed file paths as
 * evidence occurrences; what was observed but not declared is added with `reachgraph:runtime` undeclared.
 */
export async function agentBomToCycloneDx(b: AgentBom, opts: { now?: Date; serial?: string; runtime?: RuntimeDiff } = {}): Promise<string> {
  const CDX = await import('@cyclonedx/cyclonedx-library');
  const { Models, Enums } = CDX;
  const bom = new Models.Bom();
  bom.serialNumber = opts.serial ?? `urn:uuid:${crypto.randomUUID()}`;
  bom.metadata.timestamp = opts.now ?? new Date();
  bom.metadata.component = new Models.Component(Enums.ComponentType.Application, b.agent, { bomRef: `agent:${b.agent}` });
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, 'reachgraph', { version: '0.1.0' }));

  const cards = new Map<string, { task?: string; architecture?: string; datasets?: string[] }>();
  for (const c of b.components) {
    const purl = c.version && /^[\w.+-]+$/.test(c.version) ? `pkg:${c.ecosystem}/${c.name.startsWith('@') ? `%40${c.name.slice(1)}` : c.name}@${c.version}` : undefined;
    const comp = new Models.Component(FRAMEWORK_KINDS.has(c.kind) ? Enums.ComponentType.Framework : Enums.ComponentType.Library, c.name, {
      bomRef: `pkg:${c.ecosystem}/${c.name}@${c.version ?? '*'}`,
      ...(c.version ? { version: c.version } : {}),
    });
    if (purl) comp.purl = purl as never;
    comp.properties.add(new Models.Property(`${P}kind`, c.kind));
    if (c.product) comp.properties.add(new Models.Property(`${P}product`, c.product));
    bom.components.add(comp);
  }
  const datasets = new Set<string>();
  for (const m of b.models) {
    const comp = new Models.Component(Enums.ComponentType.MachineLearningModel, m.name, { bomRef: `model:${m.id}`, ...(m.version ? { version: m.version } : {}), ...(m.supplier ? { group: m.supplier } : {}) });
    if (m.sha256) comp.hashes.set(Enums.HashAlgorithm['SHA-256'], m.sha256);
    if (m.format) comp.properties.add(new Models.Property(`${P}format`, m.format));
    if (m.path) comp.properties.add(new Models.Property(`${P}path`, m.path));
    bom.components.add(comp);
    cards.set(`model:${m.id}`, { ...(m.task ? { task: m.task } : {}), ...(m.architecture ? { architecture: m.architecture } : {}), ...(m.datasets ? { datasets: m.datasets } : {}) });
    for (const d of m.datasets ?? []) datasets.add(d);
  }
  for (const d of [...datasets].sort()) bom.components.add(new Models.Component(Enums.ComponentType.Data, d, { bomRef: `data:${d}` }));

  const endpoints = new Map<string, string>();
  for (const s of b.services) {
    const svc = new Models.Service(s.name, { bomRef: `service:${s.label}:${s.name}` });
    svc.properties.add(new Models.Property(`${P}label`, s.label));
    svc.properties.add(new Models.Property(`${P}engine`, s.engine));
    if (s.url) endpoints.set(`service:${s.label}:${s.name}`, s.url);
    bom.services.add(svc);
  }
  for (const s of b.mcpServers) {
    const svc = new Models.Service(s.name, { bomRef: `mcp:${s.id}` });
    svc.properties.add(new Models.Property(`${P}mcp:transport`, s.transport));
    if (s.command) svc.properties.add(new Models.Property(`${P}mcp:command`, s.command));
    if (s.url) endpoints.set(`mcp:${s.id}`, s.url);
    for (const t of s.tools) {
      const tool = new Models.Service(t.name, { bomRef: `mcp:${s.id}/${t.name}` });
      tool.properties.add(new Models.Property(`${P}mcp:definitionHash`, t.hash));
      for (const c of t.capabilities) tool.properties.add(new Models.Property(`${P}capability`, c));
      svc.services.add(tool);
    }
    bom.services.add(svc);
  }

  const runtimeOf = new Map<string, { status: string; observed: string[] }>();
  if (opts.runtime) {
    for (const [status, list] of [['confirmed', opts.runtime.confirmed], ['dormant', opts.runtime.dormant]] as const)
      for (const i of list) {
        const ref = refOfDeclared(i);
        if (ref) runtimeOf.set(ref, { status, observed: i.observed ?? [] });
      }
    for (const i of opts.runtime.undeclared) {
      const ref = `observed:${i.kind}:${i.name}`;
      if (i.kind === 'mcp-server') bom.services.add(new Models.Service(i.name, { bomRef: ref }));
      else if (i.kind === 'model' || i.kind === 'package')
        bom.components.add(new Models.Component(i.kind === 'model' ? Enums.ComponentType.MachineLearningModel : Enums.ComponentType.Library, i.name, { bomRef: ref }));
      else continue;
      runtimeOf.set(ref, { status: 'undeclared', observed: i.observed ?? [] });
    }
  }

  const serializer = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6));
  const doc = JSON.parse(serializer.serialize(bom, { sortLists: true })) as { components?: Record<string, unknown>[]; services?: Record<string, unknown>[] };
  for (const c of doc.components ?? []) {
    const card = cards.get(String(c['bom-ref']));
    if (!card || (!card.task && !card.architecture && !card.datasets)) continue;
    c.modelCard = {
      modelParameters: {
        ...(card.task ? { task: card.task } : {}),
        ...(card.architecture ? { architectureFamily: card.architecture } : {}),
        ...(card.datasets ? { datasets: card.datasets.map((d) => ({ ref: `data:${d}` })) } : {}),
      },
    };
  }
  for (const s of doc.services ?? []) {
    const url = endpoints.get(String(s['bom-ref']));
    if (url) s.endpoints = [url];
  }
  const mark = (x: Record<string, unknown>, isComponent: boolean) => {
    const r = runtimeOf.get(String(x['bom-ref']));
    if (!r) return;
    x.properties = [...((x.properties as unknown[]) ?? []), { name: `${P}runtime`, value: r.status }];
    const files = r.observed.filter((o) => o.startsWith('/'));
    // Evidence of use: where the sensor saw the component opened (components only; services have no evidence field).
    if (isComponent && files.length) x.evidence = { occurrences: files.map((location) => ({ location })) };
    else if (r.observed.length) x.properties = [...(x.properties as unknown[]), ...r.observed.map((o) => ({ name: `${P}observed`, value: o }))];
  };
  for (const c of doc.components ?? []) mark(c, true);
  for (const s of doc.services ?? []) mark(s, false);
  return JSON.stringify(doc, null, 2);
}

/** Capabilities as "kind:target" strings for export. */
export const capabilityStrings = (g: { capability: Capability; target: string }[]) => g.map((x) => `${x.capability}:${x.target}`);
