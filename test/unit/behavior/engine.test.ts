import fc from 'fast-check';
import { learnBaseline, parseDuration, type Baseline } from '../../../src/behavior/baseline.js';
import { summarizeCoverage, type CoverageWindow } from '../../../src/behavior/coverage.js';
import { byDriftRank, classify, detectDrift, driftEventId, TopDrift, type StateChange } from '../../../src/behavior/drift.js';
import { aggregateEdges, type ObservedEdge, type RawEdge } from '../../../src/behavior/edges.js';
import { addressScope, endpointAddress, severityOf } from '../../../src/behavior/severity.js';

const T0 = Date.parse('2026-11-20T09:00:00Z');
const M = 60_000;
const t = (m: number) => T0 + m * M;
const ALL = ['exec', 'net', 'dns', 'files'];
const win = (id: string, from: number, to: number, extra: Partial<CoverageWindow> = {}): CoverageWindow => ({ id, from: t(from), to: t(to), probes: ALL, lost: false, ...extra });
const raw = (type: string, target: string, first: number, last: number, extra: Partial<RawEdge> = {}): RawEdge => ({ type, target, targetLabel: 'X', count: 1, firstSeen: t(first), lastSeen: t(last), ...extra });
const locked = (b: Baseline): Baseline => ({ ...b, state: 'locked' });

describe('edges: one (kind, target) per behaviour', () => {
  test('relationships split by executable or port fold into one edge with summed counts and the full span', () => {
    const e = aggregateEdges([
      raw('DID_CONNECT', '1.2.3.4:443', 5, 9, { count: 2, executable: '/usr/bin/curl' }),
      raw('DID_CONNECT', '1.2.3.4:443', 1, 3, { count: 3, executable: '/usr/bin/python3' }),
      raw('DID_EXEC', '/bin/sh', 2, 2),
      raw('CHILD_OF', 'ignored', 0, 0),
    ]);
    expect(e).toEqual([
      { kind: 'connect', target: '1.2.3.4:443', targetLabel: 'X', count: 5, firstSeen: t(1), lastSeen: t(9), executables: ['/usr/bin/curl', '/usr/bin/python3'] },
      { kind: 'exec', target: '/bin/sh', targetLabel: 'X', count: 1, firstSeen: t(2), lastSeen: t(2), executables: ['/bin/sh'] },
    ]);
  });
});

describe('baseline: learned over a window', () => {
  const edges = aggregateEdges([raw('DID_EXEC', '/usr/bin/python3', 0, 50), raw('DID_RESOLVE', 'api.example.com', 10, 20), raw('DID_CONNECT', '9.9.9.9:443', 70, 80)]);
  test('holds exactly the edges whose span touches the window', () => {
    const b = learnBaseline('w', edges, [win('c0', 0, 60)], t(0), t(60));
    expect(b.entries.map((e) => `${e.kind}|${e.target}`)).toEqual(['exec|/usr/bin/python3', 'resolve|api.example.com']);
    expect(b.state).toBe('learning');
    expect(b.coverage.gaps).toEqual([]);
  });
  test('a window with lost events or without coverage says so', () => {
    const b = learnBaseline('w', edges, [win('c0', 0, 20, { lost: true }), win('c1', 30, 60)], t(0), t(60));
    expect(b.coverage.gaps.map((g) => g.reason)).toEqual(['lost', 'no-window']);
    expect(b.coverage.lostWindows).toBe(1);
  });
  test('an empty or inverted window is refused', () => {
    expect(() => learnBaseline('w', edges, [], t(5), t(5))).toThrow(/must end after it starts/);
  });
  test('durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(() => parseDuration('soon')).toThrow(/--window: "soon" is not a duration/);
  });
});

describe('drift: edges outside the locked baseline', () => {
  const learning = aggregateEdges([raw('DID_EXEC', '/usr/bin/python3', 0, 50), raw('DID_CONNECT', '52.1.1.1:443', 5, 50, { executable: '/usr/bin/python3' })]);
  const later = aggregateEdges([
    raw('DID_EXEC', '/usr/bin/python3', 0, 100),
    raw('DID_CONNECT', '52.1.1.1:443', 5, 100, { executable: '/usr/bin/python3' }),
    raw('DID_CONNECT', '127.0.0.1:9999', 70, 71, { executable: '/usr/bin/python3', count: 4 }),
    raw('DID_OPEN', '/root/.aws/credentials', 72, 72, { executable: '/usr/bin/python3', fileClass: 'credential' }),
    raw('DID_EXEC', '/bin/bash', 73, 73),
  ]);
  const windows = [win('c0', 0, 60), win('c1', 60, 120)];
  const base = learnBaseline('w', learning, windows, t(0), t(60));

  test('a baseline still learning yields nothing', () => {
    expect(detectDrift(base, later, windows, []).events).toEqual([]);
  });

  test('exactly the new edges, highest score first, certain and unexplained under full coverage', () => {
    const r = detectDrift(locked(base), later, windows, []);
    expect(r.events.map((e) => [e.kind, e.target, e.count, e.severity.level, e.severity.score, e.certainty, e.classification.classification])).toEqual([
      ['open', '/root/.aws/credentials', 1, 'critical', 95, 'certain', 'unexplained'],
      ['exec', '/bin/bash', 1, 'high', 85, 'certain', 'unexplained'],
      ['connect', '127.0.0.1:9999', 4, 'low', 30, 'certain', 'unexplained'],
    ]);
    expect(r.events[0]!.coverage).toMatchObject({ windows: ['c1'], lostWindows: 0, gaps: [] });
    expect(driftEventId(r.events[0]!)).toBe('drift:w|v1|open|/root/.aws/credentials');
    expect(r.suppressed).toEqual({ total: 0, byKind: {} });
  });

  test('an edge first seen within the correlation window after a declared change is explained, by the latest such change', () => {
    const changes: StateChange[] = [
      { id: 'img-1', kind: 'image', at: t(10), on: 'pod' },
      { id: 'img-2', kind: 'image', at: t(65), on: 'pod' },
    ];
    const r = detectDrift(locked(base), later, windows, changes, { correlationMs: 10 * M });
    expect(r.events.map((e) => [e.target, e.classification.classification === 'explained' ? e.classification.explainedBy.id : null])).toEqual([
      ['/root/.aws/credentials', 'img-2'],
      ['/bin/bash', 'img-2'],
      ['127.0.0.1:9999', 'img-2'],
    ]);
    expect(detectDrift(locked(base), later, windows, changes, { correlationMs: M }).events.every((e) => e.classification.classification === 'unexplained')).toBe(true);
  });

  test('a gap in the baseline window makes drift of that kind uncertain; other kinds stay certain', () => {
    const ws = [win('c0', 0, 30, { probes: ['exec', 'dns', 'files'] }), win('c0b', 30, 60), win('c1', 60, 120)];
    const b = learnBaseline('w', learning, ws, t(0), t(60));
    const r = detectDrift(locked(b), later, ws, []);
    const byTarget = Object.fromEntries(r.events.map((e) => [e.target, [e.certainty, e.reasons.length]]));
    expect(byTarget).toEqual({ '/root/.aws/credentials': ['certain', 0], '/bin/bash': ['certain', 0], '127.0.0.1:9999': ['uncertain', 1] });
  });

  test('an edge seen only in a window that lost events is not drift with certainty', () => {
    const ws = [win('c0', 0, 60), win('c1', 60, 71.5, { lost: true }), win('c2', 71.5, 120)];
    const r = detectDrift(locked(learnBaseline('w', learning, ws, t(0), t(60))), later, ws, []);
    const loop = r.events.find((e) => e.target === '127.0.0.1:9999')!;
    expect([loop.certainty, loop.reasons]).toEqual(['uncertain', ['seen only in a coverage gap (no complete window watched it)']]);
    expect(loop.coverage.lostWindows).toBe(1);
    expect(r.events.find((e) => e.target === '/bin/bash')!.certainty).toBe('certain');
  });

  test('a flood is cut at maxEvents, highest scores kept, the rest counted by kind', () => {
    const flood: ObservedEdge[] = Array.from({ length: 100_000 }, (_, i) => ({ kind: 'connect', target: `203.0.${(i >> 8) & 255}.${i & 255}:${1000 + (i >> 16)}`, targetLabel: 'NetEndpoint', count: 1, firstSeen: t(70), lastSeen: t(70), executables: [] }));
    const cred = later.filter((e) => e.kind === 'open');
    const r = detectDrift(locked(base), [...flood, ...cred], windows, [], { maxEvents: 100 });
    expect(r.events).toHaveLength(100);
    expect(r.events[0]!.target).toBe('/root/.aws/credentials');
    expect(r.suppressed).toEqual({ total: 100_001 - 100, byKind: { connect: 100_001 - 100 } });
  });

  test('property: an edge in the baseline never drifts, and every drift event is outside it', () => {
    const arb = fc.array(fc.record({ kind: fc.constantFrom('exec' as const, 'connect' as const, 'open' as const), target: fc.constantFrom('a', 'b', 'c', 'd', 'e'), first: fc.integer({ min: 0, max: 100 }), len: fc.integer({ min: 0, max: 50 }) }), { maxLength: 12 });
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        const mk = (xs: typeof a) => xs.map((x): ObservedEdge => ({ kind: x.kind, target: x.target, targetLabel: 'X', count: 1, firstSeen: t(x.first), lastSeen: t(x.first + x.len), executables: [] }));
        const bl = locked(learnBaseline('w', mk(a), [], t(0), t(60)));
        const keys = new Set(bl.entries.map((e) => `${e.kind}|${e.target}`));
        const ev = detectDrift(bl, mk(b), [], []).events;
        return ev.every((e) => !keys.has(`${e.kind}|${e.target}`) && e.lastSeen > t(60));
      }),
    );
  });
});

describe('severity and classification', () => {
  test('kinds that score highest', () => {
    const e = (kind: ObservedEdge['kind'], target: string, extra: Partial<ObservedEdge> = {}): ObservedEdge => ({ kind, target, targetLabel: 'X', count: 1, firstSeen: 0, lastSeen: 0, executables: [], ...extra });
    expect(severityOf(e('open', '/home/a/.aws/credentials', { fileClass: 'credential' })).level).toBe('critical');
    expect(severityOf(e('iam', 'secretsmanager:getsecretvalue')).level).toBe('critical');
    expect(severityOf(e('iam', 'sts:assumerole')).level).toBe('critical');
    expect(severityOf(e('iam', 's3:getobject')).level).toBe('medium');
    expect(severityOf(e('exec', '/usr/bin/dash')).level).toBe('high');
    expect(severityOf(e('connect', '52.1.1.1:443')).level).toBe('high');
    expect(severityOf(e('connect', '[2606:4700::1111]:443')).level).toBe('high');
    expect(severityOf(e('connect', '10.0.0.5:5432')).level).toBe('medium');
    expect(severityOf(e('connect', '127.0.0.1:80')).level).toBe('low');
  });
  test('addresses', () => {
    expect(endpointAddress('[fd00::1]:53')).toBe('fd00::1');
    expect(endpointAddress('10.0.0.1:80')).toBe('10.0.0.1');
    expect(addressScope('fd00::1')).toBe('private');
    expect(addressScope('172.32.0.1')).toBe('external');
    expect(addressScope('::ffff:127.0.0.1')).toBe('loopback');
  });
  test('a change after first sight does not explain it', () => {
    expect(classify(t(5), [{ id: 'c', kind: 'image', at: t(6), on: 'p' }], 60 * M)).toEqual({ classification: 'unexplained' });
    expect(classify(t(5), [{ id: 'c', kind: 'image', at: t(5), on: 'p' }], 60 * M)).toMatchObject({ classification: 'explained' });
  });
  test('coverage: contiguous windows have no gap; a hole is a no-window gap', () => {
    expect(summarizeCoverage([win('a', 0, 10), win('b', 10, 20)], t(0), t(20)).gaps).toEqual([]);
    expect(summarizeCoverage([win('a', 0, 10), win('b', 12, 20)], t(0), t(20)).gaps).toEqual([{ from: t(10), to: t(12), reason: 'no-window' }]);
  });
});

describe('TopDrift: the per-run cap over a stream of new edges', () => {
  const kinds = ['exec', 'connect', 'open', 'resolve'] as const;
  const candidate = fc.record({ kind: fc.constantFrom(...kinds), target: fc.string({ maxLength: 3 }), score: fc.integer({ min: 0, max: 100 }), first: fc.integer({ min: 0, max: 50 }) });
  test('keeps exactly what sorting everything and cutting at the cap keeps, and counts every other candidate by kind', () => {
    fc.assert(
      fc.property(fc.uniqueArray(candidate, { selector: (c) => `${c.kind}|${c.target}`, maxLength: 60 }), fc.integer({ min: 1, max: 10 }), (cs, max) => {
        const all = cs.map((c) => ({ e: { kind: c.kind, target: c.target, targetLabel: 'X', count: 1, firstSeen: t(c.first), lastSeen: t(c.first), executables: [] }, sev: { level: 'low' as const, score: c.score, why: '' } }));
        const top = new TopDrift(max);
        all.forEach((c) => top.offer(c));
        const r = top.result();
        const want = [...all].sort(byDriftRank).slice(0, max);
        expect(r.kept.map((c) => `${c.e.kind}|${c.e.target}`)).toEqual(want.map((c) => `${c.e.kind}|${c.e.target}`));
        expect([r.outside, r.suppressed.total]).toEqual([all.length, all.length - want.length]);
        const byKind: Record<string, number> = {};
        for (const c of [...all].sort(byDriftRank).slice(max)) byKind[c.e.kind] = (byKind[c.e.kind] ?? 0) + 1;
        expect(r.suppressed.byKind).toEqual(byKind);
      }),
    );
  });
});
