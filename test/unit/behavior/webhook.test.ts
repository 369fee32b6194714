import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signBody, WebhookSender } from '../../../src/behavior/webhook.js';

interface Received {
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A real HTTP receiver answering each request with the next status of `script` (then 200). */
async function receiver(script: number[], hold?: Promise<void>) {
  const got: Received[] = [];
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      got.push({ body, headers: req.headers });
      void (hold ?? Promise.resolve()).then(() => {
        res.statusCode = script.shift() ?? 200;
        res.end();
      });
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/hook`, got, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

describe('drift webhook', () => {
  test('delivers signed, retries 5xx with backoff, and send never waits for the network', async () => {
    const r = await receiver([503, 503]);
    const w = new WebhookSender({ url: r.url, secret: 'k3y', baseDelayMs: 20 });
    w.send({ id: 'drift:a', kind: 'open' });
    // send returned before any request completed
    expect(w.stats()).toMatchObject({ delivered: 0 });
    const s = await w.close(5000);
    await r.close();
    expect(s).toEqual({ queued: 0, delivered: 1, retried: 2, failed: 0, dropped: 0 });
    expect(r.got).toHaveLength(3);
    const last = r.got[2]!;
    expect(JSON.parse(last.body)).toEqual({ id: 'drift:a', kind: 'open' });
    expect(last.headers['x-reachgraph-signature']).toBe(signBody('k3y', String(last.headers['x-reachgraph-timestamp']), last.body));
    expect(new Set(r.got.map((g) => g.headers['x-reachgraph-delivery'])).size).toBe(1);
  });

  test('a 4xx is not retried; it is counted as failed', async () => {
    const r = await receiver([400]);
    const w = new WebhookSender({ url: r.url, secret: 'k', baseDelayMs: 10 });
    w.send({ n: 1 });
    expect(await w.close(5000)).toEqual({ queued: 0, delivered: 0, retried: 0, failed: 1, dropped: 0 });
    await r.close();
  });

  test('a flood while the receiver is slow keeps a bounded queue and counts what it dropped', async () => {
    let release!: () => void;
    const hold = new Promise<void>((res) => (release = res));
    const r = await receiver([], hold);
    const w = new WebhookSender({ url: r.url, secret: 'k', maxQueue: 100, baseDelayMs: 10 });
    for (let i = 0; i < 100_000; i++) w.send({ i });
    const mid = w.stats();
    expect(mid.queued).toBeLessThanOrEqual(100);
    release();
    const s = await w.close(10_000);
    await r.close();
    expect(s.delivered + s.dropped + s.failed).toBe(100_000);
    expect(s.delivered).toBeLessThanOrEqual(101);
    expect(s.dropped).toBeGreaterThanOrEqual(100_000 - 101);
    // the newest event was kept
    expect(JSON.parse(r.got.at(-1)!.body)).toEqual({ i: 99_999 });
  });

  test('bad configuration is refused naming the option', () => {
    expect(() => new WebhookSender({ url: 'nope', secret: 'k' })).toThrow('--webhook: "nope" is not a URL');
    expect(() => new WebhookSender({ url: 'ftp://x/', secret: 'k' })).toThrow(/must be http or https/);
    expect(() => new WebhookSender({ url: 'http://x/', secret: '' })).toThrow(/REACHGRAPH_WEBHOOK_SECRET/);
  });
});
