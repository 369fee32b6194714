// The explorer's file route (src/api/ui-route.ts) on a real node:http server over a build folder made
// here: only built files by exact name, the CSP and nosniff on every answer, a clear 503 when unbuilt.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { uiRoute, UI_CSP } from '../../src/api/ui-route.js';

let dir: string;
let server: http.Server;
let base: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-ui-route-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="/assets/app-1.js"></script>');
  fs.writeFileSync(path.join(dir, 'assets', 'app-1.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'not a built file type');
  const route = uiRoute(dir);
  server = http.createServer((req, res) => {
    const p = (req.url ?? '/').split('?')[0]!;
    const matches = typeof route.path === 'string' ? route.path === p : route.path(p);
    if (!matches || !route.methods.includes(req.method ?? '')) return void res.writeHead(418).end();
    void route.handle(req, res, { principal: undefined, cors: {}, requestId: 'test' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('given GET /, then index.html with the CSP, nosniff, no-referrer and no caching', async () => {
  const res = await fetch(`${base}/`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('content-security-policy')).toBe(UI_CSP);
  expect(UI_CSP).toContain("script-src 'self'");
  expect(UI_CSP).not.toMatch(/unsafe/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('cache-control')).toBe('no-cache');
  expect(await res.text()).toContain('/assets/app-1.js');
});

test('given a hashed asset, then it is served as JavaScript and cached as immutable; HEAD has no body', async () => {
  const res = await fetch(`${base}/assets/app-1.js`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(res.headers.get('cache-control')).toContain('immutable');
  expect(await res.text()).toBe('console.log(1)');
  const head = await fetch(`${base}/assets/app-1.js`, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(await head.text()).toBe('');
});

test('given paths outside the build (traversal, encoded, unknown), then 404 with a coded JSON error and the CSP', async () => {
  for (const p of ['/assets/../secret.txt', '/assets/%2e%2e/secret.txt', '/assets/..%2fsecret.txt', '/assets/nope.js', '/assets/../../package.json']) {
    const res = await new Promise<{ status: number; body: string; csp: string | undefined }>((resolve, reject) => {
      // node:http sends the path as written (fetch would normalize the dots away).
      const req = http.request(`${base}${p}`, { method: 'GET', path: p }, (r) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body, csp: r.headers['content-security-policy'] as string | undefined }));
      });
      req.on('error', reject);
      req.end();
    });
    expect({ p, status: res.status }).toEqual({ p, status: 404 });
    expect(JSON.parse(res.body).errors[0].extensions.code).toBe('NOT_FOUND');
    expect(res.csp).toBe(UI_CSP);
  }
});

test('given no build, then / answers 503 EXPLORER_NOT_BUILT naming the fix', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-ui-empty-'));
  const route = uiRoute(empty);
  const s = http.createServer((req, res) => void route.handle(req, res, { principal: undefined, cors: {}, requestId: 't' }));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('EXPLORER_NOT_BUILT');
    expect(body.errors[0]!.message).toMatch(/npm run build/);
  } finally {
    await new Promise((r) => s.close(r));
    fs.rmSync(empty, { recursive: true, force: true });
  }
});
