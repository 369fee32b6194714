import { InputError } from '../../../src/errors.js';
import { loadCatalog } from '../../../src/risk/findings.js';
import { checkAcceptance, decodeFrameworks, encodeFrameworks, findingId, frameworkKeys, frameworkRefs, riskScore, statusAt } from '../../../src/risk/finding-state.js';

const NOW = new Date('2026-11-29T12:00:00.000Z');

describe('stored findings, pure parts', () => {
  test('given the same rule, subject and target, then the id is the same; any part changed, then it differs', () => {
    const s = { label: 'AIAgent', id: 'support-agent' };
    const id = findingId('RG-002', s, 'arn:aws:secretsmanager:eu-west-1:1:secret:x');
    expect(id).toMatch(/^RG-002-[0-9a-f]{20}$/);
    expect(findingId('RG-002', { ...s }, 'arn:aws:secretsmanager:eu-west-1:1:secret:x')).toBe(id);
    expect(new Set([id, findingId('RG-001', s, 'arn:aws:secretsmanager:eu-west-1:1:secret:x'), findingId('RG-002', { label: 'K8sPod', id: 'support-agent' }, 'arn:aws:secretsmanager:eu-west-1:1:secret:x'), findingId('RG-002', s, 'arn:aws:secretsmanager:eu-west-1:1:secret:y')]).size).toBe(4);
    // The separator keeps "a"+"bc" and "ab"+"c" apart.
    expect(findingId('RG-002', { label: 'AIAgent', id: 'a' }, 'bc')).not.toBe(findingId('RG-002', { label: 'AIAgent', id: 'ab' }, 'c'));
  });

  test('given the catalog, then every mapping becomes a reference that survives storage, and filter keys include short OWASP ids', () => {
    const rule = loadCatalog().find((r) => r.id === 'RG-004')!;
    const refs = frameworkRefs(rule);
    expect(refs).toContainEqual({ framework: 'owasp-llm', id: 'LLM01:2025', name: 'Prompt Injection' });
    expect(refs).toContainEqual({ framework: 'owasp-agentic', id: 'ASI01', name: 'Agent Goal Hijack' });
    expect(refs).toContainEqual({ framework: 'hipaa', id: '164.308(a)(1)(ii)(A)', name: null });
    expect(refs.length).toBe(rule.owaspLlm.length + rule.owaspAgentic.length + rule.soc2.length + rule.pciDss.length + rule.hipaa.length);
    expect(decodeFrameworks(encodeFrameworks(refs))).toEqual(refs);
    expect(frameworkKeys(refs)).toEqual(expect.arrayContaining(['owasp-llm', 'llm01', 'llm01:2025', 'asi01', 'soc2', 'cc6.8', 'pci-dss', 'hipaa']));
  });

  test('given priorities, then the risk score is 100 × (1 − Π(1 − p/100)): 0 without findings, the top priority as a floor, never above 100', () => {
    expect(riskScore([])).toBe(0);
    expect(riskScore([60])).toBe(60);
    expect(riskScore([50, 50])).toBe(75);
    expect(riskScore([100, 10])).toBe(100);
    expect(riskScore([30, 30, 30])).toBe(65.7);
    const many = riskScore(Array.from({ length: 20 }, () => 15));
    expect(riskScore([100])).toBeGreaterThan(riskScore([75, 30, 30]));
    expect(many).toBeLessThanOrEqual(100);
  });

  test('given an acceptance, then status is accepted until the expiry and open after; resolved stays resolved', () => {
    expect(statusAt({ status: 'open', acceptedUntil: '2026-12-01T00:00:00.000Z' }, NOW.toISOString())).toBe('accepted');
    expect(statusAt({ status: 'accepted', acceptedUntil: '2026-11-01T00:00:00.000Z' }, NOW.toISOString())).toBe('open');
    expect(statusAt({ status: 'resolved', acceptedUntil: '2026-12-01T00:00:00.000Z' }, NOW.toISOString())).toBe('resolved');
    expect(statusAt({ status: 'open' }, NOW.toISOString())).toBe('open');
  });

  test('given acceptance input, then it is normalized or refused with the argument named', () => {
    const ok = { findingId: 'RG-001-0123456789abcdef0123', reason: ' because ', expires: '2027-01-15', by: 'alice' };
    expect(checkAcceptance(ok, NOW)).toEqual({ findingId: ok.findingId, reason: 'because', expires: '2027-01-15T23:59:59.999Z', by: 'alice' });
    expect(checkAcceptance({ ...ok, expires: new Date('2027-06-01T00:00:00Z') }, NOW).expires).toBe('2027-06-01T00:00:00.000Z');
    const refused: [Partial<typeof ok> & { expires?: string | Date }, RegExp][] = [
      [{ expires: '2026-11-29T11:59:59Z' }, /^--expires: .*not in the future/],
      [{ expires: '2027-12-31' }, /^--expires: .*more than a year ahead/],
      [{ expires: 'tomorrow' }, /^--expires: "tomorrow" is not an ISO-8601/],
      [{ expires: '2027-02-30T00:00:00Z' }, /^--expires: /],
      [{ reason: '  ' }, /^--reason: must say why/],
      [{ reason: 'x'.repeat(2001) }, /^--reason: at most 2000/],
      [{ findingId: 'RG-1' }, /^ID: "RG-1" is not a finding id/],
    ];
    const names = { findingId: 'ID', reason: '--reason', expires: '--expires' } as const;
    for (const [change, message] of refused) {
      let err: unknown;
      try {
        checkAcceptance({ ...ok, ...change }, NOW, (n) => names[n]);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(message);
    }
  });
});
