/**
 * A time the code under test wrote: an ISO date, and not earlier than `since` (epoch ms, read before
 * the call). An order of events, not a duration; ISO times in UTC sort as text as they sort in time.
 */
export function expectStampedSince(stamped: unknown, since: number): void {
  expect(Date.parse(String(stamped))).not.toBeNaN();
  const at = new Date(String(stamped)).toISOString();
  expect([at, new Date(since).toISOString()].sort()[1]).toBe(at);
}
