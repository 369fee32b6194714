/**
 * Drift delivery to a webhook: signed (HMAC-SHA256 over timestamp and body), retried with exponential
 * backoff and jitter, never blocking the caller. `send` only enqueues; a bounded queue drops the oldest
 * event when full and counts it, so a flood costs bounded memory and is visible in `stats()`.
 */
import crypto from 'node:crypto';
import { InputError } from '../errors.js';
import { logger } from '../log.js';

export interface WebhookOptions {
  url: string;
  /** HMAC key; the receiver checks `X-Reachgraph-Signature: sha256=HEX(HMAC(secret, timestamp + "." + body))`. Never logged. */
  secret: string;
  /** Events waiting at most; the oldest is dropped (and counted) beyond it. Default 1000. */
  maxQueue?: number;
  /** Attempts per event, the first included. Default 5. */
  maxAttempts?: number;
  /** First retry delay; doubled each attempt, with up to 50 % jitter. Default 500 ms. */
  baseDelayMs?: number;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
}

export interface WebhookStats {
  queued: number;
  delivered: number;
  retried: number;
  failed: number;
  dropped: number;
}

/** The signature header value for a body sent at `timestamp` (seconds). */
export function signBody(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export class WebhookSender {
  private readonly queue: { id: string; body: string }[] = [];
  private readonly s: WebhookStats = { queued: 0, delivered: 0, retried: 0, failed: 0, dropped: 0 };
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly o: Required<WebhookOptions>;

  constructor(opts: WebhookOptions) {
    let u: URL;
    try {
      u = new URL(opts.url);
    } catch {
      throw new InputError(`--webhook: "${opts.url}" is not a URL`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new InputError(`--webhook: "${opts.url}" must be http or https`);
    if (!opts.secret) throw new InputError('--webhook: a signing secret is required (REACHGRAPH_WEBHOOK_SECRET)');
    this.o = { maxQueue: 1000, maxAttempts: 5, baseDelayMs: 500, timeoutMs: 10_000, ...opts };
  }

  /** Enqueues one event and returns at once; delivery happens in the background. */
  send(event: unknown): void {
    if (this.closed) return;
    if (this.queue.length >= this.o.maxQueue) {
      this.queue.shift();
      this.s.dropped++;
    }
    this.queue.push({ id: crypto.randomUUID(), body: JSON.stringify(event) });
    this.s.queued = this.queue.length;
    this.running ??= this.drain().finally(() => (this.running = undefined));
  }

  stats(): WebhookStats {
    return { ...this.s, queued: this.queue.length };
  }

  /** Stops accepting events and waits (at most `timeoutMs`) for the queue to drain. */
  async close(timeoutMs = 10_000): Promise<WebhookStats> {
    this.closed = true;
    if (this.running) await Promise.race([this.running, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    return this.stats();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const item = this.queue.shift()!;
      this.s.queued = this.queue.length;
      if (await this.deliver(item)) this.s.delivered++;
      else this.s.failed++;
    }
  }

  private async deliver(item: { id: string; body: string }): Promise<boolean> {
    for (let attempt = 1; attempt <= this.o.maxAttempts; attempt++) {
      const ts = String(Math.floor(Date.now() / 1000));
      let retry = true;
      try {
        const res = await fetch(this.o.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-reachgraph-delivery': item.id, 'x-reachgraph-timestamp': ts, 'x-reachgraph-signature': signBody(this.o.secret, ts, item.body) },
          body: item.body,
          signal: AbortSignal.timeout(this.o.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return true;
        // a client error other than throttling will not change on retry
        retry = res.status === 429 || res.status >= 500;
        logger.warn({ status: res.status, attempt, delivery: item.id }, 'drift webhook refused');
      } catch (e) {
        logger.warn({ err: (e as Error).message, attempt, delivery: item.id }, 'drift webhook failed');
      }
      if (!retry || attempt === this.o.maxAttempts) return false;
      this.s.retried++;
      const delay = this.o.baseDelayMs * 2 ** (attempt - 1);
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay * 0.5));
    }
    return false;
  }
}
