// `sensor run --api`: the key never comes from argv, and bad targets are refused before the sensor starts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../../src/errors.js';
import { register } from '../../../src/cli/verbs/sensor.js';
import { runVerb } from '../../helpers/run-verb.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-remote-cli-'));
const keyFile = path.join(dir, 'key');
const emptyFile = path.join(dir, 'empty');
fs.writeFileSync(keyFile, 'rgk_0123456789abcdef_' + 'a'.repeat(43) + '\n', { mode: 0o600 });
fs.writeFileSync(emptyFile, '\n', { mode: 0o600 });
const saved = process.env.REACHGRAPH_API_KEY;
beforeEach(() => delete process.env.REACHGRAPH_API_KEY);
afterAll(() => {
  if (saved !== undefined) process.env.REACHGRAPH_API_KEY = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('sensor run --api inputs', () => {
  test.each([
    ['no key anywhere', ['--api', 'http://127.0.0.1:4000/'], /--api: needs an API key: --api-key-file FILE or REACHGRAPH_API_KEY/],
    ['a missing key file', ['--api', 'http://127.0.0.1:4000/', '--api-key-file', path.join(dir, 'nope')], /--api-key-file .*nope: no such file/],
    ['an empty key file', ['--api', 'http://127.0.0.1:4000/', '--api-key-file', emptyFile], /the file is empty/],
    ['a non-HTTP URL', ['--api', 'ftp://127.0.0.1/', '--api-key-file', keyFile], /--api: an http:\/\/ or https:\/\/ URL/],
    ['credentials in the URL', ['--api', 'https://u:p@example/', '--api-key-file', keyFile], /--api: put no credentials in the URL/],
    ['a tiny spool bound', ['--api', 'http://127.0.0.1:4000/', '--api-key-file', keyFile, '--spool-max-bytes', '10'], /--spool-max-bytes: a whole number of at least 65536/],
    ['--lineage-retention with --api', ['--api', 'http://127.0.0.1:4000/', '--api-key-file', keyFile, '--lineage-retention', '1h'], /--lineage-retention: with --api the API prunes/],
    ['--spool-dir without --api', ['--spool-dir', dir], /--api-key-file and --spool-dir go with --api URL/],
  ])('given %s, then an input error names the flag', async (_what, args, message) => {
    const run = runVerb(register, ['sensor', 'run', ...args]);
    await expect(run).rejects.toThrow(InputError);
    await expect(runVerb(register, ['sensor', 'run', ...args])).rejects.toThrow(message);
  });

  test('given the key in REACHGRAPH_API_KEY and a bad URL, then the URL is what is refused (the key was found)', async () => {
    process.env.REACHGRAPH_API_KEY = 'rgk_0123456789abcdef_' + 'b'.repeat(43);
    await expect(runVerb(register, ['sensor', 'run', '--api', 'not a url'])).rejects.toThrow(/--api: not a URL/);
  });
});
