/**
 * One agent's AI-BOM as SPDX 3.0.1 JSON-LD with the AI and Dataset profiles: the agent as a
 * software_Package (application), frameworks and SDKs as software_Packages with purls, models as
 * ai_AIPackage (sha256 in verifiedUsing), datasets as dataset_DatasetPackage, and relationships
 * (dependsOn from the agent, trainedOn from a model to its datasets). Only what the AI-BOM knows is
 * written: no release times, suppliers or download locations are made up. Checked in development with
 * the SPDX project's SHACL-generated Python bindings (spdx-python-model 0.0.6: read, then re-serialised,
 * which enforces types, vocabularies and cardinalities); the unit test checks the structure.
 */
import crypto from 'node:crypto';
import type { AgentBom } from './export-cyclonedx.js';

const FRAMEWORK_KINDS = new Set(['framework', 'mcp-sdk']);

type Element = Record<string, unknown>;

/** Serialises `b` as SPDX 3.0.1 JSON-LD. `now` and `ns` (the id namespace) make it reproducible. */
export function agentBomToSpdx(b: AgentBom, opts: { now?: Date; ns?: string } = {}): string {
  const ns = opts.ns ?? `https://reachgraph.invalid/spdx/${encodeURIComponent(b.agent)}/${crypto.randomUUID()}`;
  const id = (kind: string, key: string) => `${ns}#${kind}-${crypto.createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
  const created = (opts.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const ci = '_:creationinfo';
  const tool = id('tool', 'reachgraph');
  const agentPkg = id('agent', b.agent);
  const graph: Element[] = [
    { type: 'CreationInfo', '@id': ci, specVersion: '3.0.1', created, createdBy: [tool] },
    { type: 'SoftwareAgent', spdxId: tool, creationInfo: ci, name: 'reachgraph' },
    { type: 'software_Package', spdxId: agentPkg, creationInfo: ci, name: b.agent, software_primaryPurpose: 'application' },
  ];
  const deps: string[] = [];
  const rels: Element[] = [];
  for (const c of b.components) {
    const pid = id('pkg', `${c.ecosystem}/${c.name}@${c.version ?? '*'}`);
    const exact = c.version && /^[\w.+-]+$/.test(c.version);
    graph.push({
      type: 'software_Package',
      spdxId: pid,
      creationInfo: ci,
      name: c.name,
      ...(exact ? { software_packageVersion: c.version, software_packageUrl: `pkg:${c.ecosystem}/${c.name.startsWith('@') ? `%40${c.name.slice(1)}` : c.name}@${c.version}` } : {}),
      software_primaryPurpose: FRAMEWORK_KINDS.has(c.kind) ? 'framework' : 'library',
      ...(c.version && !exact ? { comment: `declared version range: ${c.version}` } : {}),
    });
    deps.push(pid);
  }
  const datasets = new Map<string, string>();
  for (const m of b.models) {
    const mid = id('model', m.id);
    graph.push({
      type: 'ai_AIPackage',
      spdxId: mid,
      creationInfo: ci,
      name: m.name,
      software_primaryPurpose: 'model',
      ...(m.version ? { software_packageVersion: m.version } : {}),
      ...(m.sha256 ? { verifiedUsing: [{ type: 'Hash', algorithm: 'sha256', hashValue: m.sha256 }] } : {}),
      ...(m.task ? { ai_domain: [m.task] } : {}),
      ...(m.architecture ? { ai_typeOfModel: [m.architecture] } : {}),
      ...(m.supplier ? { comment: `supplier: ${m.supplier}` } : {}),
    });
    deps.push(mid);
    const trained: string[] = [];
    for (const d of m.datasets ?? []) {
      if (!datasets.has(d)) {
        const did = id('dataset', d);
        datasets.set(d, did);
        // SPDX requires a dataset type; the AI-BOM does not know it.
        graph.push({ type: 'dataset_DatasetPackage', spdxId: did, creationInfo: ci, name: d, software_primaryPurpose: 'data', dataset_datasetType: ['noAssertion'] });
      }
      trained.push(datasets.get(d)!);
    }
    if (trained.length) rels.push({ type: 'Relationship', spdxId: id('rel', `${m.id} trainedOn`), creationInfo: ci, from: mid, relationshipType: 'trainedOn', to: trained });
  }
  for (const s of b.mcpServers) {
    const sid = id('mcp', s.id);
    graph.push({ type: 'software_Package', spdxId: sid, creationInfo: ci, name: s.name, software_primaryPurpose: 'application', comment: `MCP server (${s.transport})${s.tools.length ? `; tools: ${s.tools.map((t) => `${t.name} ${t.hash}`).join(', ')}` : ''}` });
    deps.push(sid);
  }
  if (deps.length) rels.push({ type: 'Relationship', spdxId: id('rel', 'dependsOn'), creationInfo: ci, from: agentPkg, relationshipType: 'dependsOn', to: deps });
  graph.push(...rels);
  const elements = graph.filter((e) => typeof e.spdxId === 'string').map((e) => e.spdxId as string);
  const sbom = id('sbom', b.agent);
  graph.push({ type: 'software_Sbom', spdxId: sbom, creationInfo: ci, rootElement: [agentPkg], element: elements, software_sbomType: ['analyzed'] });
  // The AI and Dataset profiles require release time, supplier, download location and version on every
  // AIPackage/DatasetPackage; an AI-BOM from files rarely knows them, and they are not invented, so the
  // document claims those profiles only when every such package has them (it uses their classes either way).
  const profileReady = (t: string) => graph.filter((e) => e.type === t).every((e) => ['releaseTime', 'suppliedBy', 'software_downloadLocation', 'software_packageVersion', 'software_primaryPurpose'].every((k) => k in e));
  const profiles = ['core', 'software', ...(profileReady('ai_AIPackage') ? ['ai'] : []), ...(profileReady('dataset_DatasetPackage') ? ['dataset'] : [])];
  graph.push({ type: 'SpdxDocument', spdxId: id('doc', b.agent), creationInfo: ci, name: `AI-BOM of ${b.agent}`, rootElement: [sbom], element: [...elements, sbom], profileConformance: profiles });
  return JSON.stringify({ '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': graph }, null, 2);
}
