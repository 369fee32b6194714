/**
 * A real Chromium for the explorer's tests: Debian's `chromium` (scripts/setup/40-chromium.sh installs
 * it), driven by playwright-core, which brings no browser of its own. Absent, the tests fail and say how
 * to install it: they never skip.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';

declare global {
  interface Window {
    /** The explorer's test hook (src/ui/graph.ts): each drawing's elements, the route, and whether the page finished rendering. */
    __reachgraph?: {
      graphs: Record<string, () => { nodes: { id: string; label: string; role: string }[]; edges: { source: string; target: string; type: string; kind: string }[] }>;
      route?: string;
      ready?: boolean;
      renders?: number;
    };
  }
}

/** The Chromium binary: REACHGRAPH_CHROMIUM, else the first of the usual names on PATH. */
export function findChromium(): string {
  const given = process.env.REACHGRAPH_CHROMIUM;
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`REACHGRAPH_CHROMIUM=${given}: no such file`);
    return given;
  }
  for (const name of ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      /* not this one */
    }
  }
  throw new Error('no Chromium found for the explorer tests: install Debian\'s package (bash scripts/setup/40-chromium.sh, i.e. apt-get install -y chromium) or set REACHGRAPH_CHROMIUM to a Chromium binary');
}

export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Headless Chromium with the flags DEVELOPERS.md gives (no sandbox: CI runs as root; no GPU, QUIC,
 * first-run UI, background networking, component updates or sync). playwright itself adds `--headless`
 * and gives every launch a fresh profile folder in the temp directory (it refuses a --user-data-dir).
 */
export async function launchChromium(): Promise<TestBrowser> {
  const executablePath = findChromium();
  const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  const browser = await chromium.launch({ executablePath, args, headless: true, chromiumSandbox: false });
  return { browser, close: () => browser.close() };
}

/** The folder a test writes its screenshots to (created; printed by the test). */
export function screenshotDir(name: string): string {
  const dir = path.join(projectRoot(), '.reachgraph', 'screenshots', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The built explorer must exist: `npm test` builds it (scripts/ensure-built.mjs); a bare jest run may not have. */
export function requireBuiltExplorer(): void {
  const index = path.join(projectRoot(), 'dist', 'ui', 'index.html');
  if (!fs.existsSync(index)) throw new Error(`the explorer is not built (${index} missing): run npm run build (or node scripts/ensure-built.mjs)`);
}

/**
 * What a page did that a test must see as a failure: CSP violations, uncaught errors, and dialogs (a
 * dialog means some script ran; it is dismissed and recorded).
 */
export function watchPage(page: Page): { problems: string[]; dialogs: string[] } {
  const seen = { problems: [] as string[], dialogs: [] as string[] };
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) seen.problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  return seen;
}

/** A laptop-sized page in a fresh context, watched (see watchPage). */
export async function laptopPage(b: TestBrowser): Promise<{ page: Page; seen: { problems: string[]; dialogs: string[] } }> {
  const page = await (await b.browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  return { page, seen: watchPage(page) };
}
