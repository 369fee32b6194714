// Installed Python distributions in an unpacked image filesystem or a virtualenv: `*.dist-info/METADATA`,
// `*.egg-info/PKG-INFO` and `.egg-info` files give exact Name/Version; only their metadata is read.
import { parseInstalledMetadata } from '../../../src/collectors/aibom/manifests.js';
import { scanAibom } from '../../../src/collectors/aibom/scan.js';

const IMAGE = new URL('../../cases/aibom/image-fs', import.meta.url).pathname;
const SP = 'usr/local/lib/python3.12/site-packages';

describe('installed distributions', () => {
  test('the image filesystem: exactly the AI distributions installed, exact and pinned; an installed version wins over a requirement range', async () => {
    // Given an unpacked image with a system site-packages and an app with a virtualenv; When it is scanned
    const s = await scanAibom(IMAGE, { agent: 'image' });
    // Then every AI distribution is a pinned component of its agent (requests is not AI), from its metadata file
    expect(s.components.map((c) => [c.agent, c.name, c.version, c.pinned, c.kind, c.file])).toEqual([
      ['app', 'anthropic', '0.39.0', true, 'llm-sdk', 'app/.venv/lib/python3.11/site-packages/anthropic-0.39.0.dist-info/METADATA'],
      ['app', 'langchain', '0.3.7', true, 'framework', 'app/requirements.txt'],
      ['image', 'crewai', '0.86.0', true, 'framework', `${SP}/crewai-0.86.0-py3.12.egg-info`],
      ['image', 'langchain-core', '0.3.21', true, 'framework', `${SP}/langchain_core-0.3.21.dist-info/METADATA`],
      ['image', 'openai', '1.55.0', true, 'llm-sdk', `${SP}/openai-1.55.0.dist-info/METADATA`],
      ['image', 'vllm', '0.6.3', true, 'inference', `${SP}/vllm-0.6.3.egg-info/PKG-INFO`],
    ]);
    expect(s.agents.map((a) => [a.id, a.languages])).toEqual([
      ['app', ['python']],
      ['image', ['python']],
    ]);
    // Code under site-packages is not walked: its files are neither models nor manifests.
    expect(s.models).toEqual([]);
    // Broken metadata: one error per distribution, and the result says partial.
    expect(s.errors).toEqual([
      { file: `${SP}/bad-2.0.dist-info/METADATA`, message: 'field `Version`: missing from the metadata header' },
      { file: `${SP}/broken_pkg-1.0.dist-info/METADATA`, message: 'no METADATA in the installed distribution' },
    ]);
    expect(s.partial).toBe(true);
  });

  test('the header ends at the first blank line; CRLF files read alike; a bad Name is named', () => {
    expect(parseInstalledMetadata('Name: a\nVersion: 1\n\nVersion: 2\n')).toEqual({ ecosystem: 'pypi', name: 'a', version: '1', pinned: true, fromLock: true });
    expect(parseInstalledMetadata('Name: b\r\nVersion: 2.0\r\n')).toMatchObject({ name: 'b', version: '2.0' });
    expect(() => parseInstalledMetadata('Version: 1\n')).toThrow('field `Name`: missing from the metadata header');
    expect(() => parseInstalledMetadata('Name: no spaces allowed\nVersion: 1\n')).toThrow('field `Name`: not a distribution name: "no spaces allowed"');
  });
});
