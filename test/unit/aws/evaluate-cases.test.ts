// Table tests: AWS's documented evaluation examples (test/cases/aws/evaluate.json). Each case may
// name the AWS documentation page that decides it (`doc`); it is part of the test name.
import { readFileSync } from 'node:fs';
import { context, evaluate, parsePolicy, type EvaluationInput, type NamedPolicy } from '../../../src/identity/aws/index.js';

interface Case {
  name: string;
  doc?: string;
  unreadableBoundary?: string;
  caller: string;
  identity: Record<string, unknown>;
  boundary?: unknown;
  trust?: unknown;
  resourcePolicy?: unknown;
  resourceAccount?: string;
  scps?: unknown[][];
  context?: Record<string, string>;
  absent?: string[];
  action: string;
  resource: string;
  expect: { decision: string; conditional: boolean; statements: string[]; reason?: string; warning?: string };
}

const cases = (JSON.parse(readFileSync(new URL('../../cases/aws/evaluate.json', import.meta.url), 'utf8')) as { cases: Case[] }).cases;

describe('IAM request evaluation (AWS documented examples)', () => {
  test.each(cases.map((c) => [c.doc ? `${c.name} (${c.doc})` : c.name, c] as const))('%s', (_name, c) => {
    // Given the case's policies
    const named = (name: string, doc: unknown): NamedPolicy => ({ name, doc: parsePolicy(doc) });
    const input: EvaluationInput = {
      caller: { kind: c.caller.includes(':role/') ? 'role' : 'user', id: c.caller },
      action: c.action,
      resource: c.resource,
      identityPolicies: Object.entries(c.identity).map(([n, d]) => named(n, d)),
    };
    if (c.boundary) input.boundary = named('boundary', c.boundary);
    if (c.unreadableBoundary) input.unreadableBoundary = c.unreadableBoundary;
    if (c.resourcePolicy) input.resourcePolicy = named('resource', c.resourcePolicy);
    if (c.trust) {
      input.resourcePolicy = named('trust', c.trust);
      input.resourcePolicyRequired = true;
    }
    if (c.resourceAccount) input.resourceAccount = c.resourceAccount;
    if (c.scps) input.scps = c.scps.map((level, i) => level.map((d, j) => named(`scp${i}.${j}`, d)));
    if (c.context) {
      const absent = new Set(c.absent ?? []);
      input.context = context(c.context, c.absent ? (k) => absent.has(k) : undefined);
    }
    // When evaluated
    const d = evaluate(input);
    // Then decision, conditional flag and deciding statements match the documented outcome
    const { reason, warning, ...outcome } = c.expect;
    expect({ decision: d.decision, conditional: d.conditional, statements: d.statements.map((s) => `${s.policy}#${s.index}`).sort() }).toEqual({ ...outcome, statements: [...outcome.statements].sort() });
    // And a documented rule that decided says so; a warning names what could not be read
    if (reason !== undefined) expect(d.reason).toContain(reason);
    else expect(d.reason).toBeUndefined();
    if (warning !== undefined) expect(d.warnings?.join('\n')).toContain(warning);
    else expect(d.warnings).toBeUndefined();
  });
});
