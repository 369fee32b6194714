import { InputError } from '../../../src/errors.js';
import { DEFAULT_FILE_RULES, MAX_FILE_RULES, matchRule, parseFileRules, toNativeRules } from '../../../src/sensor/rules.js';

const cls = (p: string) => DEFAULT_FILE_RULES[matchRule(DEFAULT_FILE_RULES, p)]?.class;

describe('watched-file rules', () => {
  test('the default catalogue is valid and fits the kernel table', () => {
    expect(parseFileRules([...DEFAULT_FILE_RULES])).toHaveLength(DEFAULT_FILE_RULES.length);
    expect(DEFAULT_FILE_RULES.length).toBeLessThanOrEqual(MAX_FILE_RULES);
    expect(toNativeRules(DEFAULT_FILE_RULES).every((r) => r.klass! >= 1 && r.klass! <= 4)).toBe(true);
  });

  test.each([
    ['/var/run/secrets/kubernetes.io/serviceaccount/token', 'credential'],
    ['/var/run/secrets/eks.amazonaws.com/serviceaccount/token', 'credential'],
    ['/home/ada/.aws/credentials', 'credential'],
    ['.aws/credentials', 'credential'], // relative, from a home directory
    ['/root/.config/gcloud/application_default_credentials.json', 'credential'],
    ['/root/.kube/config', 'credential'],
    ['/srv/weights/llama.gguf', 'model'],
    ['model.safetensors', 'model'],
    ['/opt/models/resnet/pytorch_model.bin', 'model'],
    ['/root/.cache/huggingface/hub/models--org--m/snapshots/1/pytorch_model.bin', 'model'],
    ['/usr/lib/python3/site-packages/langchain_core/__init__.py', 'agent-package'],
    ['/usr/lib/firmware/radeon.bin', undefined],
    ['/etc/passwd', undefined],
    ['/tmp/secrets/token', undefined],
  ])('given %s, then class %s', (p, want) => {
    expect(cls(p)).toBe(want);
  });

  test('a bad rule is refused with its index and field', () => {
    expect(() => parseFileRules([{ class: 'model', suffix: '.gguf' }, { class: 'credential', prefix: 'relative/' }], 'rules.json')).toThrow(InputError);
    expect(() => parseFileRules([{ class: 'model', suffix: '.gguf' }, { class: 'credential', prefix: 'relative/' }], 'rules.json')).toThrow(/rules\.json\[1\]\.prefix/);
    expect(() => parseFileRules([{ class: 'model' }])).toThrow(/needs a prefix, suffix or contains/);
    expect(() => parseFileRules(new Array(MAX_FILE_RULES + 1).fill({ class: 'model', suffix: '.x' }))).toThrow(/at most 24/);
  });
});
