import fs from 'node:fs';
import fc from 'fast-check';
import { REDACTED, redactArgv } from '../../../src/sensor/redact.js';
import { REDACTION_PATTERNS, SECRET_HEADERS } from '../../../src/sensor/redact-patterns.js';

type Examples = { redact: [string[], string[]][]; keep: string[][] };
const CASES = JSON.parse(fs.readFileSync(new URL('../../cases/redact/patterns.json', import.meta.url), 'utf8')) as Record<string, Examples>;
const ids = REDACTION_PATTERNS.map((p) => p.id);

describe('argv redaction catalogue (test/cases/redact/patterns.json)', () => {
  test('given the catalogue, then every pattern has examples to redact and to keep, and no examples name an unknown pattern', () => {
    for (const id of ids) {
      expect(CASES[id]?.redact.length ?? 0).toBeGreaterThan(0);
      expect(CASES[id]?.keep.length ?? 0).toBeGreaterThan(0);
    }
    expect(Object.keys(CASES).filter((k) => !k.startsWith('$')).sort()).toEqual([...ids].sort());
  });

  const rows = ids.flatMap((id) => [
    ...(CASES[id]?.redact ?? []).map(([argv, want]) => [id, 'redacts', argv, want] as const),
    ...(CASES[id]?.keep ?? []).map((argv) => [id, 'keeps', argv, argv] as const),
  ]);
  test.each(rows)('pattern %s %s %j', (_id, _verb, argv, want) => {
    const out = redactArgv(argv);
    expect(out).toEqual(want);
    expect(out).toHaveLength(argv.length);
  });
});

describe('argv redaction', () => {
  test.each([
    [['mysql', '--password', 'hunter2', '-h', 'db'], ['mysql', '--password', REDACTED, '-h', 'db']],
    [['app', '--api-key=abc123'], ['app', `--api-key=${REDACTED}`]],
    [['env', 'AWS_SECRET_ACCESS_KEY=wJalrXUt'], ['env', `AWS_SECRET_ACCESS_KEY=${REDACTED}`]],
    [['curl', '-H', 'x', 'https://bob:pw@example.com/'], ['curl', '-H', 'x', `https://bob:${REDACTED}@example.com/`]],
    [['aws', 'AKIAIOSFODNN7EXAMPLE'], ['aws', REDACTED]],
    [['git', 'push', 'origin', 'main'], ['git', 'push', 'origin', 'main']],
    [['python', 'agent.py', '--model', 'gpt'], ['python', 'agent.py', '--model', 'gpt']],
  ])('given %j, then %j', (argv, want) => {
    expect(redactArgv(argv)).toEqual(want);
  });

  test('property: length is kept and a value after a secret-named flag never survives', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.constantFrom('--password', '--token', '--secret', '-api-key', '--client-secret'), fc.string({ minLength: 1 }), (pre, flag, value) => {
        const argv = [...pre.filter((a) => !a.startsWith('-')), flag, value];
        const out = redactArgv(argv);
        expect(out).toHaveLength(argv.length);
        expect(out[out.length - 1]).toBe(REDACTED);
      }),
    );
  });

  test('property: a credential header value never survives, whatever the case of its name and the form of -H', () => {
    const nameCase = fc.tuple(fc.constantFrom(...SECRET_HEADERS), fc.boolean()).map(([n, up]) => (up ? n.toUpperCase() : n));
    const value = fc.string({ minLength: 1 }).filter((v) => /^\S/.test(v));
    fc.assert(
      fc.property(nameCase, value, fc.constantFrom('sep', 'attached', 'long'), (name, v, form) => {
        const argv = form === 'sep' ? ['curl', '-H', `${name}: ${v}`] : form === 'attached' ? ['curl', `-H${name}: ${v}`] : ['curl', `--header=${name}: ${v}`];
        const out = redactArgv(argv);
        expect(out).toHaveLength(argv.length);
        expect(out[out.length - 1]!.endsWith(`: ${REDACTED}`)).toBe(true);
      }),
    );
  });
});
