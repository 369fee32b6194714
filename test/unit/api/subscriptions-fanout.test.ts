// The subscription fan-out (src/api/subscriptions.ts): publishing never waits for a subscriber; one that
// falls a full queue behind is ended with SUBSCRIBER_TOO_SLOW while the others keep receiving.
import { SubscriptionError } from '../../../src/errors.js';
import { Fanout, type HubEvent } from '../../../src/api/subscriptions.js';
import type { DriftEvent } from '../../../src/api/drift.type.js';

const drift = (id: string, subject = 'w1', agents: string[] = []): HubEvent => ({ topic: 'drift', event: { id, subject } as DriftEvent, agents });
const ids = (s: AsyncIterator<DriftEvent>, n: number) => Promise.all(Array.from({ length: n }, () => s.next().then((r) => r.value?.id)));

describe('Fanout', () => {
  test('given a reader waiting and one that queues, then both get every matching event in order', async () => {
    const f = new Fanout(10);
    const all = f.subscribe((e) => (e.topic === 'drift' ? e.event : undefined));
    const mine = f.subscribe((e) => (e.topic === 'drift' && e.agents.includes('a1') ? e.event : undefined));
    const waiting = all.next();
    f.publish(drift('d1', 'w1', ['a1']));
    f.publish(drift('d2', 'w2'));
    f.publish({ topic: 'finding', finding: { id: 'f1' } as never });
    expect((await waiting).value?.id).toBe('d1');
    expect(await ids(all, 1)).toEqual(['d2']);
    expect(await ids(mine, 1)).toEqual(['d1']);
    expect(f.size).toBe(2);
  });

  test('given a subscriber that stops reading, then past its queue it is dropped with SUBSCRIBER_TOO_SLOW and a reading one is unaffected', async () => {
    const f = new Fanout(3);
    const slow = f.subscribe((e) => (e.topic === 'drift' ? e.event : undefined));
    const fast = f.subscribe((e) => (e.topic === 'drift' ? e.event : undefined));
    const got: string[] = [];
    for (let i = 0; i < 10; i++) {
      f.publish(drift(`d${i}`));
      got.push(...(await ids(fast, 1)));
    }
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => `d${i}`));
    expect(f.size).toBe(1);
    expect(slow.active).toBe(false);
    const err = await slow.next().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(SubscriptionError);
    expect((err as SubscriptionError).code).toBe('SUBSCRIBER_TOO_SLOW');
    expect(await slow.next()).toEqual({ value: undefined, done: true });
  });

  test('given a reader waiting when it is dropped or when the client unsubscribes, then its read ends rather than hanging', async () => {
    const f = new Fanout(1);
    const s = f.subscribe((e) => (e.topic === 'drift' ? e.event : undefined));
    const pending = s.next();
    await s.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(f.size).toBe(0);
    f.publish(drift('late'));
    expect(await s.next()).toEqual({ value: undefined, done: true });
    const t = f.subscribe((e) => (e.topic === 'drift' ? e.event : undefined));
    f.close();
    expect(await t.next()).toEqual({ value: undefined, done: true });
  });
});
