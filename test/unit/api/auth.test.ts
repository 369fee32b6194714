// Pure parts of API auth and metrics (issue 14): role grants, key parsing, the authenticator's
// order, bounded metric labels, the auth-related configuration.
import { GRANTABLE_ROLES, authChecker, createAuthenticator, grantedRoles, type CredentialVerifier } from '../../../src/api/auth.js';
import type { AuthCheckerFn } from 'type-graphql';
import type { ApiContext, Principal } from '../../../src/api/context.js';
import { parseApiKey } from '../../../src/api/keys.js';
import { BoundedLabels, operationLabel } from '../../../src/api/metrics.js';
import { loadConfig } from '../../../src/config.js';

describe('roles', () => {
  test('given each grantable role, then it confers the chain below it, ingest alone, unknown names nothing', () => {
    expect(GRANTABLE_ROLES).toEqual(['viewer', 'analyst', 'admin', 'ingest']);
    expect(grantedRoles('viewer')).toEqual(['viewer']);
    expect(grantedRoles('analyst')).toEqual(['viewer', 'analyst']);
    expect(grantedRoles('admin')).toEqual(['viewer', 'analyst', 'admin']);
    expect(grantedRoles('ingest')).toEqual(['ingest']);
    for (const r of ['root', 'Admin', '', null, 7]) expect(grantedRoles(r)).toEqual([]);
  });

  test('given no principal, a weak one or a strong one, then the checker throws UNAUTHENTICATED, throws FORBIDDEN, or allows', () => {
    const check = (principal: Principal | undefined, roles: string[]) => (authChecker as AuthCheckerFn<ApiContext>)({ context: { principal } as ApiContext, args: {}, info: {} as never, root: {} }, roles);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { extensions?: { code?: string } }).extensions?.code;
      }
      return 'allowed';
    };
    expect(code(() => check(undefined, ['viewer']))).toBe('UNAUTHENTICATED');
    expect(code(() => check({ name: 'k', roles: ['ingest'] }, ['viewer']))).toBe('FORBIDDEN');
    expect(code(() => check({ name: 'k', roles: ['viewer'] }, ['admin']))).toBe('FORBIDDEN');
    expect(code(() => check({ name: 'k', roles: grantedRoles('admin') }, ['analyst']))).toBe('allowed');
  });
});

describe('API key format', () => {
  test('given keys of the rgk_<16 hex>_<43 base64url> form and near misses, then only the form parses', () => {
    const secret = 'A'.repeat(40) + '-_z';
    expect(parseApiKey(`rgk_0123456789abcdef_${secret}`)).toEqual({ id: '0123456789abcdef', secret });
    for (const bad of [`rgk_0123456789ABCDEF_${secret}`, `rgk_0123456789abcde_${secret}`, `rgk_0123456789abcdef_${secret}x`, `rgk_0123456789abcdef_${secret.slice(1)}`, `xrgk_0123456789abcdef_${secret}`, `rgk_0123456789abcdef_${secret.slice(0, -1)}=`, ''])
      expect(parseApiKey(bad)).toBeUndefined();
  });
});

describe('the authenticator', () => {
  const token = 'server-token-0123456789';
  const seen: string[] = [];
  const verifier = (prefix: string, principal: Principal): CredentialVerifier => ({
    accepts: (c) => c.startsWith(prefix),
    verify: async (c) => (seen.push(`${prefix}:${c}`), principal),
  });
  const authn = createAuthenticator(token, [verifier('rgk_', { name: 'key', roles: ['viewer'] }), verifier('ey', { name: 'jwt', roles: ['admin'] })]);

  test('given the server token, then it is an admin without asking any verifier', async () => {
    seen.length = 0;
    expect(await authn(`Bearer ${token}`)).toEqual({ name: 'token', roles: ['viewer', 'analyst', 'admin'] });
    expect(seen).toEqual([]);
  });

  test('given other credentials, then only the first verifier that accepts their shape is asked; no header or another scheme is nobody', async () => {
    seen.length = 0;
    expect((await authn('Bearer rgk_x'))?.name).toBe('key');
    expect((await authn('bearer eyJ.x.y'))?.name).toBe('jwt');
    expect(await authn('Bearer something-else')).toBeUndefined();
    expect(await authn(undefined)).toBeUndefined();
    expect(await authn(`Basic ${token}`)).toBeUndefined();
    expect(seen).toEqual(['rgk_:rgk_x', 'ey:eyJ.x.y']);
  });
});

describe('metric labels', () => {
  test('given operation names, then GraphQL names keep their name, others are "other", none is "anonymous"', () => {
    expect(operationLabel('AgentPage')).toBe('AgentPage');
    expect(operationLabel(undefined)).toBe('anonymous');
    expect(operationLabel('')).toBe('anonymous');
    for (const bad of ['a b', 'x"y', '1abc', 'a'.repeat(65), 'é']) expect(operationLabel(bad)).toBe('other');
  });

  test('given more distinct values than the bound, then later ones are "other" and earlier ones keep their name', () => {
    const l = new BoundedLabels(2);
    expect([l.label('a'), l.label('b'), l.label('c'), l.label('a')]).toEqual(['a', 'b', 'other', 'a']);
  });
});

describe('configuration', () => {
  test('given a JWKS URL with issuer and audience, then the JWT settings are read with the default role claim', () => {
    const c = loadConfig({ REACHGRAPH_API_JWKS_URL: 'https://idp.example/jwks', REACHGRAPH_API_JWT_ISSUER: 'https://idp.example/', REACHGRAPH_API_JWT_AUDIENCE: 'rg' });
    expect(c.api.jwt).toEqual({ jwksUrl: 'https://idp.example/jwks', issuer: 'https://idp.example/', audience: 'rg', roleClaim: 'reachgraph_role' });
    expect(loadConfig({}).api.jwt).toBeUndefined();
    expect(loadConfig({}).api.metricsPublic).toBe(false);
  });

  test('given REACHGRAPH_METRICS_PUBLIC with a value other than 0 or 1, then the error names it', () => {
    expect(() => loadConfig({ REACHGRAPH_METRICS_PUBLIC: 'yes' })).toThrow(/REACHGRAPH_METRICS_PUBLIC/);
  });
});
