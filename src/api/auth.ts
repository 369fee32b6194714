/**
 * API authentication and roles. A request presents one bearer credential, tried in this order:
 * the server's own token (REACHGRAPH_API_TOKEN, or one generated on first start and kept in the
 * state folder with mode 0600: the bootstrap admin), an API key (`rgk_<id>_<secret>`, keys.ts),
 * or, when a JWKS is configured, a JWT (jwt.ts). Every GraphQL field but `health` carries
 * `@Authorized(role)`; the one auth checker below decides, and the auth matrix test
 * (test/integration/api-auth.int.test.ts) reads `rootFieldRoles()` to try every role on every field.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { AuthenticationError, getMetadataStorage, type AuthChecker } from 'type-graphql';
import type { Config } from '../config.js';
import type { ApiContext, Principal } from './context.js';

/** Read answers (every query but the Cypher console). */
export const ROLE_VIEWER = 'viewer';
/** Viewer + the read-only Cypher console. */
export const ROLE_ANALYST = 'analyst';
/** Analyst + mutations and API-key management. */
export const ROLE_ADMIN = 'admin';
/** Remote ingest only (a sensor's key on another machine): outside the viewer < analyst < admin chain. */
export const ROLE_INGEST = 'ingest';
/** The roles, weakest first; each includes those before it. */
export const ROLES = [ROLE_VIEWER, ROLE_ANALYST, ROLE_ADMIN] as const;
export type Role = (typeof ROLES)[number];
/** Every role a key or a token may be granted. */
export const GRANTABLE_ROLES = [...ROLES, ROLE_INGEST] as const;
export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

/** The roles a principal granted `role` holds (a role includes the weaker ones). */
export function rolesOf(role: Role): string[] {
  return ROLES.slice(0, ROLES.indexOf(role) + 1);
}

/** The roles one granted role name confers: the chain for viewer/analyst/admin, itself for ingest, nothing for an unknown name. */
export function grantedRoles(role: unknown): string[] {
  if (role === ROLE_INGEST) return [ROLE_INGEST];
  return (ROLES as readonly unknown[]).includes(role) ? rolesOf(role as Role) : [];
}

/** The token the API accepts; generated and stored 0600 when not configured. */
export function apiToken(cfg: Config): { token: string; file: string | undefined } {
  if (cfg.api.token) return { token: cfg.api.token, file: undefined };
  const file = path.join(cfg.stateDir, 'api-token');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(cfg.stateDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
  }
  fs.chmodSync(file, 0o600);
  return { token: fs.readFileSync(file, 'utf8').trim(), file };
}

/** The bearer credential of an Authorization header, if it has one. */
export function bearer(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

/** Is this Authorization header the server's own token (an admin)? Constant-time comparison. */
export function authenticate(header: string | undefined, token: string): Principal | undefined {
  const presented = bearer(header);
  if (presented === undefined) return undefined;
  const a = crypto.createHash('sha256').update(presented).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b) ? { name: 'token', roles: rolesOf(ROLE_ADMIN) } : undefined;
}

/** Something that turns one presented credential into a principal (API keys, JWTs). */
export interface CredentialVerifier {
  /** Does this verifier handle credentials of this shape? Only the first that does is asked. */
  accepts(credential: string): boolean;
  verify(credential: string): Promise<Principal | undefined>;
}

/** Who presents this Authorization header: the server token, else the first verifier that accepts its shape. */
export function createAuthenticator(token: string, verifiers: readonly CredentialVerifier[]): (header: string | undefined) => Promise<Principal | undefined> {
  return async (header) => {
    const own = authenticate(header, token);
    if (own) return own;
    const presented = bearer(header);
    if (presented === undefined) return undefined;
    return verifiers.find((v) => v.accepts(presented))?.verify(presented);
  };
}

/**
 * The one auth checker. No principal: UNAUTHENTICATED. A principal without every role the field
 * names: FORBIDDEN (type-graphql's own refusal says UNAUTHORIZED, which HTTP uses for "who are you").
 */
export const authChecker: AuthChecker<ApiContext> = ({ context }, roles) => {
  const p = context.principal;
  if (!p) throw new AuthenticationError('not authenticated: send Authorization: Bearer <token or API key>');
  if (roles.every((r) => p.roles.includes(r))) return true;
  throw new GraphQLError(`forbidden: this needs the ${roles.join(' and ')} role`, { extensions: { code: 'FORBIDDEN' } });
};

/**
 * The roles each root field requires, from type-graphql's decorator metadata: keys like
 * `Query.agents`, `Mutation.tag`, `Subscription.driftEvents`; undefined roles = no `@Authorized`.
 */
export function rootFieldRoles(): Map<string, string[] | undefined> {
  const s = getMetadataStorage();
  const out = new Map<string, string[] | undefined>();
  const rolesFor = (target: Function, method: string): string[] | undefined => {
    const field = s.authorizedFields.find((a) => a.target === target && a.fieldName === method);
    const cls = s.authorizedResolver.find((a) => a.target === target);
    return (field ?? cls)?.roles.map(String);
  };
  for (const [type, defs] of [
    ['Query', s.queries],
    ['Mutation', s.mutations],
    ['Subscription', s.subscriptions],
  ] as const)
    for (const d of defs) out.set(`${type}.${d.schemaName}`, rolesFor(d.target, d.methodName));
  return out;
}
