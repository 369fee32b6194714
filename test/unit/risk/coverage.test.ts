import fc from 'fast-check';
import { coverageOf, evidenceWindow, type CoverageWindow } from '../../../src/risk/coverage.js';

const w = (from: string, to: string, extra: Partial<CoverageWindow> = {}): CoverageWindow => ({ workload: 'h/pod/c/ns/p', coverage: `cov-${from}`, from, to, probes: ['exec', 'net', 'dns', 'files'], lost: false, ...extra });
const W = { from: '2026-11-20T09:00:00.000Z', to: '2026-11-20T10:00:00.000Z' };

describe('coverage: absence is proof only under full coverage', () => {
  test('two flush windows cover the hour', () => {
    expect(coverageOf([w('2026-11-20T09:00:00Z', '2026-11-20T09:30:00Z'), w('2026-11-20T09:30:00Z', '2026-11-20T10:00:00Z')], 'net', W)).toEqual({ complete: true });
  });
  test('a hole between windows is incomplete and says where', () => {
    const c = coverageOf([w('2026-11-20T09:00:00Z', '2026-11-20T09:20:00Z'), w('2026-11-20T09:30:00Z', '2026-11-20T10:00:00Z')], 'net', W);
    expect(c.complete).toBe(false);
    expect(c.reason).toMatch(/not observed with the net probe from 2026-11-20T09:20:00.000Z/);
  });
  test('lost events make the window incomplete', () => {
    expect(coverageOf([w('2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z', { lost: true })], 'net', W)).toEqual({ complete: false, reason: 'events were lost in window cov-2026-11-20T09:00:00Z of h/pod/c/ns/p' });
  });
  test('a window without the probe does not count for it', () => {
    expect(coverageOf([w('2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z', { probes: ['exec'] })], 'net', W).complete).toBe(false);
  });
  test('no windows, no window: incomplete', () => {
    expect(coverageOf([], 'net', undefined).complete).toBe(false);
    expect(evidenceWindow([])).toBeUndefined();
    expect(evidenceWindow([w('2026-11-20T09:10:00Z', '2026-11-20T09:20:00Z'), w('2026-11-20T09:00:00Z', '2026-11-20T09:05:00Z')])).toEqual({ from: '2026-11-20T09:00:00.000Z', to: '2026-11-20T09:20:00.000Z' });
  });
  test('property: removing a window never turns incomplete coverage complete', () => {
    const arbWin = fc.record({ a: fc.integer({ min: 0, max: 50 }), len: fc.integer({ min: 1, max: 30 }), lost: fc.boolean() });
    fc.assert(
      fc.property(fc.array(arbWin, { maxLength: 6 }), fc.nat({ max: 5 }), (ws, drop) => {
        const t = (m: number) => new Date(Date.parse(W.from) + m * 60_000).toISOString();
        const all = ws.map((x, i) => w(t(x.a), t(x.a + x.len), { lost: x.lost, coverage: `c${i}` }));
        const fewer = all.filter((_, i) => i !== drop);
        const win = { from: t(0), to: t(60) };
        return !(coverageOf(all, 'net', win).complete === false && coverageOf(fewer, 'net', win).complete === true && fewer.length > 0 && !all.some((x) => x.lost));
      }),
    );
  });
});
