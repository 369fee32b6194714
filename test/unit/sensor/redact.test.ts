import fc from 'fast-check';
import { REDACTED, redactArgv } from '../../../src/sensor/redact.js';

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
});
