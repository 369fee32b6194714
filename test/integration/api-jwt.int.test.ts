// Bearer JWTs (issue 14): a real local HTTP server serves a JWKS made with jose; the real API server
// verifies tokens signed with its key, maps the role claim to roles, and refuses everything else.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import WebSocket from 'ws';
import { CLOCK_TOLERANCE_S, JwtVerifier, roleClaimValues } from '../../src/api/jwt.js';
import { startApi, type RunningServer } from '../../src/api/server.js';
import { CLOSE_CREDENTIAL_REVOKED } from '../../src/api/subscriptions.js';
import { loadConfig } from '../../src/config.js';
import type { Graph } from '../../src/graph/driver.js';
import { codeOf, gql } from '../helpers/api-client.js';
import { testGraph } from '../helpers/graph.js';

const ISSUER = 'https://idp.test.example/';
const AUDIENCE = 'reachgraph-api';
let graph: Graph;
let api: RunningServer;
let jwksServer: http.Server;
let jwksHits = 0;
let signing: { privateKey: CryptoKey; kid: string };
let stranger: CryptoKey;

beforeAll(async () => {
  graph = await testGraph();
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const ec = await generateKeyPair('ES256', { extractable: true });
  stranger = (await generateKeyPair('RS256')).privateKey;
  signing = { privateKey: rsa.privateKey, kid: 'rsa-1' };
  const keys: JWK[] = [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  ecKey = ec.privateKey;
  jwksServer = http.createServer((req, res) => {
    jwksHits++;
    if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
  const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  api = await startApi(
    graph,
    loadConfig({ ...process.env, REACHGRAPH_API_PORT: '0', REACHGRAPH_API_TOKEN: 'test-token-jwt-0123456789', REACHGRAPH_API_JWKS_URL: jwksUrl, REACHGRAPH_API_JWT_ISSUER: ISSUER, REACHGRAPH_API_JWT_AUDIENCE: AUDIENCE, REACHGRAPH_API_JWT_ROLE_CLAIM: 'https://reachgraph.test/roles' }),
  );
});
let ecKey: CryptoKey;
afterAll(async () => {
  await api.stop();
  await graph.close();
  await new Promise((r) => jwksServer.close(r));
});

const now = () => Math.floor(Date.now() / 1000);

async function token(claims: Record<string, unknown>, opts: { key?: CryptoKey; alg?: string; kid?: string; iss?: string; aud?: string; exp?: number | null; nbf?: number } = {}): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: opts.kid ?? signing.kid }).setIssuer(opts.iss ?? ISSUER).setAudience(opts.aud ?? AUDIENCE).setSubject('alice').setIssuedAt();
  if (opts.exp !== null) jwt.setExpirationTime(opts.exp ?? now() + 300);
  if (opts.nbf !== undefined) jwt.setNotBefore(opts.nbf);
  return jwt.sign(opts.key ?? signing.privateKey);
}

const ROLES = 'https://reachgraph.test/roles';
const estate = (credential: string) => gql(api.url, '{ estate { label } }', { credential });

describe('JWTs verified against the JWKS', () => {
  test('given a valid RS256 token with the viewer role, then reads answer', async () => {
    const r = await estate(await token({ [ROLES]: ['viewer'] }));
    expect(r.body.errors).toBeUndefined();
    expect(jwksHits).toBeGreaterThan(0);
  });

  test('given an ES256 token from the same key set, then it is accepted too', async () => {
    const r = await estate(await token({ [ROLES]: 'admin' }, { key: ecKey, alg: 'ES256', kid: 'ec-1' }));
    expect(r.body.errors).toBeUndefined();
  });

  test('given an ingest role, then reads are forbidden; given only unknown roles or no role claim, then everything is forbidden', async () => {
    for (const claims of [{ [ROLES]: ['ingest'] }, { [ROLES]: ['superuser', 'root'] }, {}]) expect(codeOf(await estate(await token(claims)))).toBe('FORBIDDEN');
  });

  test('given a token that is expired, not yet valid, without exp, for another audience or issuer, or signed by an unknown key, then it is unauthenticated', async () => {
    const bad = [
      await token({ [ROLES]: ['admin'] }, { exp: now() - 120 }),
      await token({ [ROLES]: ['admin'] }, { nbf: now() + 120 }),
      await token({ [ROLES]: ['admin'] }, { exp: null }),
      await token({ [ROLES]: ['admin'] }, { aud: 'another-app' }),
      await token({ [ROLES]: ['admin'] }, { iss: 'https://evil.example/' }),
      await token({ [ROLES]: ['admin'] }, { key: stranger }),
    ];
    for (const t of bad) expect(codeOf(await estate(t))).toBe('UNAUTHENTICATED');
  });

  test('given a symmetric (HS256) token or alg "none", then it is unauthenticated', async () => {
    const hs = await new SignJWT({ [ROLES]: ['admin'] }).setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime(now() + 300).sign(new TextEncoder().encode('a shared secret that is long enough!!'));
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none' })}.${b64({ [ROLES]: ['admin'], iss: ISSUER, aud: AUDIENCE, exp: now() + 300 })}.`;
    for (const t of [hs, none, `${none}x`]) expect(codeOf(await estate(t))).toBe('UNAUTHENTICATED');
  });

  test('given a tampered payload, then the signature check refuses it', async () => {
    const t = await token({ [ROLES]: ['viewer'] });
    const [h, , s] = t.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ [ROLES]: ['admin'], iss: ISSUER, aud: AUDIENCE, sub: 'alice', exp: now() + 300 })).toString('base64url')}.${s}`;
    expect(codeOf(await estate(forged))).toBe('UNAUTHENTICATED');
  });
});

describe('a subscription connection authenticated with a JWT', () => {
  test('given a viewer token that expires while the WebSocket is open, then the server closes it with 4401 CREDENTIAL_REVOKED', async () => {
    // Valid for a few more seconds once the verifier's clock skew allowance is counted.
    const jwt = await token({ [ROLES]: ['viewer'] }, { exp: now() - CLOCK_TOLERANCE_S + 4 });
    const ws = new WebSocket(api.url.replace(/^http/, 'ws') + 'graphql', 'graphql-transport-ws');
    const events: string[] = [];
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${jwt}` } })));
    ws.on('message', (m) => events.push((JSON.parse(m.toString()) as { type: string }).type));
    const { code, reason } = await closed;
    expect(events).toEqual(['connection_ack']);
    expect(code).toBe(CLOSE_CREDENTIAL_REVOKED);
    expect(reason).toMatch(/^CREDENTIAL_REVOKED: /);
  });
});

describe('an unreachable JWKS', () => {
  test('given a JWKS URL where nothing listens, then a well-signed token is not verified (no access), and nothing throws', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const v = new JwtVerifier({ jwksUrl: `http://127.0.0.1:${port}/jwks.json`, issuer: ISSUER, audience: AUDIENCE, roleClaim: ROLES });
    expect(await v.verify(await token({ [ROLES]: ['admin'] }))).toBeUndefined();
  });
});

describe('role claim lookup', () => {
  test('given an exact claim name, a dotted path, a space-separated string or an array, then the role names are read', () => {
    expect(roleClaimValues({ 'https://x/roles': ['admin'] }, 'https://x/roles')).toEqual(['admin']);
    expect(roleClaimValues({ realm_access: { roles: ['viewer', 'other'] } }, 'realm_access.roles')).toEqual(['viewer', 'other']);
    expect(roleClaimValues({ role: 'viewer analyst' }, 'role')).toEqual(['viewer', 'analyst']);
    expect(roleClaimValues({ role: 42 }, 'role')).toEqual([]);
  });
});

describe('JWT configuration', () => {
  test('given a JWKS URL without issuer or audience, or over plain http off loopback, then the error names the variable', () => {
    expect(() => loadConfig({ REACHGRAPH_API_JWKS_URL: 'https://idp.example/jwks', REACHGRAPH_API_JWT_AUDIENCE: 'a' })).toThrow(/REACHGRAPH_API_JWT_ISSUER: required/);
    expect(() => loadConfig({ REACHGRAPH_API_JWKS_URL: 'https://idp.example/jwks', REACHGRAPH_API_JWT_ISSUER: 'i' })).toThrow(/REACHGRAPH_API_JWT_AUDIENCE: required/);
    expect(() => loadConfig({ REACHGRAPH_API_JWKS_URL: 'http://idp.example/jwks', REACHGRAPH_API_JWT_ISSUER: 'i', REACHGRAPH_API_JWT_AUDIENCE: 'a' })).toThrow(/REACHGRAPH_API_JWKS_URL: must be https/);
    expect(() => loadConfig({ REACHGRAPH_API_JWKS_URL: 'ftp://idp.example/jwks', REACHGRAPH_API_JWT_ISSUER: 'i', REACHGRAPH_API_JWT_AUDIENCE: 'a' })).toThrow(/REACHGRAPH_API_JWKS_URL/);
  });
});
