/**
 * Optional bearer JWTs from an identity provider, verified against its JWKS
 * (REACHGRAPH_API_JWKS_URL). Only asymmetric algorithms: with a shared-secret algorithm (HS256)
 * anyone holding the verification key could mint tokens, and "none" is never accepted. Issuer and
 * audience must match the configuration, `exp` is required (a token without one would never
 * expire) and `exp`/`nbf` are checked with CLOCK_TOLERANCE_S of skew. The role claim names one or
 * more roles; names that are not reachgraph roles grant nothing, so a valid token with only
 * unknown roles is authenticated but refused everything.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { JwtConfig } from '../config.js';
import { logger } from '../log.js';
import { grantedRoles, type CredentialVerifier } from './auth.js';
import type { Principal } from './context.js';

/** Asymmetric JWS algorithms only (RFC 7518 RSA, RSA-PSS, ECDSA; RFC 8037 EdDSA). */
export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
/** Clock skew allowed between the identity provider and this server on exp and nbf. */
export const CLOCK_TOLERANCE_S = 30;

/** jose codes that mean the key set, not the token, is at fault. */
const JWKS_FAULTS = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC']);
const JWT_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The role names a payload grants: the claim of that exact name (Auth0 style `https://…/roles`), else a dotted path (Keycloak's `realm_access.roles`). */
export function roleClaimValues(payload: JWTPayload, claim: string): string[] {
  let v: unknown = payload[claim];
  if (v === undefined && claim.includes('.')) v = claim.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), payload);
  if (typeof v === 'string') return v.split(/[\s,]+/).filter(Boolean);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export class JwtVerifier implements CredentialVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly cfg: JwtConfig) {
    // jose caches the key set and refetches it when a token names an unknown key id (rotation), at most once per cooldown.
    this.jwks = createRemoteJWKSet(new URL(cfg.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  }

  accepts(credential: string): boolean {
    return JWT_RE.test(credential);
  }

  async verify(credential: string): Promise<Principal | undefined> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(credential, this.jwks, {
        issuer: this.cfg.issuer,
        audience: this.cfg.audience,
        algorithms: [...JWT_ALGORITHMS],
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_S,
      }));
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'unknown';
      // The token itself is never logged; its refusal reason is, at the level its cause deserves.
      if (JWKS_FAULTS.has(code) || !code.startsWith('ERR_J')) logger.warn({ reason: code, err: (e as Error).message }, 'JWT not verified: the JWKS could not be read');
      else logger.debug({ reason: code }, 'JWT refused');
      return undefined;
    }
    const roles = [...new Set(roleClaimValues(payload, this.cfg.roleClaim).flatMap(grantedRoles))];
    return { name: `jwt:${payload.sub ?? 'no-subject'}`, roles };
  }
}
