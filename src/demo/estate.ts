/**
 * The demo estate `npm start` loads: every capability adds a module to ./parts/ exporting
 * `part = { name, load(graph) }`; each part loads through the ingest core like any source.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Graph } from '../graph/driver.js';
import type { SyncSummary } from '../graph/ingest.js';
import { logger } from '../log.js';

export interface DemoPart {
  name: string;
  load(graph: Graph): Promise<SyncSummary | SyncSummary[] | void>;
}

export async function demoParts(): Promise<DemoPart[]> {
  const here = fileURLToPath(import.meta.url);
  const dir = path.join(path.dirname(here), 'parts');
  const ext = path.extname(here);
  const parts: DemoPart[] = [];
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(ext) && !f.endsWith(`.d${ext}`)).sort()) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { part?: DemoPart };
    if (mod.part) parts.push(mod.part);
  }
  return parts;
}

export interface DemoResult {
  part: string;
  ok: boolean;
  error?: string;
}

/** Loads every part; a part that fails is reported and the others still load. */
export async function loadDemoEstate(graph: Graph): Promise<DemoResult[]> {
  const results: DemoResult[] = [];
  for (const p of await demoParts()) {
    try {
      await p.load(graph);
      results.push({ part: p.name, ok: true });
      logger.info({ part: p.name }, 'demo estate part loaded');
    } catch (e) {
      results.push({ part: p.name, ok: false, error: (e as Error).message });
      logger.error({ part: p.name, error: (e as Error).message }, 'demo estate part failed');
    }
  }
  return results;
}
