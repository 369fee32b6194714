/** MCP tool gaps (pure): declared tools against `mcp proxy` calls and sessions, with --since. */
import { computeGaps, type GapsInput, type ToolsRow } from '../../../src/risk/gaps.js';

const S = 'mcp/ag/files';
const row = (over: Partial<ToolsRow> = {}): ToolsRow => ({
  agent: 'ag',
  declared: [
    { tool: `${S}/read`, server: S },
    { tool: `${S}/write`, server: S },
  ],
  calls: [{ tool: `${S}/read`, server: S, count: 3, errors: 0, firstSeen: '2026-11-20T09:10:00Z', lastSeen: '2026-11-20T09:20:00Z' }],
  windows: [{ coverage: 'c1', server: S, from: '2026-11-20T09:00:00Z', to: '2026-11-20T10:00:00Z', lost: false, unparsed: 0 }],
  ...over,
});
const input = (tools: ToolsRow[], since?: string): GapsInput => ({ coverage: [], observedNet: [], declaredNet: [], iam: [], runtime: undefined, hasAibom: true, hasPods: false, tools, since, until: since ? '2026-11-21T00:00:00Z' : undefined });
const verdicts = (g: ReturnType<typeof computeGaps>) => g.grantedUnused.filter((x) => x.domain === 'tools').map((x) => [x.grant, x.status]);

describe('tool gaps', () => {
  test('a complete session: the tool not called is unused, and the domain is complete', () => {
    const g = computeGaps(input([row()]));
    expect(verdicts(g)).toEqual([[`${S}/write`, 'unused']]);
    expect(g.completeness.tools).toEqual({ complete: true });
  });
  test('a session with an unparsed line: unknown, with the count in the reason', () => {
    const g = computeGaps(input([row({ windows: [{ coverage: 'c1', server: S, from: '2026-11-20T09:00:00Z', to: '2026-11-20T10:00:00Z', lost: true, unparsed: 2 }] })]));
    expect(g.grantedUnused.filter((x) => x.domain === 'tools').map((x) => [x.grant, x.status, x.reason])).toEqual([[`${S}/write`, 'unknown', '2 line(s) not understood in proxied session c1']]);
    expect(g.completeness.tools.complete).toBe(false);
  });
  test('--since after every session and call: nothing observed in the window, so both tools are unknown', () => {
    expect(verdicts(computeGaps(input([row()], '2026-11-20T11:00:00Z')))).toEqual([
      [`${S}/read`, 'unknown'],
      [`${S}/write`, 'unknown'],
    ]);
  });
  test('a call to a tool no declared server offers is undeclared; an agent without tools rows is incomplete', () => {
    const g = computeGaps(input([row({ calls: [{ tool: 'mcp/ag/x/run', server: 'mcp/ag/x', count: 1, errors: 1, firstSeen: null, lastSeen: null }] })]));
    expect(g.doneUndeclared.map((x) => [x.domain, x.observed, x.count])).toEqual([['tools', 'mcp/ag/x/run', 1]]);
    expect(verdicts(g)).toEqual([
      [`${S}/read`, 'unused'],
      [`${S}/write`, 'unused'],
    ]);
    expect(computeGaps(input([])).completeness.tools.complete).toBe(false);
  });
});
