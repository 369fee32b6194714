/**
 * Serves the explorer (issue 16): the files Vite built into dist/ui, at `/` and `/assets/…`. The files
 * need no credentials (they hold no data; the page asks for an API key and sends it to /graphql only).
 * Only files that exist in the build are served, looked up by exact name in a listing read once, so
 * no request path is ever joined onto the file system. Every answer carries a strict CSP: scripts and
 * styles from this origin only, nothing inline, no frames, and fetches to this origin only.
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { projectRoot } from '../paths.js';
import { refuse, type Route } from './http.js';

/** The explorer's Content-Security-Policy. */
export const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

/** Headers every explorer answer carries. */
export const UI_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': UI_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** The built explorer's folder. */
export function uiDir(): string {
  return path.join(projectRoot(), 'dist', 'ui');
}

/** URL path → file, for every file under `dir` (read when the first request comes, then kept). */
function listing(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}${e.name}/`);
      else if (e.isFile() && TYPES[path.extname(e.name)]) files.set(`${prefix}${e.name}`, path.join(d, e.name));
    }
  };
  walk(dir, '/');
  return files;
}

/**
 * The route: GET/HEAD of `/`, `/index.html` and every built file. POST `/` still reaches GraphQL
 * (this route takes GET and HEAD only). When the explorer was not built, `/` says how to build it.
 */
export function uiRoute(dir: string = uiDir()): Route {
  let files: Map<string, string> | undefined;
  const builtFiles = () => {
    if (!files) files = fs.existsSync(path.join(dir, 'index.html')) ? listing(dir) : new Map();
    return files;
  };
  return {
    path: (p) => p === '/' || p === '/index.html' || p.startsWith('/assets/') || p === '/favicon.ico',
    methods: ['GET', 'HEAD'],
    async handle(req: http.IncomingMessage, res: http.ServerResponse) {
      const urlPath = (req.url ?? '/').split('?')[0]!;
      const name = urlPath === '/' ? '/index.html' : urlPath;
      let file = builtFiles().get(name);
      if (!file) {
        // A rebuild while serving renames the hashed assets: list the (small) build folder again once.
        files = undefined;
        file = builtFiles().get(name);
      }
      if (builtFiles().size === 0) return refuse(res, 503, 'EXPLORER_NOT_BUILT', `the explorer is not built (${dir} has no index.html): run npm run build`, UI_HEADERS);
      if (!file) return refuse(res, 404, 'NOT_FOUND', `no such file ${urlPath} in the explorer`, UI_HEADERS);
      let body: Buffer;
      try {
        body = await fs.promises.readFile(file);
      } catch {
        files = undefined; // rebuilt under us: list again on the next request
        return refuse(res, 404, 'NOT_FOUND', `no such file ${urlPath} in the explorer (it was rebuilt; reload)`, UI_HEADERS);
      }
      res.writeHead(200, {
        ...UI_HEADERS,
        'content-type': TYPES[path.extname(file)]!,
        'content-length': body.length,
        // Asset names carry a content hash; the page itself must always be fetched fresh to name the current ones.
        'cache-control': name.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}
