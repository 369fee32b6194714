/**
 * Bedrock through the real AWS SDK (client-bedrock, client-bedrock-agent). moto 5.2.1 cannot serve
 * Bedrock to the SDK (its timestamps do not deserialize, most calls are missing), so the saved outputs
 * of test/cases/aws/inventory/ are served in Bedrock's own REST-JSON wire format by a loopback HTTP
 * server, one item per page: the SDK, its (de)serializers, the routes and our paging loop are real.
 * The live read must equal the offline read of the same outputs.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { dirApi, sdkApi } from '../../../src/collectors/aws/inventory-api.js';
import { readFamily } from '../../../src/collectors/aws/inventory-read.js';

const DIR = decodeURIComponent(new URL('../../cases/aws/inventory/us-east-1/', import.meta.url).pathname);
const A = '111122223333';
const load = (rel: string): Record<string, unknown> | undefined => {
  const f = path.join(DIR, rel);
  return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as Record<string, unknown>) : undefined;
};
const enc = encodeURIComponent;

/** method, path pattern → the saved output it answers with; `items` marks a list call served page by page. */
type Route = [string, RegExp, (m: string[], body: Record<string, unknown>) => { file: string; items?: string }];
const ROUTES: Route[] = [
  ['GET', /^\/custom-models$/, () => ({ file: 'bedrock/list-custom-models.json', items: 'modelSummaries' })],
  ['GET', /^\/custom-models\/(.+)$/, (m) => ({ file: `bedrock/get-custom-model/${enc(decodeURIComponent(m[1]!).replace(/^.*\//, ''))}.json` })],
  ['GET', /^\/imported-models$/, () => ({ file: 'bedrock/list-imported-models.json', items: 'modelSummaries' })],
  ['GET', /^\/imported-models\/(.+)$/, (m) => ({ file: `bedrock/get-imported-model/${enc(decodeURIComponent(m[1]!).replace(/^.*\//, ''))}.json` })],
  ['GET', /^\/guardrails$/, () => ({ file: 'bedrock/list-guardrails.json', items: 'guardrails' })],
  ['GET', /^\/guardrails\/([^/]+)$/, (m) => ({ file: `bedrock/get-guardrail/${m[1]}.json` })],
  ['POST', /^\/listTagsForResource$/, (_m, b) => ({ file: `bedrock/list-tags-for-resource/${enc(String(b.resourceARN))}.json` })],
  ['POST', /^\/agents\/$/, () => ({ file: 'bedrock-agent/list-agents.json', items: 'agentSummaries' })],
  ['GET', /^\/agents\/([^/]+)\/$/, (m) => ({ file: `bedrock-agent/get-agent/${m[1]}.json` })],
  ['POST', /^\/agents\/([^/]+)\/agentversions\/DRAFT\/actiongroups\/$/, (m) => ({ file: `bedrock-agent/list-agent-action-groups/${m[1]}.json`, items: 'actionGroupSummaries' })],
  ['GET', /^\/agents\/([^/]+)\/agentversions\/DRAFT\/actiongroups\/([^/]+)\/$/, (m) => ({ file: `bedrock-agent/get-agent-action-group/${m[1]}.${m[2]}.json` })],
  ['POST', /^\/agents\/([^/]+)\/agentversions\/DRAFT\/knowledgebases\/$/, (m) => ({ file: `bedrock-agent/list-agent-knowledge-bases/${m[1]}.json`, items: 'agentKnowledgeBaseSummaries' })],
  ['POST', /^\/knowledgebases\/$/, () => ({ file: 'bedrock-agent/list-knowledge-bases.json', items: 'knowledgeBaseSummaries' })],
  ['GET', /^\/knowledgebases\/([^/]+)$/, (m) => ({ file: `bedrock-agent/get-knowledge-base/${m[1]}.json` })],
  ['POST', /^\/knowledgebases\/([^/]+)\/datasources\/$/, (m) => ({ file: `bedrock-agent/list-data-sources/${m[1]}.json`, items: 'dataSourceSummaries' })],
  ['GET', /^\/knowledgebases\/([^/]+)\/datasources\/([^/]+)$/, (m) => ({ file: `bedrock-agent/get-data-source/${m[1]}.${m[2]}.json` })],
  ['GET', /^\/tags\/(.+)$/, (m) => ({ file: `bedrock-agent/list-tags-for-resource/${enc(decodeURIComponent(m[1]!))}.json` })],
];

let server: http.Server;
let url: string;
const seen: string[] = [];
beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID ??= 'testing';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
      const send = (status: number, obj: unknown, type?: string) => {
        res.writeHead(status, { 'content-type': 'application/json', ...(type ? { 'x-amzn-errortype': type } : {}) });
        res.end(JSON.stringify(obj));
      };
      for (const [method, re, to] of ROUTES) {
        const m = re.exec(u.pathname);
        if (req.method !== method || !m) continue;
        const { file, items } = to([...m], body);
        const out = load(file);
        if (!out) return send(404, { message: `no saved ${file}` }, 'ResourceNotFoundException');
        if (!items) return send(200, out);
        // One item per page; the token is the next index, in the query (GET lists) or the body (POST lists).
        const token = u.searchParams.get('nextToken') ?? (body.nextToken as string | undefined);
        seen.push(`${u.pathname}#${token ?? ''}`);
        const all = (out[items] as unknown[]) ?? [];
        const i = token ? Number(token) : 0;
        return send(200, { [items]: all.slice(i, i + 1), ...(i + 1 < all.length ? { nextToken: String(i + 1) } : {}) });
      }
      send(400, { message: `unexpected ${req.method} ${u.pathname}` }, 'ValidationException');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe('Bedrock inventory through the real SDK', () => {
  test.each(['bedrock', 'bedrock-agent'] as const)('given %s served one item per page, when read live, then every page is read and the inventory equals the offline read', async (family) => {
    // Given the live API pointed at the loopback server
    const api = sdkApi({ endpoint: url });
    try {
      // When the family is read through the SDK
      const live = await readFamily(api, family, A, 'us-east-1');
      // Then it equals what the saved CLI outputs give
      const offline = await readFamily(dirApi(path.dirname(DIR)), family, A, 'us-east-1');
      expect(live).toEqual(offline);
    } finally {
      api.close();
    }
  });

  test('given two agents on two pages, then the second page was asked for with the first page’s token', () => {
    // The agent listing has two items: the second was fetched with token "1"
    expect(seen).toEqual(expect.arrayContaining(['/agents/#', '/agents/#1']));
  });
});
