/**
 * Known-vulnerable AI components from an OSV advisory export the user supplies (`--osv FILE|DIR`): a
 * JSON file holding one OSV record, an array of them or `{vulns: [...]}`, or a directory of such files.
 * Offline: nothing is looked up. Only exact (pinned) versions are matched; a range is not a version.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { normalizeName } from './catalog.js';
import { parseJsonStrict } from './manifests.js';
import type { AibomScan, ScanError, ScannedComponent } from './types.js';

const event = z.object({ introduced: z.string().optional(), fixed: z.string().optional(), last_affected: z.string().optional(), limit: z.string().optional() }).passthrough();
const advisorySchema = z
  .object({
    id: z.string().min(1),
    summary: z.string().optional(),
    aliases: z.array(z.string()).optional(),
    affected: z
      .array(
        z
          .object({
            package: z.object({ ecosystem: z.string(), name: z.string() }).passthrough().optional(),
            versions: z.array(z.string()).optional(),
            ranges: z.array(z.object({ type: z.string(), events: z.array(event) }).passthrough()).optional(),
          })
          .passthrough(),
      )
      .optional(),
    database_specific: z.object({ severity: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();
export type OsvAdvisory = z.infer<typeof advisorySchema>;

const ECOSYSTEMS: Record<string, 'npm' | 'pypi'> = { npm: 'npm', pypi: 'pypi' };

/** Reads advisories; a file that is not OSV becomes an error naming it (and the record's index). */
export function loadOsv(p: string): { advisories: OsvAdvisory[]; errors: ScanError[] } {
  if (!fs.existsSync(p)) throw new InputError(`--osv ${p}: no such file or directory`);
  const files = fs.statSync(p).isDirectory() ? fs.readdirSync(p).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(p, f)) : [p];
  const advisories: OsvAdvisory[] = [];
  const errors: ScanError[] = [];
  for (const f of files) {
    try {
      const j = parseJsonStrict(fs.readFileSync(f, 'utf8'));
      const list = Array.isArray(j) ? j : j && typeof j === 'object' && Array.isArray((j as { vulns?: unknown }).vulns) ? (j as { vulns: unknown[] }).vulns : [j];
      list.forEach((rec, i) => {
        const r = advisorySchema.safeParse(rec);
        if (r.success) advisories.push(r.data);
        else errors.push({ file: f, message: `record ${i}: field \`${r.error.issues[0]!.path.join('.')}\`: ${r.error.issues[0]!.message}` });
      });
    } catch (e) {
      errors.push({ file: f, message: (e as Error).message });
    }
  }
  return { advisories, errors };
}

/**
 * Orders two versions: the numeric release first (1.10 > 1.9), then a pre-release (a, b, rc, alpha,
 * beta, dev, "-…") before the release and a post-release after it. A simplification of PEP 440 and
 * SemVer that is exact for the plain versions advisories and lock files mostly carry.
 */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v?(\d+(?:\.\d+)*)(.*)$/.exec(v.trim()) ?? [v, '0', v];
    const rel = m[1]!.split('.').map(Number);
    const rest = m[2]!.toLowerCase();
    const rank = rest === '' ? 0 : /^[.-]?(post|rev|r)\d*$/.test(rest) ? 1 : -1;
    return { rel, rank, rest };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.rel.length, y.rel.length); i++) {
    const d = (x.rel[i] ?? 0) - (y.rel[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.rank !== y.rank) return Math.sign(x.rank - y.rank);
  return x.rest < y.rest ? -1 : x.rest > y.rest ? 1 : 0;
}

/** True when an advisory's affected entry covers this exact version. */
function covers(a: NonNullable<OsvAdvisory['affected']>[number], version: string): boolean {
  if (a.versions?.includes(version)) return true;
  for (const r of a.ranges ?? []) {
    if (r.type !== 'ECOSYSTEM' && r.type !== 'SEMVER') continue;
    // Events in order: each "introduced" opens an interval that the next "fixed"/"last_affected"/"limit" closes.
    let open: string | undefined;
    for (const e of r.events) {
      if (e.introduced !== undefined) open = e.introduced;
      const close = e.fixed ?? e.limit;
      if (open !== undefined && (close !== undefined || e.last_affected !== undefined)) {
        const above = open === '0' || compareVersions(version, open) >= 0;
        const below = close !== undefined ? compareVersions(version, close) < 0 : compareVersions(version, e.last_affected!) <= 0;
        if (above && below) return true;
        open = undefined;
      }
    }
    if (open !== undefined && (open === '0' || compareVersions(version, open) >= 0)) return true;
  }
  return false;
}

export interface VulnerableMatch {
  component: ScannedComponent;
  advisory: OsvAdvisory;
}

/** Pinned components an advisory covers. */
export function matchAdvisories(components: ScannedComponent[], advisories: OsvAdvisory[]): VulnerableMatch[] {
  const out: VulnerableMatch[] = [];
  for (const c of components) {
    if (!c.pinned || !c.version) continue;
    for (const adv of advisories)
      if ((adv.affected ?? []).some((a) => a.package && ECOSYSTEMS[a.package.ecosystem.toLowerCase()] === c.ecosystem && normalizeName(c.ecosystem, a.package.name) === normalizeName(c.ecosystem, c.name) && covers(a, c.version!)))
        out.push({ component: c, advisory: adv });
  }
  return out;
}

/** Matches the scan's pinned components against an OSV export; a bad advisory file makes the scan partial. */
export function withAdvisories(scan: AibomScan, osv: string): VulnerableMatch[] {
  const { advisories, errors } = loadOsv(osv);
  if (errors.length) {
    scan.errors.push(...errors);
    scan.partial = true;
  }
  return matchAdvisories(scan.components, advisories);
}
