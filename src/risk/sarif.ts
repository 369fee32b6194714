/**
 * Findings as SARIF 2.1.0. Pure. Rules come from the catalog (GitHub's required texts and
 * security-severity), results carry the priority as `rank`, a logical location for the subject (there
 * is no source file), and a versioned partial fingerprint of the finding's identity (rule, subject,
 * target) so re-runs deduplicate.
 */
import crypto from 'node:crypto';
import type { CatalogEntry, Finding, Severity } from './findings.js';

const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function toSarif(catalog: readonly CatalogEntry[], findings: readonly Finding[], toolVersion: string): Record<string, unknown> {
  const index = new Map(catalog.map((c, i) => [c.id, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'reachgraph',
            version: toolVersion,
            informationUri: 'https://github.com/reachgraph/reachgraph',
            rules: catalog.map((c) => ({
              id: c.id,
              name: c.title.replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(''),
              shortDescription: { text: c.title },
              fullDescription: { text: c.description },
              help: { text: c.remediation },
              defaultConfiguration: { level: LEVEL[c.severity] },
              properties: {
                tags: ['security', ...c.owaspLlm, ...c.owaspAgentic].slice(0, 20),
                precision: 'high',
                'security-severity': SECURITY_SEVERITY[c.severity],
                query: c.query,
                soc2: c.soc2,
                pciDss: c.pciDss,
                hipaa: c.hipaa,
              },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId) ?? 0,
          level: LEVEL[f.severity],
          kind: 'fail',
          rank: f.priority,
          message: { text: `${f.title}: ${f.subject.label} ${f.subject.id} reaches ${f.target}${f.exercised ? ' (exercised at runtime)' : ''}${f.entry ? ' (subject is an entry point)' : ''}` },
          locations: [{ logicalLocations: [{ name: f.subject.id, fullyQualifiedName: `reachgraph/${f.subject.label}/${f.subject.id}`, kind: 'resource' }] }],
          partialFingerprints: { 'reachgraphIdentity/v1': crypto.createHash('sha256').update(`${f.ruleId}\u0000${f.subject.label}\u0000${f.subject.id}\u0000${f.target}`).digest('hex') },
          properties: { target: f.target, exercised: f.exercised, entry: f.entry, path: f.path.map((h) => `${h.from} -[${h.type}]-> ${h.to}`) },
        })),
      },
    ],
  };
}
