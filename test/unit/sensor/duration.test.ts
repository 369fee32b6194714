import { InputError } from '../../../src/errors.js';
import { parseDuration } from '../../../src/cli/verbs/sensor.js';
import { validateProbes } from '../../../src/sensor/run.js';

describe('sensor CLI inputs', () => {
  test.each([['500ms', 500], ['30s', 30_000], ['5m', 300_000], ['1h', 3_600_000], ['2', 2000], ['1.5s', 1500]])('%s is %d ms', (v, ms) => {
    expect(parseDuration(v)).toBe(ms);
  });
  test.each([['soon'], ['-1s'], ['0s'], ['5d']])('%s is refused naming the flag', (v) => {
    expect(() => parseDuration(v)).toThrow(InputError);
    expect(() => parseDuration(v)).toThrow(/--for/);
  });
  test('probes are validated', () => {
    expect(validateProbes(['net', 'exec', 'net'])).toEqual(['net', 'exec']);
    expect(() => validateProbes(['exec', 'kprobe'])).toThrow(/unknown probe "kprobe"/);
  });
});
