/**
 * API authentication: a bearer token (REACHGRAPH_API_TOKEN, or one generated on first start and
 * kept in the state folder with mode 0600). Every field but `health` requires the `reader` role.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AuthenticationError, type AuthChecker } from 'type-graphql';
import type { Config } from '../config.js';
import type { ApiContext, Principal } from './context.js';

export const ROLE_READER = 'reader';

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

/** Who presents this Authorization header, if anyone. Constant-time comparison. */
export function authenticate(header: string | undefined, token: string): Principal | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const a = crypto.createHash('sha256').update(m[1]!).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b) ? { name: 'token', roles: [ROLE_READER] } : undefined;
}

export const authChecker: AuthChecker<ApiContext> = ({ context }, roles) => {
  const p = context.principal;
  if (!p) throw new AuthenticationError('not authenticated: send Authorization: Bearer <token>');
  return roles.every((r) => p.roles.includes(r));
};
